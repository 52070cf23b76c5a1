import { constants } from "node:fs";
import { open, unlink } from "node:fs/promises";
import type { MemberChunk } from "./sparse-tar.js";

/** Zero runs this long, aligned in the file, stay holes even inside a data region. */
const HOLE_GRAIN = 64 * 1024;
/** Data is gathered into writes of this size: decompressed chunks arrive at 16–64 KiB. */
const WRITE_SIZE = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(HOLE_GRAIN);

/**
 * Writes positioned chunks into a new file (O_EXCL, O_NOFOLLOW, no set-id bits) and sets its
 * size: nothing is written where no chunk lands, nor where a whole aligned 64 KiB of a chunk is
 * zeros, so the file keeps the holes of a sparse member and of a plain one alike. On any
 * failure the file is removed. Resolves with the bytes actually written.
 */
export async function writeSparseFile(
  path: string,
  mode: number,
  size: number,
  content: AsyncIterable<MemberChunk>,
): Promise<number> {
  const fh = await open(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode & 0o755,
  );
  const buffer = Buffer.allocUnsafe(WRITE_SIZE);
  let start = 0;
  let fill = 0;
  let written = 0;
  const flush = async () => {
    let at = 0;
    while (at < fill) {
      // Pieces end on HOLE_GRAIN boundaries of the file, so a hole left here is a whole block.
      const end = Math.min(fill, at + HOLE_GRAIN - ((start + at) % HOLE_GRAIN));
      const piece = buffer.subarray(at, end);
      if (piece.length === HOLE_GRAIN && piece.equals(ZEROS)) {
        at = end;
        continue;
      }
      let runEnd = end;
      while (runEnd < fill) {
        const next = buffer.subarray(runEnd, Math.min(fill, runEnd + HOLE_GRAIN));
        if (next.length === HOLE_GRAIN && next.equals(ZEROS)) break;
        runEnd += next.length;
      }
      await fh.write(buffer, at, runEnd - at, start + at);
      written += runEnd - at;
      at = runEnd;
    }
    start += fill;
    fill = 0;
  };
  try {
    for await (const chunk of content) {
      if (chunk.position + chunk.data.length > size)
        throw new RangeError("a chunk lies past the file's size");
      if (chunk.position !== start + fill) {
        await flush();
        start = chunk.position;
      }
      for (let at = 0; at < chunk.data.length;) {
        const n = chunk.data.copy(buffer, fill, at);
        fill += n;
        at += n;
        if (fill === buffer.length) await flush();
      }
    }
    await flush();
    await fh.truncate(size);
    await fh.close();
    return written;
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
}
