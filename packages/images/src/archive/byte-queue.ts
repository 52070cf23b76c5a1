/** Chunks of a stream: a Readable, an async generator, or (in tests) an array of buffers. */
export type ChunkSource =
  AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}

/**
 * Pulls exact byte counts out of a stream of chunks without copying the data it passes on:
 * a tar reader takes 512-byte headers and then a member's data as the chunks that hold it.
 */
export class ByteQueue {
  private readonly iterator: AsyncIterator<Buffer>;
  private head: Buffer = Buffer.alloc(0);
  private ended = false;
  /** Bytes taken so far. */
  position = 0;

  constructor(source: ChunkSource) {
    const it =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source[Symbol.iterator]());
    this.iterator = {
      next: async () => {
        const r = await it.next();
        return r.done ? r : { done: false, value: Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value) };
      },
      return: async () => {
        await it.return?.();
        return { done: true, value: undefined };
      },
    };
  }

  private async fill(): Promise<boolean> {
    while (this.head.length === 0) {
      if (this.ended) return false;
      const r = await this.iterator.next();
      if (r.done) {
        this.ended = true;
        return false;
      }
      this.head = r.value;
    }
    return true;
  }

  /** Exactly `n` bytes (copied when they span chunks), or fewer only at the end of the stream. */
  async take(n: number): Promise<Buffer> {
    if (!(await this.fill())) return Buffer.alloc(0);
    if (this.head.length >= n) {
      const out = this.head.subarray(0, n);
      this.head = this.head.subarray(n);
      this.position += n;
      return out;
    }
    const pieces: Buffer[] = [];
    let got = 0;
    while (got < n && (await this.fill())) {
      const piece = this.head.subarray(0, n - got);
      this.head = this.head.subarray(piece.length);
      pieces.push(piece);
      got += piece.length;
    }
    this.position += got;
    return Buffer.concat(pieces, got);
  }

  /** The next `n` bytes as the chunks that hold them; stops early only at the end of the stream. */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0 && (await this.fill())) {
      const piece = this.head.subarray(0, left);
      this.head = this.head.subarray(piece.length);
      this.position += piece.length;
      left -= piece.length;
      yield piece;
    }
  }

  /** Reads and drops everything left. */
  async drain(): Promise<void> {
    while (await this.fill()) {
      this.position += this.head.length;
      this.head = Buffer.alloc(0);
    }
  }

  /** Stops the source (after a refusal). */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}
