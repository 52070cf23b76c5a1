/**
 * Bounds the audit rows that refused federation requests can write. A refusal that names a
 * peer's key is audited, but a key id is public (it is the fingerprint in the profile), so
 * anyone can send requests naming it with a bad signature: unbounded, that would let a stranger
 * fill the append-only audit log. One row per peer and reason per window is written; the
 * refusals in between go to the log only, and the next row counts them (`suppressed`).
 *
 * Kept in memory, per controller process: with several controllers each writes its own row
 * per window, which stays bounded. Pure apart from the clock it is given.
 */
export class RefusalAuditLimiter {
  private readonly windows = new Map<string, { startedAt: number; suppressed: number }>();

  constructor(
    private readonly windowMs = 60_000,
    /** Distinct (peer, reason) pairs remembered at most; the oldest windows are dropped first. */
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * Whether this refusal gets an audit row; when it does, how many of the same (peer, reason)
   * were refused without one since the last row.
   */
  admit(peerId: string, reason: string, now: number): { audit: true; suppressed: number } | { audit: false } {
    const key = `${peerId}\u0000${reason}`;
    const window = this.windows.get(key);
    if (window && now - window.startedAt < this.windowMs) {
      window.suppressed += 1;
      return { audit: false };
    }
    const suppressed = window?.suppressed ?? 0;
    this.windows.delete(key);
    this.windows.set(key, { startedAt: now, suppressed: 0 });
    this.evict(now);
    return { audit: true, suppressed };
  }

  private evict(now: number): void {
    // Map keeps insertion order, and a key is re-inserted when its window opens: oldest first.
    for (const [key, window] of this.windows) {
      const expiredQuiet = now - window.startedAt >= this.windowMs && window.suppressed === 0;
      if (this.windows.size <= this.maxEntries && !expiredQuiet) break;
      this.windows.delete(key);
    }
  }
}

/** The process's limiter for refusal audits (see {@link RefusalAuditLimiter}). */
export const refusalAudits = new RefusalAuditLimiter();
