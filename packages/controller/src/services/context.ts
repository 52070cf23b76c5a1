import type { Principal } from "@layerboom/core";
import type { Database } from "@layerboom/db";

/** What every service call gets: the database, who is calling, and the request id for the audit log. */
export interface ServiceContext {
  database: Database;
  principal: Principal;
  requestId?: string | undefined;
  /** Tells the agent channel that a host's desired set changed, so its agent converges now. */
  hostChanged?: ((hostId: string) => void) | undefined;
}

/** A page request: rows after `after` (an id), at most `limit`. */
export interface PageRequest {
  limit: number;
  after?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** The id after which the next page starts, or null when this is the last page. */
  nextAfter: string | null;
}

/** Cuts a result fetched with limit + 1 rows into a page. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > limit && last ? last.id : null };
}
