import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { runProgram } from "@layerboom/sys";

/** Digests of one file. */
export interface FileChecksums {
  sha256: string;
  md5: string;
  bytes: number;
}

/** Options for checksumFile. */
export interface ChecksumOptions {
  /** Read size; large reads keep syscalls few on multi-GiB images. Default 8 MiB. */
  bufferSize?: number;
  /**
   * Ask the filesystem where the holes are (`qemu-img map`, i.e. SEEK_HOLE) and hash zeros
   * from memory there instead of reading them: a sparse 512 GiB raw export hashes about 8
   * times faster. Same digest either way.
   */
  skipHoles?: boolean;
  /** Stops the checksum (it rejects with the signal's reason): the caller's deadline. */
  signal?: AbortSignal;
}

/** A stretch of a file: data to read, or a hole that reads as zeros. */
interface Extent {
  start: number;
  length: number;
  data: boolean;
}

/**
 * Where the data of a file is, as `qemu-img map -f raw` reports it; undefined when it cannot
 * tell (then every byte is read).
 */
async function fileExtents(path: string, size: number, signal?: AbortSignal): Promise<Extent[] | undefined> {
  try {
    const { stdout } = await runProgram("qemu-img", ["map", "-f", "raw", "--output=json", "--", path], {
      timeoutMs: 60_000,
      maxOutputBytes: 64 * 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
    const raw = JSON.parse(stdout) as { start: number; length: number; data: boolean }[];
    const extents = raw.map((e) => ({ start: e.start, length: e.length, data: e.data }));
    // Only a map that covers the file exactly, in order, is trusted to skip anything.
    let at = 0;
    for (const e of extents) {
      if (e.start !== at || !Number.isSafeInteger(e.length) || e.length <= 0) return undefined;
      at += e.length;
    }
    return at === size ? extents : undefined;
  } catch {
    return undefined;
  }
}

async function hashRange(
  path: string,
  start: number,
  length: number,
  bufferSize: number,
  hashes: Hash[],
  signal: AbortSignal | undefined,
): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, {
    start,
    end: start + length - 1,
    highWaterMark: bufferSize,
  })) {
    signal?.throwIfAborted();
    for (const h of hashes) h.update(chunk as Buffer);
  }
}

/**
 * Streams a file once through SHA-256 and MD5. Holes in sparse files read as zeros, which is
 * what the digest of the logical content needs.
 */
export async function checksumFile(path: string, options: ChecksumOptions = {}): Promise<FileChecksums> {
  const [sha256, md5] = [createHash("sha256"), createHash("md5")];
  const bytes = await digestFile(path, [sha256, md5], options);
  return { sha256: sha256.digest("hex"), md5: md5.digest("hex"), bytes };
}

/** SHA-256 alone (an export's digest): MD5 would cost as much again and nobody asks for it. */
export async function sha256Checksum(
  path: string,
  options: ChecksumOptions = {},
): Promise<{ sha256: string; bytes: number }> {
  const sha256 = createHash("sha256");
  const bytes = await digestFile(path, [sha256], options);
  return { sha256: sha256.digest("hex"), bytes };
}

async function digestFile(path: string, hashes: Hash[], options: ChecksumOptions): Promise<number> {
  const bufferSize = options.bufferSize ?? 8 * 1024 * 1024;
  const signal = options.signal;
  signal?.throwIfAborted();
  const extents = options.skipHoles ? await fileExtents(path, (await stat(path)).size, signal) : undefined;
  if (!extents) {
    let bytes = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: bufferSize })) {
      signal?.throwIfAborted();
      for (const h of hashes) h.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return bytes;
  }
  const zeros = Buffer.alloc(bufferSize);
  let bytes = 0;
  let pieces = 0;
  for (const e of extents) {
    if (e.data) {
      await hashRange(path, e.start, e.length, bufferSize, hashes, signal);
    } else {
      for (let left = e.length; left > 0; left -= zeros.length) {
        signal?.throwIfAborted();
        const piece = left >= zeros.length ? zeros : zeros.subarray(0, left);
        for (const h of hashes) h.update(piece);
        // Hashing zeros never waits on I/O; yield so the event loop (leases, requests) keeps going.
        if (++pieces % 32 === 0) await new Promise(setImmediate);
      }
    }
    bytes += e.length;
  }
  return bytes;
}
