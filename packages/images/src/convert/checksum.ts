import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

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
}

/**
 * Streams a file once through SHA-256 and MD5. Holes in sparse files read as zeros, which is
 * what the digest of the logical content needs.
 */
export async function checksumFile(path: string, options: ChecksumOptions = {}): Promise<FileChecksums> {
  const sha256 = createHash("sha256");
  const md5 = createHash("md5");
  let bytes = 0;
  for await (const chunk of createReadStream(path, {
    highWaterMark: options.bufferSize ?? 8 * 1024 * 1024,
  })) {
    const buffer = chunk as Buffer;
    sha256.update(buffer);
    md5.update(buffer);
    bytes += buffer.length;
  }
  return { sha256: sha256.digest("hex"), md5: md5.digest("hex"), bytes };
}
