import type { Principal } from "@layerboom/core";
import type { Database } from "@layerboom/db";

interface Entry {
  principal: Principal;
  /** When this entry stops being trusted: the cache TTL or the token's own expiry, whichever is first. */
  until: number;
}

/**
 * Bearer token → principal, for a couple of seconds. Every authenticated request would
 * otherwise pay a database round trip before its real work. Keys are the token id and the
 * SHA-256 of its secret (never the secret). Revoking a token, or changing or disabling a
 * user, clears the cache of this controller at once; other replicas notice within the TTL,
 * which bounds how long a revoked token can still work there.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 2_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now = Date.now()): Principal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: Principal, tokenExpiresAt: Date | null, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const until = Math.min(now + this.ttlMs, tokenExpiresAt?.getTime() ?? Infinity);
    this.entries.set(key, { principal, until });
  }

  clear(): void {
    this.entries.clear();
  }
}

const caches = new WeakMap<Database, PrincipalCache>();

/** The principal cache of the controller that serves this database connection. */
export function principalCacheOf(database: Database): PrincipalCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new PrincipalCache();
    caches.set(database, cache);
  }
  return cache;
}
