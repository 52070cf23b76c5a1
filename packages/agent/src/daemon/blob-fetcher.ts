import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BlobRef } from "@layerboom/core";
import type { BaseImageCache, CachedImage } from "../disks/base-image-cache.js";
import type { DiskFormat } from "../disks/qemu-img.js";

/** Options for {@link BlobFetcher}. */
export interface BlobFetcherOptions {
  controllerUrl: string;
  credential: string;
  cache: BaseImageCache;
  /** Where downloads land before verification. */
  scratchDir: string;
}

/** A download that failed; carries the blob so the server's error names it. */
export class BlobFetchError extends Error {
  constructor(
    readonly sha256: string,
    message: string,
  ) {
    super(`blob ${sha256.slice(0, 12)}…: ${message}`);
    this.name = "BlobFetchError";
  }
}

/**
 * Brings image files from the controller into the host's base image cache. The cache
 * verifies the sha256 before anything uses a file, so a truncated or tampered download is
 * refused, never booted. Concurrent requests for one blob share one download.
 */
export class BlobFetcher {
  private readonly inflight = new Map<string, Promise<CachedImage>>();

  constructor(private readonly options: BlobFetcherOptions) {}

  /** The blob if it is already in the cache. */
  cached(sha256: string): Promise<CachedImage | undefined> {
    return this.options.cache.get(sha256);
  }

  ensure(blob: BlobRef, format: DiskFormat): Promise<CachedImage> {
    const pending = this.inflight.get(blob.sha256);
    if (pending) return pending;
    const fetching = this.fetch(blob, format).finally(() => this.inflight.delete(blob.sha256));
    this.inflight.set(blob.sha256, fetching);
    return fetching;
  }

  private async fetch(blob: BlobRef, format: DiskFormat): Promise<CachedImage> {
    const cached = await this.options.cache.get(blob.sha256);
    if (cached) return cached;
    await mkdir(this.options.scratchDir, { recursive: true });
    const tmp = join(this.options.scratchDir, `${blob.sha256}.${process.pid}.download`);
    try {
      const res = await fetch(new URL(`/agent/v1/blobs/${blob.sha256}`, this.options.controllerUrl), {
        headers: { authorization: `Bearer ${this.options.credential}` },
      });
      if (!res.ok || !res.body)
        throw new BlobFetchError(blob.sha256, `the controller answered HTTP ${res.status}`);
      await pipeline(Readable.fromWeb(res.body), createWriteStream(tmp, { mode: 0o600 }));
      return await this.options.cache.insert(tmp, blob.sha256, format);
    } finally {
      await rm(tmp, { force: true });
    }
  }
}
