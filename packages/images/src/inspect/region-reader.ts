import { open } from "node:fs/promises";

/** Random access to the first bytes of an image, so parsers never load a whole file. */
export interface RegionReader {
  readonly size: number;
  /** Reads up to `length` bytes at `offset`; shorter at end of file. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** A RegionReader over an in-memory buffer, for tests and small files. */
export function bufferReader(buffer: Buffer): RegionReader {
  return {
    size: buffer.length,
    read: async (offset, length) =>
      buffer.subarray(Math.min(offset, buffer.length), Math.min(offset + length, buffer.length)),
  };
}

/** Largest single read a parser may ask for; headers are small, so anything bigger is a bug or an attack. */
const MAX_READ = 4 * 1024 * 1024;

/** Opens a file as a RegionReader; the caller must call `close()`. */
export async function openFileReader(path: string): Promise<RegionReader & { close(): Promise<void> }> {
  const handle = await open(path, "r");
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new Error(`not a regular file: ${path}`);
  }
  return {
    size: stat.size,
    async read(offset, length) {
      if (offset >= stat.size || length <= 0) return Buffer.alloc(0);
      const want = Math.min(length, MAX_READ, stat.size - offset);
      const buffer = Buffer.alloc(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    },
    close: () => handle.close(),
  };
}
