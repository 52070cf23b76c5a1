import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extract } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversionError } from "../errors.js";
import { inspectImage } from "../inspect/inspect.js";
import { checksumFile } from "./checksum.js";
import { convertImage } from "./convert-image.js";
import { exportImage } from "./export-image.js";
import type { ConvertProgress } from "./progress.js";

const MiB = 1024 * 1024;
let dir: string;
let source: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-convert-"));
  source = join(dir, "sparse.raw");
  // 64 MiB, with data only in two places: everything else is a hole.
  const fh = await open(source, "w");
  await fh.truncate(64 * MiB);
  await fh.write(Buffer.alloc(MiB, 0xab), 0, MiB, 0);
  await fh.write(Buffer.from("end marker"), 0, 10, 40 * MiB);
  await fh.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("convertImage", () => {
  it("round-trips raw → qcow2 → raw keeping holes and content, with progress", async () => {
    const progress: ConvertProgress[] = [];
    const qcow2 = join(dir, "a.qcow2");
    const first = await convertImage(
      {
        source,
        sourceFormat: "raw",
        output: qcow2,
        outputFormat: "qcow2",
        onProgress: (p) => progress.push(p),
      },
      {},
    );
    expect(first.output.virtualSize).toBe(64 * MiB);
    expect(progress.at(-1)?.percent).toBe(100);
    expect(progress.at(-1)?.bytesDone).toBe(64 * MiB);
    const back = join(dir, "back.raw");
    await convertImage({ source: qcow2, sourceFormat: "qcow2", output: back, outputFormat: "raw" });
    const [a, b] = await Promise.all([checksumFile(source), checksumFile(back)]);
    expect(b).toEqual(a);
    expect((await stat(back)).blocks * 512).toBeLessThan(4 * MiB);
  });

  it("checksums a sparse file like its full content", async () => {
    const sums = await checksumFile(source, { bufferSize: 1024 * 1024 });
    const sha = createHash("sha256");
    for await (const chunk of createReadStream(source)) sha.update(chunk as Buffer);
    expect(sums.sha256).toBe(sha.digest("hex"));
    expect(sums.bytes).toBe(64 * MiB);
  });

  it("stops at the output-size cap", async () => {
    const out = join(dir, "capped.raw");
    const qcow2 = join(dir, "cap-src.qcow2");
    await convertImage({ source, output: qcow2, outputFormat: "qcow2" });
    const err = await convertImage(
      { source: qcow2, output: out, outputFormat: "vdi" },
      { maxOutputBytes: 64 * 1024 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConversionError);
    expect((err as ConversionError).reason).toBe("output-size");
    await expect(stat(out)).rejects.toThrow();
  });

  it("exports vdi and streamOptimized vmdk that our own inspector accepts", async () => {
    for (const format of ["vdi", "vmdk"] as const) {
      const out = join(dir, `e.${format}`);
      await exportImage({ source, output: out, format });
      const info = await inspectImage(out);
      expect(info.format).toBe(format);
      expect(info.failures).toEqual([]);
      if (format === "vmdk") expect(info.details.createType).toBe("streamOptimized");
    }
  });

  it("exports an OVA: OVF first, disk, manifest with matching SHA-256", async () => {
    const out = join(dir, "vm.ova");
    const result = await exportImage({
      source,
      output: out,
      format: "ova",
      ova: { name: "vm", cpus: 2, memoryMiB: 2048 },
    });
    expect(result.members).toEqual(["vm.ovf", "vm-disk1.vmdk", "vm.mf"]);
    const files = new Map<string, Buffer>();
    const ex = extract();
    ex.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: unknown) => chunks.push(c as Buffer));
      stream.on("end", () => {
        files.set(header.name, Buffer.concat(chunks));
        next();
      });
    });
    const done = new Promise<void>((resolve) => ex.on("finish", () => resolve()));
    ex.end(await readFile(out));
    await done;
    expect([...files.keys()]).toEqual(result.members);
    const ovf = files.get("vm.ovf")!.toString();
    expect(ovf).toContain('ovf:capacity="67108864"');
    expect(ovf).toContain("<rasd:VirtualQuantity>2</rasd:VirtualQuantity>");
    const mf = files.get("vm.mf")!.toString();
    for (const [name, body] of files) {
      if (name.endsWith(".mf")) continue;
      expect(mf).toContain(`SHA256(${name})= ${createHash("sha256").update(body).digest("hex")}`);
    }
  });
});
