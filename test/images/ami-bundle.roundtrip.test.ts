import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  extractAmiBundle,
  extractTar,
  readOva,
  exportImage,
  decompressFile,
  parseXmlSafely,
} from "@layerboom/images";
import { buildTar, makeAmiBundle } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-roundtrip-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("valid inputs pass the same gates the hostile corpus fails", () => {
  it("extracts a multi-part AMI bundle, byte for byte", async () => {
    const image = Buffer.concat([randomBytes(2 * 1024 * 1024), Buffer.alloc(1024 * 1024), randomBytes(4096)]);
    const bundle = await makeAmiBundle(join(dir, "bundle"), {
      image,
      prefix: "disk.img",
      partSize: 512 * 1024,
    });
    expect(bundle.partPaths.length).toBeGreaterThan(3);
    const out = join(dir, "ami-out");
    await mkdir(out);
    const result = await extractAmiBundle(bundle.manifestPath, out, {
      privateKey: bundle.user.privateKeyPem,
    });
    expect(result.imageName).toBe("disk.img");
    expect(result.sha1).toBe(bundle.imageDigest);
    expect((await readFile(result.imagePath)).equals(image)).toBe(true);
  });

  it("extracts a tar with internal links and keeps zero runs as holes", async () => {
    const tar = buildTar([
      { name: "etc", type: "dir" },
      { name: "etc/hostname", body: Buffer.from("vm\n") },
      { name: "etc/alias", type: "symlink", linkname: "hostname" },
      { name: "etc/hard", type: "hardlink", linkname: "etc/hostname" },
      { name: "zeros", body: Buffer.alloc(1024 * 1024) },
    ]);
    const src = join(dir, "ok.tar");
    await writeFile(src, tar);
    const out = join(dir, "tar-out");
    await mkdir(out);
    const entries = await extractTar(createReadStream(src), out);
    expect(entries.map((e) => e.name)).toEqual(["etc/hostname", "etc/alias", "etc/hard", "zeros"]);
    expect(await readFile(join(out, "etc/alias"), "utf8")).toBe("vm\n");
  });

  it("decompresses gzip under the caps", async () => {
    const src = join(dir, "small.gz");
    await writeFile(src, gzipSync(randomBytes(100_000)));
    const result = await decompressFile(src, join(dir, "small.raw"));
    expect(result).toMatchObject({ compression: "gzip", bytesOut: 100_000 });
  });

  it("reads back an exported OVA, manifest verified", async () => {
    const raw = join(dir, "disk.raw");
    await writeFile(raw, Buffer.concat([randomBytes(65536), Buffer.alloc(4 * 1024 * 1024)]));
    const ova = join(dir, "vm.ova");
    await exportImage({ source: raw, sourceFormat: "raw", output: ova, format: "ova", ova: { name: "vm" } });
    const out = join(dir, "ova-out");
    await mkdir(out);
    const pkg = await readOva(ova, out);
    expect(pkg.manifestVerified).toBe(true);
    expect(pkg.disks).toHaveLength(1);
    expect(pkg.disks[0]?.capacityBytes).toBe(65536 + 4 * 1024 * 1024);
    expect(parseXmlSafely(await readFile(pkg.ovfPath))).toHaveProperty(
      "Envelope.VirtualSystem.VirtualHardwareSection",
    );
  });
});
