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

/**
 * The controller acting on its own, with no caller: a schedule, a sweep, a job. `system` names
 * the work (`month-close`, `suspension-sweep`), and the audit log records it in place of a user.
 */
export interface SystemActor {
  system: string;
}

/** Who makes a change: a caller (its principal and request), or the controller itself. */
export type Actor = Pick<ServiceContext, "principal" | "requestId"> | SystemActor;

/** The actor of background work named `work`. */
export function systemActor(work: string): SystemActor {
  return { system: work };
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
