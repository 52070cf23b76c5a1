import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import {
  chmod,
  copyFile,
  constants,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { join, resolve } from "node:path";
import { BaseImageNotCachedError, ImageChecksumError } from "./errors.js";
import type { DiskFormat } from "./qemu-img.js";

/** Options for {@link BaseImageCache}. */
export interface BaseImageCacheOptions {
  /** Folder that holds `<sha256>` image files and `<sha256>.json` records. */
  dir: string;
}

/** Options after validation. */
export interface CompiledBaseImageCacheOptions {
  dir: string;
}

/** Validates {@link BaseImageCacheOptions}. */
export function compileBaseImageCacheOptions(options: BaseImageCacheOptions): CompiledBaseImageCacheOptions {
  if (!options.dir) throw new RangeError("base image cache dir is required");
  return { dir: resolve(options.dir) };
}

/** A verified base image in the host cache. */
export interface CachedImage {
  sha256: string;
  format: DiskFormat;
  path: string;
  sizeBytes: number;
}

interface Record_ {
  sha256: string;
  format: DiskFormat;
  sizeBytes: number;
  verifiedAt: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Per-host cache of base images, addressed by sha256. Files are verified in full on insert
 * and then trusted by size + recorded hash (a full re-hash of a 10 GiB image on every VM
 * start would cost minutes); {@link verify} re-hashes on demand.
 */
export class BaseImageCache {
  private readonly options: CompiledBaseImageCacheOptions;

  constructor(options: BaseImageCacheOptions) {
    this.options = compileBaseImageCacheOptions(options);
  }

  /** Path of the image file for a hash (whether or not it is cached). */
  pathOf(sha256: string): string {
    assertSha(sha256);
    return join(this.options.dir, sha256);
  }

  /**
   * Copies `source` into the cache under its sha256, verifying it against `sha256`.
   * Idempotent: an image already cached (and intact by size) is not copied again.
   */
  async insert(source: string, sha256: string, format: DiskFormat): Promise<CachedImage> {
    const cached = await this.get(sha256);
    if (cached) return cached;
    await mkdir(this.options.dir, { recursive: true });
    const target = this.pathOf(sha256);
    const tmp = `${target}.${process.pid}.${Date.now()}.part`;
    try {
      // A reflink where the filesystem supports it, a plain copy elsewhere. Hash the copy, not the
      // source: what we verify must be what we store.
      await copyFile(source, tmp, constants.COPYFILE_FICLONE);
      const actual = await sha256File(tmp);
      if (actual !== sha256) throw new ImageChecksumError(source, sha256, actual);
      await chmod(tmp, 0o444);
      const { size } = await stat(tmp);
      await rename(tmp, target);
      const record: Record_ = { sha256, format, sizeBytes: size, verifiedAt: new Date().toISOString() };
      await writeFile(`${target}.json`, `${JSON.stringify(record)}\n`);
      return { sha256, format, path: target, sizeBytes: size };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** The cached image, or undefined when it is absent or its size no longer matches the record. */
  async get(sha256: string): Promise<CachedImage | undefined> {
    const path = this.pathOf(sha256);
    const record = await readRecord(`${path}.json`);
    if (!record || record.sha256 !== sha256) return undefined;
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== record.sizeBytes) return undefined;
    return { sha256, format: record.format, path, sizeBytes: size };
  }

  /** Like {@link get}, but throws BaseImageNotCachedError when absent. */
  async require(sha256: string): Promise<CachedImage> {
    const image = await this.get(sha256);
    if (!image) throw new BaseImageNotCachedError(sha256);
    return image;
  }

  /** Re-hashes a cached image in full; a corrupt one is removed and ImageChecksumError thrown. */
  async verify(sha256: string): Promise<CachedImage> {
    const image = await this.require(sha256);
    const actual = await sha256File(image.path);
    if (actual !== sha256) {
      await this.remove(sha256);
      throw new ImageChecksumError(image.path, sha256, actual);
    }
    return image;
  }

  /** Every cached image. */
  async list(): Promise<CachedImage[]> {
    const names = await readdir(this.options.dir).catch(() => [] as string[]);
    const images: CachedImage[] = [];
    for (const name of names) {
      if (!SHA256.test(name)) continue;
      const image = await this.get(name);
      if (image) images.push(image);
    }
    return images;
  }

  /** Removes a cached image (overlays on it break: the caller checks none is left). */
  async remove(sha256: string): Promise<void> {
    const path = this.pathOf(sha256);
    await rm(`${path}.json`, { force: true });
    await rm(path, { force: true });
  }
}

function assertSha(sha256: string): void {
  if (!SHA256.test(sha256)) throw new RangeError(`not a lowercase sha256: ${sha256}`);
}

async function readRecord(path: string): Promise<Record_ | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record_;
  } catch {
    return undefined;
  }
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
