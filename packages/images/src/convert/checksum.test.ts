import { createHash } from "node:crypto";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksumFile, sha256Checksum } from "./checksum.js";

const MiB = 1024 * 1024;
let dir: string;
let sparse: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-checksum-"));
  sparse = join(dir, "sparse.raw");
  // 256 MiB apparent, 2 MiB of data: at both ends and one odd-sized run in the middle.
  const fh = await open(sparse, "w");
  await fh.truncate(256 * MiB);
  await fh.write(Buffer.alloc(MiB, 0x11), 0, MiB, 0);
  await fh.write(Buffer.from("middle, not block-aligned"), 0, 25, 77 * MiB + 123);
  await fh.write(Buffer.alloc(MiB, 0x22), 0, MiB, 255 * MiB);
  await fh.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("checksumFile", () => {
  it("gives the same digests skipping holes as reading every byte, in a fraction of the time", async () => {
    const t0 = performance.now();
    const read = await sha256Checksum(sparse);
    const readMs = performance.now() - t0;
    const t1 = performance.now();
    const skipped = await sha256Checksum(sparse, { skipHoles: true });
    const skipMs = performance.now() - t1;
    expect(skipped).toEqual(read);
    expect((await checksumFile(sparse, { skipHoles: true })).sha256).toBe(read.sha256);
    expect(read.bytes).toBe(256 * MiB);
    // Holes come from memory instead of the filesystem; the margin is wide for a busy machine.
    console.log(
      `checksum of a sparse 256 MiB file: ${readMs.toFixed(0)} ms reading it, ${skipMs.toFixed(0)} ms skipping holes`,
    );
    expect(skipMs).toBeLessThan(readMs);
  }, 60_000);

  it("agrees with a plain sha256 of a small dense file", async () => {
    const dense = join(dir, "dense.bin");
    await (await open(dense, "w")).close();
    const fh = await open(dense, "w");
    await fh.write(Buffer.from("hello holes"));
    await fh.close();
    const expected = createHash("sha256")
      .update(await readFile(dense))
      .digest("hex");
    expect((await checksumFile(dense, { skipHoles: true })).sha256).toBe(expected);
  });

  it("stops when its signal is aborted (the export's deadline)", async () => {
    const controller = new AbortController();
    controller.abort(new Error("deadline"));
    await expect(checksumFile(sparse, { skipHoles: true, signal: controller.signal })).rejects.toThrow(
      "deadline",
    );
  });
});
