import { createHash } from "node:crypto";
import { mkdtemp, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BaseImageCache } from "./base-image-cache.js";
import { DiskConflictError, ImageChecksumError } from "./errors.js";
import { ensureOverlay, removeOverlay } from "./overlay.js";
import { imageInfo, overlayCreateArgs } from "./qemu-img.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-disks-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rawImage(name: string, bytes: number): Promise<{ path: string; sha256: string }> {
  const content = Buffer.alloc(bytes, 7);
  const path = join(dir, name);
  await writeFile(path, content);
  return { path, sha256: createHash("sha256").update(content).digest("hex") };
}

describe("overlayCreateArgs", () => {
  it("names both formats explicitly", () => {
    expect(overlayCreateArgs("/d/o.qcow2", "/c/base", "raw", 1024)).toEqual([
      "create",
      "-q",
      "-f",
      "qcow2",
      "-F",
      "raw",
      "-b",
      "/c/base",
      "/d/o.qcow2",
      "1024",
    ]);
  });
});

describe("BaseImageCache", () => {
  it("inserts under the sha256 after verifying, and is idempotent", async () => {
    const src = await rawImage("src.raw", 1 << 20);
    const cache = new BaseImageCache({ dir: join(dir, "cache") });
    const image = await cache.insert(src.path, src.sha256, "raw");
    expect(image).toMatchObject({
      sha256: src.sha256,
      format: "raw",
      sizeBytes: 1 << 20,
      path: join(dir, "cache", src.sha256),
    });
    expect((await stat(image.path)).mode & 0o777).toBe(0o444);
    expect(await cache.insert(src.path, src.sha256, "raw")).toEqual(image);
    expect(await cache.list()).toEqual([image]);
    await expect(cache.verify(src.sha256)).resolves.toEqual(image);
  });

  it("refuses a file whose hash is not the one claimed", async () => {
    const src = await rawImage("src.raw", 4096);
    const cache = new BaseImageCache({ dir: join(dir, "cache") });
    await expect(cache.insert(src.path, "0".repeat(64), "raw")).rejects.toBeInstanceOf(ImageChecksumError);
    expect(await cache.list()).toEqual([]);
  });

  it("drops an entry whose size changed behind its back", async () => {
    const src = await rawImage("src.raw", 4096);
    const cache = new BaseImageCache({ dir: join(dir, "cache") });
    const image = await cache.insert(src.path, src.sha256, "raw");
    await rm(image.path);
    await writeFile(image.path, "tampered");
    expect(await cache.get(src.sha256)).toBeUndefined();
  });
});

describe("ensureOverlay", () => {
  it("creates a qcow2 overlay with explicit backing format, grows it, and never recreates it", async () => {
    const base = await rawImage("base.raw", 1 << 20);
    const path = join(dir, "disk.qcow2");
    const first = await ensureOverlay({
      path,
      backingFile: base.path,
      backingFormat: "raw",
      sizeBytes: 8 << 20,
    });
    expect(first).toMatchObject({ created: true, virtualSizeBytes: 8 << 20 });
    const info = await imageInfo(path, "qcow2");
    expect(info).toMatchObject({
      format: "qcow2",
      backingFilename: base.path,
      backingFormat: "raw",
      virtualSizeBytes: 8 << 20,
    });

    expect(
      await ensureOverlay({ path, backingFile: base.path, backingFormat: "raw", sizeBytes: 8 << 20 }),
    ).toMatchObject({
      created: false,
      resized: false,
    });
    expect(
      await ensureOverlay({ path, backingFile: base.path, backingFormat: "raw", sizeBytes: 16 << 20 }),
    ).toMatchObject({
      resized: true,
      virtualSizeBytes: 16 << 20,
    });
    await expect(
      ensureOverlay({ path, backingFile: base.path, backingFormat: "raw", sizeBytes: 8 << 20 }),
    ).rejects.toBeInstanceOf(DiskConflictError);
    await removeOverlay(path);
    await removeOverlay(path);
    await expect(stat(path)).rejects.toThrow();
  });

  it("refuses a disk smaller than its base", async () => {
    const base = await rawImage("base.raw", 1 << 20);
    await truncate(base.path, 4 << 20);
    await expect(
      ensureOverlay({
        path: join(dir, "d.qcow2"),
        backingFile: base.path,
        backingFormat: "raw",
        sizeBytes: 1 << 20,
      }),
    ).rejects.toBeInstanceOf(DiskConflictError);
  });
});
