import { createHash } from "node:crypto";
import { createReadStream, type ReadStream } from "node:fs";
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { folderPath, pathInside } from "./path-inside.js";

const SHA256 = /^[0-9a-f]{64}$/;

/** A stored file, named by its content. */
export interface Blob {
  sha256: string;
  sizeBytes: number;
  path: string;
}

/**
 * Content-addressed files the controller serves to agents (image disks, kernels, initrds)
 * at `/agent/v1/blobs/<sha256>`. A name is its content's hash, so a file is never half-
 * replaced and an agent can verify what it fetched. A hash is only a name, never a right:
 * who may use a blob is decided by the images that point at it (images/images.ts,
 * agents/agent-routes.ts), and no client can make an image point at a hash. One folder per controller: with several
 * replicas this folder must be shared storage (see docs/agent-protocol.md).
 */
export class BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = folderPath(dir);
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new RangeError(`not a sha256: ${sha256}`);
    return pathInside(this.dir, sha256);
  }

  /** The blob with this hash, if stored. */
  async get(sha256: string): Promise<Blob | undefined> {
    if (!SHA256.test(sha256)) return undefined;
    const path = this.pathOf(sha256);
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? { sha256, sizeBytes: info.size, path } : undefined;
  }

  /** Copies a file in under the hash of its content (computed here, never trusted). Idempotent. */
  async put(source: string): Promise<Blob> {
    await mkdir(this.dir, { recursive: true });
    const tmp = pathInside(
      this.dir,
      `.incoming-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    try {
      await copyFile(source, tmp);
      const sha256 = await sha256OfFile(tmp);
      const existing = await this.get(sha256);
      if (existing) return existing;
      await rename(tmp, this.pathOf(sha256));
      return (await this.get(sha256)) as Blob;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * Moves a file in under a sha256 the caller computed over exactly this file in this
   * process (the image pipeline hashes its output once, for sha256 and md5 together). The
   * file must be on the blob store's filesystem; it is renamed, not copied.
   */
  async adopt(path: string, sha256: string): Promise<Blob> {
    await mkdir(this.dir, { recursive: true });
    const existing = await this.get(sha256);
    if (existing) {
      await rm(path, { force: true });
      return existing;
    }
    await rename(path, this.pathOf(sha256));
    return (await this.get(sha256)) as Blob;
  }

  /** A stream of the blob's bytes, from `start` (for resumed downloads). */
  open(sha256: string, start = 0): ReadStream {
    return createReadStream(this.pathOf(sha256), { start });
  }
}

/** sha256 of a file's content, streamed in 4 MiB reads (half the time of the default 64 KiB on multi-GiB disks). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }), hash);
  return hash.digest("hex");
}
