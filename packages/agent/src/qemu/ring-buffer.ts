/**
 * Keeps the last `capacity` bytes of a byte stream, with absolute offsets so that a reader can
 * ask for "everything since offset N" and learn whether part of it was already dropped.
 */
export class ByteRing {
  private chunks: Buffer[] = [];
  private length = 0;
  private total = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError(`capacity must be positive, got ${capacity}`);
  }

  /** Offset one past the last byte ever appended. */
  get end(): number {
    return this.total;
  }

  /** Offset of the oldest byte still kept. */
  get start(): number {
    return this.total - this.length;
  }

  append(data: Buffer): void {
    if (data.length === 0) return;
    this.total += data.length;
    if (data.length >= this.capacity) {
      this.chunks = [Buffer.from(data.subarray(data.length - this.capacity))];
      this.length = this.capacity;
      return;
    }
    this.chunks.push(Buffer.from(data));
    this.length += data.length;
    while (this.length > this.capacity) {
      const first = this.chunks[0];
      if (!first) break;
      const excess = this.length - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.length -= excess;
      }
    }
  }

  /** The kept bytes from `offset` (clamped to {@link start}) to the end. */
  since(offset = 0): Buffer {
    const all = Buffer.concat(this.chunks, this.length);
    const from = Math.max(offset, this.start) - this.start;
    return all.subarray(Math.min(from, all.length));
  }
}
