/** A sample stamped for idempotent delivery: the controller dedupes on (hostId, bootId, seq). */
export interface Sample<T> {
  readonly hostId: string;
  /** Identifies this sampler's lifetime; sequence numbers restart with a new bootId. */
  readonly bootId: string;
  /** Increases by one per sample within (hostId, bootId); a gap means samples were dropped. */
  readonly seq: number;
  readonly payload: T;
}

/** Options for SampleBuffer. */
export interface SampleBufferOptions {
  readonly hostId: string;
  /**
   * Unique per sampler lifetime. The kernel boot id alone is not enough if the agent can restart
   * within one boot; combine it with the agent's start time (see readBootId).
   */
  readonly bootId: string;
  /** Samples kept while the controller is unreachable; the oldest are dropped beyond this. */
  readonly maxBuffered: number;
}

/**
 * Numbers samples and holds them until the controller acknowledges them. Bounded: when full the
 * oldest sample is dropped (counted in `dropped`) so a long outage cannot exhaust the agent's memory.
 */
export class SampleBuffer<T> {
  private readonly buffer: Sample<T>[] = [];
  private nextSeq = 1;
  private droppedCount = 0;

  constructor(private readonly options: SampleBufferOptions) {
    if (!Number.isSafeInteger(options.maxBuffered) || options.maxBuffered < 1) {
      throw new RangeError("maxBuffered must be a positive integer");
    }
  }

  /** Stamps and buffers a payload. */
  push(payload: T): Sample<T> {
    const sample = { hostId: this.options.hostId, bootId: this.options.bootId, seq: this.nextSeq++, payload };
    this.buffer.push(sample);
    if (this.buffer.length > this.options.maxBuffered) {
      this.buffer.shift();
      this.droppedCount++;
    }
    return sample;
  }

  /** Samples not yet acknowledged, oldest first. */
  pending(): readonly Sample<T>[] {
    return [...this.buffer];
  }

  /** Samples lost to the bound since creation. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Forgets every sample with seq <= `seq`. */
  acknowledge(seq: number): void {
    while (this.buffer.length > 0 && this.buffer[0]!.seq <= seq) this.buffer.shift();
  }

  /**
   * Sends pending samples in batches; acknowledged only after `send` resolves, so a failed send
   * leaves them for the next flush and the controller may see some twice (it dedupes on seq).
   */
  async flush(send: (batch: readonly Sample<T>[]) => Promise<void>, maxBatch = 500): Promise<number> {
    let sent = 0;
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, maxBatch);
      await send(batch);
      this.acknowledge(batch[batch.length - 1]!.seq);
      sent += batch.length;
    }
    return sent;
  }
}
