import { createReadStream, createWriteStream } from "node:fs";
import { link, mkdtemp, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { ProgramError, runProgram } from "@layerboom/sys";
import { ArchiveRejectedError } from "../errors.js";
import {
  compileDecompressOptions,
  type CompiledDecompressOptions,
  type DecompressOptions,
} from "./options.js";

/** Compression formats recognised by their magic bytes. */
export type Compression = "gzip" | "xz" | "bzip2" | "none";

/** Names the compression of a stream from its first bytes. */
export function detectCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz";
  if (head.subarray(0, 3).toString("latin1") === "BZh") return "bzip2";
  return "none";
}

/** Output bytes below which the ratio is not judged, so tiny inputs are not refused for compressing well. */
const RATIO_FLOOR = 1024 * 1024;

/**
 * Guards for a streaming decompressor: put `input` before it and `output` after it. The output
 * fails as soon as it passes the size cap, or the ratio to the input seen so far passes the ratio cap.
 */
export function createDecompressionGuard(options: DecompressOptions = {}): {
  input: Transform;
  output: Transform;
} {
  const opts = compileDecompressOptions(options);
  let inBytes = 0;
  let outBytes = 0;
  const input = new Transform({
    transform(chunk: Buffer, _enc, done) {
      inBytes += chunk.length;
      done(null, chunk);
    },
  });
  const output = new Transform({
    transform(chunk: Buffer, _enc, done) {
      outBytes += chunk.length;
      if (outBytes > opts.maxOutputBytes) {
        done(
          new ArchiveRejectedError(
            "decompression-size",
            `decompressed output passed ${opts.maxOutputBytes} bytes`,
          ),
        );
      } else if (outBytes > RATIO_FLOOR && outBytes > inBytes * opts.maxRatio) {
        done(
          new ArchiveRejectedError(
            "decompression-ratio",
            `decompressed ${outBytes} bytes from ${inBytes}: ratio above ${opts.maxRatio}`,
          ),
        );
      } else {
        done(null, chunk);
      }
    },
  });
  return { input, output };
}

/** A finished decompression. */
export interface DecompressResult {
  compression: Compression;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Decompresses a gzip, xz or bzip2 file to `destination` under a size and a ratio cap. Gzip is
 * streamed through zlib; xz and bzip2 run as programs under RLIMIT_FSIZE, so the kernel enforces
 * the cap and no decompressed byte passes through Node.
 */
export async function decompressFile(
  source: string,
  destination: string,
  options: DecompressOptions = {},
): Promise<DecompressResult> {
  const opts = compileDecompressOptions(options);
  const fh = await open(source, "r");
  const head = Buffer.alloc(8);
  await fh.read(head, 0, 8, 0);
  await fh.close();
  const compression = detectCompression(head);
  const bytesIn = (await stat(source)).size;
  try {
    if (compression === "gzip") {
      const guard = createDecompressionGuard(opts);
      await pipeline(
        createReadStream(source),
        guard.input,
        createGunzip(),
        guard.output,
        createWriteStream(destination, { flags: "wx" }),
      );
    } else if (compression === "xz" || compression === "bzip2") {
      await decompressWithProgram(compression, source, destination, bytesIn, opts);
    } else {
      throw new ArchiveRejectedError("decompression-failed", "input is not gzip, xz or bzip2");
    }
  } catch (err) {
    await rm(destination, { force: true });
    if (err instanceof ArchiveRejectedError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ArchiveRejectedError("decompression-failed", `${compression} stream is corrupt: ${message}`);
  }
  return { compression, bytesIn, bytesOut: (await stat(destination)).size };
}

async function decompressWithProgram(
  compression: "xz" | "bzip2",
  source: string,
  destination: string,
  bytesIn: number,
  opts: CompiledDecompressOptions,
): Promise<void> {
  const ratioCap = Math.max(RATIO_FLOOR, bytesIn * opts.maxRatio);
  const cap = Math.min(opts.maxOutputBytes, ratioCap);
  const work = await mkdtemp(join(dirname(destination), ".decompress-"));
  const suffix = compression === "xz" ? ".xz" : ".bz2";
  const linked = join(work, `input${suffix}`);
  try {
    // Both tools decompress "name.xz" to "name" beside it; a hard link gives them that name without a copy.
    await link(source, linked);
    const args =
      compression === "xz"
        ? ["-d", "-k", "-f", "-T1", "--memlimit-decompress=256MiB", "--", linked]
        : ["-d", "-k", "-f", "--", linked];
    try {
      await runProgram(compression, args, {
        timeoutMs: opts.timeoutMs,
        limits: {
          fileSizeBytes: cap,
          addressSpaceBytes: 1024 ** 3,
          cpuSeconds: Math.ceil(opts.timeoutMs / 1000),
        },
      });
    } catch (err) {
      if (err instanceof ProgramError && (err.signal === "SIGXFSZ" || /File too large/i.test(err.stderr))) {
        throw cap < opts.maxOutputBytes
          ? new ArchiveRejectedError(
              "decompression-ratio",
              `decompressed output passed ${cap} bytes: ratio above ${opts.maxRatio}`,
            )
          : new ArchiveRejectedError(
              "decompression-size",
              `decompressed output passed ${opts.maxOutputBytes} bytes`,
            );
      }
      throw err;
    }
    await rename(join(work, "input"), destination);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
