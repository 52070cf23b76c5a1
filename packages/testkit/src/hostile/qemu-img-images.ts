import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import type { HostileFixture } from "./corpus.js";
import { buildQcow2 } from "./disk-headers.js";

const GiB = 1024 ** 3;

async function qemuImg(args: string[]): Promise<void> {
  await runProgram("qemu-img", args, { timeoutMs: 30_000 });
}

/** Rewrites bytes of a file qemu-img made: the surgery for what qemu-img will not write. */
async function patch(path: string, edit: (file: Buffer) => void): Promise<void> {
  const file = await readFile(path);
  edit(file);
  await writeFile(path, file);
}

let luks: Promise<Buffer> | undefined;

/**
 * A LUKS-encrypted qcow2 as qemu-img writes it, made once per process: qemu times PBKDF2 for
 * half a second per key slot whatever iter-time says (about 3 s), and on a busy machine that
 * timing fails now and then ("Unable to get accurate CPU usage"), so it is tried three times
 * before header surgery stands in (crypt_method 2 on a plain image says the same to a reader).
 */
function luksQcow2(): Promise<Buffer> {
  luks ??= (async () => {
    const work = await mkdtemp(join(tmpdir(), "lb-luks-"));
    const path = join(work, "luks.qcow2");
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const made = await qemuImg([
          "create",
          "-q",
          "-f",
          "qcow2",
          "--object",
          "secret,id=sec0,data=layerboom-hostile",
          "-o",
          "encrypt.format=luks,encrypt.key-secret=sec0",
          path,
          "64M",
        ]).then(
          () => true,
          () => false,
        );
        if (made) return await readFile(path);
      }
      await qemuImg(["create", "-q", "-f", "qcow2", path, "64M"]);
      const file = await readFile(path);
      file.writeUInt32BE(2, 32);
      return file;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  })();
  return luks;
}

/**
 * The corpus's images that qemu-img writes, or starts and header surgery finishes: encrypted
 * qcow2 (LUKS and AES), header extensions and tables sized to make qemu-img allocate memory
 * for nothing, and VMDK children of a parent disk.
 */
export async function hostileQemuImgImages(dir: string): Promise<HostileFixture[]> {
  const fixtures: HostileFixture[] = [];
  const add = (name: string, expectedCheck: string) =>
    fixtures.push({ name, kind: "image", path: join(dir, name), expectedCheck });
  const secret = ["--object", "secret,id=sec0,data=layerboom-hostile"];

  await writeFile(join(dir, "qcow2-luks.qcow2"), await luksQcow2());
  add("qcow2-luks.qcow2", "qcow2-encrypted");
  // qemu 7 still writes the legacy AES form from qemu-img; where a later one refuses, the
  // crypt_method field of a plain image says the same.
  const aes = join(dir, "qcow2-aes.qcow2");
  await qemuImg([
    "create",
    "-q",
    "-f",
    "qcow2",
    ...secret,
    "-o",
    "encrypt.format=aes,encrypt.key-secret=sec0",
    aes,
    "64M",
  ]).catch(async () => {
    await qemuImg(["create", "-q", "-f", "qcow2", aes, "64M"]);
    await patch(aes, (f) => f.writeUInt32BE(1, 32));
  });
  add("qcow2-aes.qcow2", "qcow2-encrypted");

  // A 1 GiB image needs 2 L1 entries and one refcount-table cluster; these claim qemu's maxima.
  const l1 = join(dir, "qcow2-l1-oversize.qcow2");
  await qemuImg(["create", "-q", "-f", "qcow2", l1, "1G"]);
  await patch(l1, (f) => f.writeUInt32BE(4 * 1024 * 1024, 36));
  add("qcow2-l1-oversize.qcow2", "qcow2-l1-table");
  const refcount = join(dir, "qcow2-refcount-oversize.qcow2");
  await qemuImg(["create", "-q", "-f", "qcow2", refcount, "1G"]);
  await patch(refcount, (f) => f.writeUInt32BE(128, 56));
  add("qcow2-refcount-oversize.qcow2", "qcow2-refcount-table");

  // qemu-img's feature-name table (0x6803f857, 8 entries of 48 bytes) stretched to fill the
  // first cluster: qemu would allocate and parse all of it.
  const features = join(dir, "qcow2-feature-table-huge.qcow2");
  await qemuImg(["create", "-q", "-f", "qcow2", features, "1G"]);
  await patch(features, (f) => {
    const at = f.indexOf(Buffer.from([0x68, 0x03, 0xf8, 0x57]), 104);
    if (at < 0) throw new Error("qemu-img wrote no feature-name table");
    f.writeUInt32BE(48 * 1300, at + 4);
  });
  add("qcow2-feature-table-huge.qcow2", "qcow2-header-extension");
  await writeFile(
    join(dir, "qcow2-many-extensions.qcow2"),
    buildQcow2({
      virtualSize: GiB,
      extensions: Array.from({ length: 40 }, (_, i) => ({ type: 0x1000 + i, data: Buffer.alloc(8) })),
    }),
  );
  add("qcow2-many-extensions.qcow2", "qcow2-header-extension");

  // VMDK children as qemu-img writes them: a monolithic sparse delta, and a descriptor file
  // whose sparse extent is another file (which the extent check would refuse on its own).
  const base = join(dir, "vmdk-parent-base.vmdk");
  await qemuImg(["create", "-q", "-f", "vmdk", base, "64M"]);
  await qemuImg([
    "create",
    "-q",
    "-f",
    "vmdk",
    "-b",
    base,
    "-F",
    "vmdk",
    join(dir, "vmdk-child-sparse.vmdk"),
  ]);
  add("vmdk-child-sparse.vmdk", "vmdk-parent");
  await qemuImg([
    "create",
    "-q",
    "-f",
    "vmdk",
    "-o",
    "subformat=twoGbMaxExtentSparse",
    "-b",
    base,
    "-F",
    "vmdk",
    join(dir, "vmdk-child-descriptor.vmdk"),
  ]);
  add("vmdk-child-descriptor.vmdk", "vmdk-parent");
  return fixtures;
}
