import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AmiBundleError, convertImage, extractAmiBundle } from "@layerboom/images";
import { makeAmiBundle, makeRsaKeyPair, type AmiTarFormat } from "@layerboom/testkit";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
let dir: string;
let sparse: string;
const user = makeRsaKeyPair();

/** Allocated bytes of a file, as `du` counts them. */
async function allocated(path: string): Promise<number> {
  return (await stat(path)).blocks * 512;
}

async function unbundle(manifestPath: string, name: string) {
  const out = join(dir, `${name}-out`);
  await mkdir(out);
  return { out, image: await extractAmiBundle(manifestPath, out, { privateKey: user.privateKeyPem }) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-ami-real-"));
  // 64 MiB apparent with 3 MiB of data: the shape `tar -S` exists for.
  sparse = join(dir, "sparse.img");
  const fh = await open(sparse, "w");
  await fh.truncate(64 * MiB);
  await fh.write(randomBytes(MiB), 0, MiB, 0);
  await fh.write(randomBytes(MiB), 0, MiB, 30 * MiB + 4096);
  await fh.write(randomBytes(MiB), 0, MiB, 63 * MiB);
  await fh.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("bundles whose tar GNU tar wrote with -S", () => {
  const forms: [AmiTarFormat, string][] = [
    ["gnu", "gnu-old"],
    ["pax-0.0", "pax-0.0"],
    ["pax-0.1", "pax-0.1"],
    ["pax-1.0", "pax-1.0"],
  ];
  for (const [tarFormat, form] of forms) {
    it(`${tarFormat}: the image comes back byte for byte, its holes still holes`, async () => {
      const bundle = await makeAmiBundle(join(dir, tarFormat), { image: { path: sparse }, user, tarFormat });
      const { image } = await unbundle(bundle.manifestPath, tarFormat);
      expect(image).toMatchObject({ size: 64 * MiB, sparseForm: form, storedBytes: 3 * MiB });
      expect((await readFile(image.imagePath)).equals(await readFile(sparse))).toBe(true);
      expect(await allocated(image.imagePath)).toBeLessThanOrEqual(4 * MiB);
    });
  }

  it("reads parts named image.part.0 (older tools) as well as image.part.00", async () => {
    const old = await makeAmiBundle(join(dir, "unpadded"), {
      image: { path: sparse },
      user,
      partSize: 256 * 1024,
      partNumbering: "unpadded",
    });
    expect(old.partPaths.map((p) => p.split("/").pop())).toContain("image.part.10");
    expect(old.partPaths.map((p) => p.split("/").pop())).toContain("image.part.0");
    const { image } = await unbundle(old.manifestPath, "unpadded");
    expect(image.parts).toBe(old.partPaths.length);
    expect(image.manifest).toMatchObject({ version: "2007-10-10", imageName: "image" });
  });

  it("refuses a sparse member whose real size is not the manifest's, before writing it", async () => {
    const bundle = await makeAmiBundle(join(dir, "size-lie"), {
      image: { path: sparse },
      user,
      manifestSize: 8 * MiB,
    });
    const out = join(dir, "size-lie-out");
    await mkdir(out);
    const err = await extractAmiBundle(bundle.manifestPath, out, { privateKey: user.privateKeyPem }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AmiBundleError);
    expect((err as AmiBundleError).check).toBe("ami-image-size");
    expect((err as AmiBundleError).message).toContain(
      `image is ${64 * MiB} bytes, the manifest says ${8 * MiB}`,
    );
    expect(await readdir(out)).toEqual([]);
  });
});

describe("ec2-bundle-vol's variants", () => {
  it("a volume with a partition table and the block_device_mapping section", async () => {
    const disk = join(dir, "volume.img");
    await runProgram("truncate", ["-s", `${64 * MiB}`, disk]);
    await runProgram("sfdisk", ["--quiet", disk], { input: "label: dos\nstart=2048, type=83, bootable\n" });
    await runProgram("mkfs.ext4", ["-q", "-F", "-E", `offset=${MiB}`, disk, `${63 * 1024}`]);
    const bundle = await makeAmiBundle(join(dir, "vol"), {
      image: { path: disk },
      user,
      volume: {
        blockDeviceMapping: { ami: "sda", root: "/dev/sda1", ephemeral0: "sdb", swap: "sda3" },
        kernelId: "aki-88aa75e1",
      },
    });
    const manifest = await readFile(bundle.manifestPath, "utf8");
    expect(manifest).toContain(
      "<block_device_mapping><mapping><virtual>ami</virtual><device>sda</device></mapping>",
    );
    const { image } = await unbundle(bundle.manifestPath, "vol");
    expect(image.layout).toBe("partitioned-disk");
    expect(image.manifest.blockDeviceMapping).toEqual([
      { virtual: "ami", device: "sda" },
      { virtual: "ephemeral0", device: "sdb" },
      { virtual: "root", device: "/dev/sda1" },
      { virtual: "swap", device: "sda3" },
    ]);
    expect(image.manifest).toMatchObject({ kernelId: "aki-88aa75e1", architecture: "x86_64" });
    expect((await readFile(image.imagePath)).equals(await readFile(disk))).toBe(true);
  });

  it("a bare filesystem volume is told apart from a partitioned one", async () => {
    const fs = join(dir, "fs.img");
    await runProgram("truncate", ["-s", `${32 * MiB}`, fs]);
    await runProgram("mkfs.ext4", ["-q", "-F", fs]);
    const bundle = await makeAmiBundle(join(dir, "fsvol"), {
      image: { path: fs },
      user,
      volume: { blockDeviceMapping: { ami: "sda1", root: "/dev/sda1" } },
    });
    const { image } = await unbundle(bundle.manifestPath, "fsvol");
    expect(image.layout).toBe("filesystem");
  });
});

describe("a 2 GiB sparse ext4 filesystem holding 20 MiB of files", () => {
  it("unbundles and converts in space proportional to the 20 MiB, not the 2 GiB", async () => {
    const tree = join(dir, "tree");
    await mkdir(join(tree, "srv"), { recursive: true });
    for (let i = 0; i < 20; i++) await writeFile(join(tree, "srv", `file-${i}`), randomBytes(MiB));
    const fs = join(dir, "ext4-2g.img");
    await runProgram("truncate", ["-s", "2G", fs]);
    await runProgram("mkfs.ext4", ["-q", "-F", "-d", tree, fs], { timeoutMs: 120_000 });
    const t0 = performance.now();
    const bundle = await makeAmiBundle(join(dir, "ext4"), { image: { path: fs }, user });
    const bundleMs = performance.now() - t0;
    const bundled = (await Promise.all(bundle.partPaths.map((p) => stat(p)))).reduce((s, f) => s + f.size, 0);

    const t1 = performance.now();
    const { image } = await unbundle(bundle.manifestPath, "ext4");
    const unbundleMs = performance.now() - t1;
    const t2 = performance.now();
    const converted = await convertImage({
      source: image.imagePath,
      sourceFormat: "raw",
      output: join(dir, "ext4.qcow2"),
      outputFormat: "qcow2",
    });
    const convertMs = performance.now() - t2;
    const figures = {
      bundledBytes: bundled,
      storedInTar: image.storedBytes,
      unbundledAllocated: await allocated(image.imagePath),
      qcow2Allocated: converted.output.actualSize,
      bundleMs: Math.round(bundleMs),
      unbundleMs: Math.round(unbundleMs),
      convertMs: Math.round(convertMs),
    };
    console.log(`2 GiB ext4 with 20 MiB of files: ${JSON.stringify(figures)}`);
    expect(image.size).toBe(2 * GiB);
    expect(image.layout).toBe("filesystem");
    expect(converted.output.virtualSize).toBe(2 * GiB);
    // 20 MiB of files plus the filesystem's own metadata (inode tables, bitmaps, the journal's
    // first blocks): well under 64 MiB at every step, where reading the holes would be 2 GiB.
    expect(image.storedBytes).toBeLessThan(64 * MiB);
    expect(figures.unbundledAllocated).toBeLessThan(64 * MiB);
    expect(figures.qcow2Allocated).toBeLessThan(64 * MiB);
    expect(bundled).toBeLessThan(64 * MiB);
    await runProgram("e2fsck", ["-fn", image.imagePath]);
  }, 120_000);
});
