import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  buildDifferencingVhd,
  buildParentVhdx,
  buildQcow2,
  buildQed,
  buildSparseVmdk,
  buildVdi,
  buildVhdFooter,
  vmdkDescriptor,
} from "./disk-headers.js";
import { hostileAmiBundles } from "./ami-bundles.js";
import { hostileQemuImgImages } from "./qemu-img-images.js";
import { buildTar, type TarMember } from "./tar-writer.js";

/** Which pipeline entry point a fixture is fed to. */
export type HostileKind = "image" | "archive" | "decompress" | "ova" | "ami";

/** One hostile input and the check that must refuse it. */
export interface HostileFixture {
  name: string;
  kind: HostileKind;
  /** The file to feed in (for `ami`, the manifest). */
  path: string;
  /** The `check` field the refusal must carry. */
  expectedCheck: string;
  /** For `image`: the format the uploader claims. */
  declaredFormat?: string;
  /** For `ami`: the key the importer is given. */
  privateKeyPem?: string;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const PiB = 1024 ** 5;

function isoDescriptor(into: Buffer, at = 32 * 1024): Buffer {
  into.write("\x01CD001\x01", at, "latin1");
  return into;
}

function ovf(diskHref: string, extra = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${extra}
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
  <References><File ovf:href="${diskHref}" ovf:id="file1"/></References>
  <DiskSection><Info>disks</Info><Disk ovf:capacity="1048576" ovf:diskId="d1" ovf:fileRef="file1"/></DiskSection>
  <VirtualSystem ovf:id="vm"><Info>vm</Info><Name>vm</Name></VirtualSystem>
</Envelope>
`;
}

/**
 * Writes the hostile corpus into `dir`: one fixture per refusal rule of the image pipeline.
 * Fixtures that try to read a host file point at `canaryPath`, whose content must never leak
 * into any output, error or log; a few also name /etc/passwd and /etc/shadow as real attacks would.
 */
export async function generateHostileCorpus(dir: string, canaryPath: string): Promise<HostileFixture[]> {
  await mkdir(dir, { recursive: true });
  const fixtures: HostileFixture[] = [];
  const add = async (
    name: string,
    kind: HostileKind,
    body: Buffer | string,
    expectedCheck: string,
    extra: Partial<HostileFixture> = {},
  ) => {
    const path = join(dir, name);
    await writeFile(path, body);
    fixtures.push({ name, kind, path, expectedCheck, ...extra });
  };
  const image = (name: string, body: Buffer | string, check: string, declaredFormat?: string) =>
    add(name, "image", body, check, declaredFormat === undefined ? {} : { declaredFormat });
  const archive = (name: string, members: TarMember[], check: string) =>
    add(name, "archive", buildTar(members), check);
  const file = { name: "ok.txt", body: Buffer.from("fine\n") };

  // qcow2
  await image(
    "qcow2-backing-passwd.qcow2",
    buildQcow2({ virtualSize: GiB, backingFile: "/etc/passwd" }),
    "qcow2-backing-file",
  );
  await image(
    "qcow2-backing-canary.qcow2",
    buildQcow2({ virtualSize: GiB, backingFile: canaryPath }),
    "qcow2-backing-file",
    "qcow2",
  );
  await image(
    "qcow2-backing-json.qcow2",
    buildQcow2({ virtualSize: GiB, backingFile: `json:{"file.filename":"${canaryPath}"}` }),
    "qcow2-backing-file",
  );
  await image(
    "qcow2-data-file-bit.qcow2",
    buildQcow2({ virtualSize: GiB, incompatibleFeatures: 1n << 2n }),
    "qcow2-data-file",
  );
  await image(
    "qcow2-data-file-ext.qcow2",
    buildQcow2({
      virtualSize: GiB,
      incompatibleFeatures: 1n << 2n,
      extensions: [{ type: 0x44415441, data: Buffer.from(canaryPath) }],
    }),
    "qcow2-data-file",
  );
  await image(
    "qcow2-unknown-incompat.qcow2",
    buildQcow2({ virtualSize: GiB, incompatibleFeatures: 1n << 17n }),
    "qcow2-incompatible-features",
  );
  await image("qcow2-1pib.qcow2", buildQcow2({ virtualSize: PiB }), "virtual-size-cap");
  await image("qcow2-version-9.qcow2", buildQcow2({ virtualSize: GiB, version: 9 }), "qcow2-version");
  await image(
    "qcow2-cluster-bits-30.qcow2",
    buildQcow2({ virtualSize: GiB, clusterBits: 30 }),
    "qcow2-cluster-size",
  );
  await image("qcow2-encrypted.qcow2", buildQcow2({ virtualSize: GiB, cryptMethod: 1 }), "qcow2-encrypted");
  await image("qcow2-truncated.qcow2", buildQcow2({ virtualSize: GiB }).subarray(0, 40), "qcow2-truncated");
  // polyglots and lies about the format
  await image("iso-qcow2-polyglot.img", isoDescriptor(buildQcow2({ virtualSize: GiB })), "format-ambiguous");
  await image(
    "qcow2-vhd-polyglot.img",
    Buffer.concat([buildQcow2({ virtualSize: GiB }), buildVhdFooter({ size: GiB, diskType: 2 })]),
    "format-ambiguous",
  );
  const mbrQcow2 = buildQcow2({ virtualSize: GiB });
  mbrQcow2[446 + 4] = 0x83;
  mbrQcow2.writeUInt32LE(2048, 446 + 8);
  mbrQcow2.writeUInt32LE(2048, 446 + 12);
  mbrQcow2[510] = 0x55;
  mbrQcow2[511] = 0xaa;
  await image("qcow2-mbr-polyglot.img", mbrQcow2, "format-ambiguous");
  await image(
    "raw-upload-really-qcow2.raw",
    buildQcow2({ virtualSize: GiB, backingFile: canaryPath }),
    "format-mismatch",
    "raw",
  );
  await image(
    "raw-upload-really-vmdk-descriptor.raw",
    vmdkDescriptor({ createType: "monolithicFlat", extents: [`RW 2048 FLAT "${canaryPath}" 0`] }),
    "format-mismatch",
    "raw",
  );
  await image("empty.raw", Buffer.alloc(0), "file-empty", "raw");
  // vmdk
  await image(
    "vmdk-flat-etc-shadow.vmdk",
    vmdkDescriptor({ createType: "monolithicFlat", extents: ['RW 2048 FLAT "/etc/shadow" 0'] }),
    "vmdk-extent-path",
  );
  await image(
    "vmdk-sparse-embedded-flat-canary.vmdk",
    buildSparseVmdk(
      vmdkDescriptor({ createType: "monolithicSparse", extents: [`RW 2048 FLAT "${canaryPath}" 0`] }),
      2048,
    ),
    "vmdk-extent-path",
  );
  await image(
    "vmdk-sparse-extent-traversal.vmdk",
    buildSparseVmdk(
      vmdkDescriptor({ createType: "monolithicSparse", extents: ['RW 2048 SPARSE "../../secret.vmdk"'] }),
      2048,
    ),
    "vmdk-extent-path",
  );
  await image(
    "vmdk-bad-create-type.vmdk",
    buildSparseVmdk(
      vmdkDescriptor({ createType: "vmfsSparse", extents: ['RW 2048 SPARSE "vmdk-bad-create-type.vmdk"'] }),
      2048,
    ),
    "vmdk-create-type",
  );
  await image(
    "vmdk-parent-hint.vmdk",
    buildSparseVmdk(
      vmdkDescriptor({
        createType: "monolithicSparse",
        parentCID: "1a2b3c4d",
        parentHint: canaryPath,
        extents: ['RW 2048 SPARSE "x.vmdk"'],
      }),
      2048,
    ),
    "vmdk-parent",
  );
  await image(
    "vmdk-huge-grain.vmdk",
    buildSparseVmdk(
      vmdkDescriptor({ createType: "monolithicSparse", extents: ['RW 2048 SPARSE "x.vmdk"'] }),
      2048,
      1 << 20,
    ),
    "vmdk-grain-size",
  );
  await image("vmdk-truncated.vmdk", buildSparseVmdk("", 2048).subarray(0, 24), "vmdk-truncated");
  const oversize = buildSparseVmdk("", 2048);
  oversize.writeBigUInt64LE(100_000n, 36);
  await image("vmdk-descriptor-oversize.vmdk", oversize, "vmdk-descriptor");
  // other formats
  await image("qed.qed", buildQed(GiB), "qed-refused");
  await image("vhd-differencing.vhd", buildDifferencingVhd(64 * MiB, canaryPath), "vhd-differencing");
  const fixed = Buffer.concat([
    Buffer.alloc(MiB),
    buildVhdFooter({ size: MiB, diskType: 2, badChecksum: true }),
  ]);
  await image("vhd-bad-checksum.vhd", fixed, "vhd-footer-checksum");
  await image(
    "vhd-fixed-size-lie.vhd",
    Buffer.concat([Buffer.alloc(MiB), buildVhdFooter({ size: 64 * GiB, diskType: 2 })]),
    "vhd-size",
  );
  await image("vhd-truncated.vhd", Buffer.from("conectix"), "vhd-truncated");
  await image("vhdx-parent.vhdx", buildParentVhdx(GiB), "vhdx-parent");
  await image("vdi-differencing.vdi", buildVdi({ imageType: 4, diskSize: 4 * MiB }), "vdi-parent");
  await image(
    "vdi-bad-block-size.vdi",
    buildVdi({ imageType: 1, diskSize: 4 * MiB, blockSize: 4096 }),
    "vdi-size",
  );

  // archives
  await archive(
    "tar-dotdot.tar",
    [file, { name: "../../etc/cron.d/evil", body: Buffer.from("* * * * * root sh\n") }],
    "archive-path-traversal",
  );
  await archive(
    "tar-absolute.tar",
    [{ name: "/etc/cron.d/evil", body: Buffer.from("x") }],
    "archive-absolute-path",
  );
  await archive(
    "tar-symlink-absolute.tar",
    [{ name: "leak", type: "symlink", linkname: canaryPath }],
    "archive-link-escape",
  );
  await archive(
    "tar-symlink-relative-escape.tar",
    [{ name: "a/leak", type: "symlink", linkname: `../../../../../../..${canaryPath}` }],
    "archive-link-escape",
  );
  await archive(
    "tar-hardlink-escape.tar",
    [{ name: "leak", type: "hardlink", linkname: canaryPath }],
    "archive-link-escape",
  );
  await archive(
    "tar-hardlink-to-symlink.tar",
    [
      file,
      { name: "s", type: "symlink", linkname: "ok.txt" },
      { name: "h", type: "hardlink", linkname: "s" },
    ],
    "archive-hardlink-to-link",
  );
  await archive(
    "tar-write-through-symlink.tar",
    [
      { name: "sub", type: "dir" },
      { name: "d", type: "symlink", linkname: "sub" },
      { name: "d/x", body: Buffer.from("x") },
    ],
    "archive-path-through-link",
  );
  await archive("tar-char-device.tar", [{ name: "mem", type: "char" }], "archive-entry-type");
  await archive("tar-block-device.tar", [{ name: "sda", type: "block" }], "archive-entry-type");
  await archive("tar-fifo.tar", [{ name: "pipe", type: "fifo" }], "archive-entry-type");
  await archive("tar-duplicate.tar", [file, file], "archive-duplicate-entry");
  await add(
    "gzip-bomb.gz",
    "decompress",
    gzipSync(Buffer.alloc(256 * MiB), { level: 9 }),
    "decompression-ratio",
  );

  // OVA
  const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`).join("")}]>`;
  const disk = {
    name: "disk.vmdk",
    body: buildSparseVmdk(
      vmdkDescriptor({ createType: "monolithicSparse", extents: ['RW 2048 SPARSE "disk.vmdk"'] }),
      2048,
    ),
  };
  const ova = (name: string, members: TarMember[], check: string) =>
    add(name, "ova", buildTar(members), check);
  await ova(
    "ova-billion-laughs.ova",
    [
      {
        name: "vm.ovf",
        body: Buffer.from(ovf("disk.vmdk", laughs).replace("<Info>vm</Info>", "<Info>&lol9;</Info>")),
      },
      disk,
    ],
    "xml-doctype",
  );
  await ova(
    "ova-external-entity.ova",
    [
      {
        name: "vm.ovf",
        body: Buffer.from(
          ovf("disk.vmdk", `<!DOCTYPE e [<!ENTITY x SYSTEM "file://${canaryPath}">]>`).replace(
            "<Info>vm</Info>",
            "<Info>&x;</Info>",
          ),
        ),
      },
      disk,
    ],
    "xml-doctype",
  );
  await ova(
    "ova-href-traversal.ova",
    [{ name: "vm.ovf", body: Buffer.from(ovf("../../../etc/passwd")) }, disk],
    "ova-disk-reference",
  );
  await ova(
    "ova-manifest-mismatch.ova",
    [
      { name: "vm.ovf", body: Buffer.from(ovf("disk.vmdk")) },
      disk,
      { name: "vm.mf", body: Buffer.from(`SHA256(disk.vmdk)= ${"0".repeat(64)}\n`) },
    ],
    "ova-manifest-digest",
  );
  await ova(
    "ova-disk-flat-extent.ova",
    [
      { name: "vm.ovf", body: Buffer.from(ovf("disk.vmdk")) },
      {
        name: "disk.vmdk",
        body: Buffer.from(
          vmdkDescriptor({ createType: "monolithicFlat", extents: [`RW 2048 FLAT "${canaryPath}" 0`] }),
        ),
      },
    ],
    "vmdk-extent-path",
  );
  await ova(
    "ova-symlink.ova",
    [
      { name: "vm.ovf", body: Buffer.from(ovf("disk.vmdk")) },
      { name: "disk.vmdk", type: "symlink", linkname: "vm.ovf" },
    ],
    "archive-entry-type",
  );

  fixtures.push(...(await hostileAmiBundles(dir, canaryPath, laughs)));
  fixtures.push(...(await hostileQemuImgImages(dir)));
  return fixtures;
}
