import { InvalidInputError } from "@layerboom/core";
import type { Page, PageRequest } from "../base/context.js";

/** Cursors are opaque to clients: base64url of the last id seen. */
export function encodeCursor(after: string): string {
  return Buffer.from(after, "utf8").toString("base64url");
}

export function pageRequest(query: { limit?: number | undefined; cursor?: string | undefined }): PageRequest {
  const limit = query.limit ?? 50;
  if (!query.cursor) return { limit };
  const after = Buffer.from(query.cursor, "base64url").toString("utf8");
  if (!/^[a-z]+_[0-9a-z]+$/.test(after))
    throw new InvalidInputError("cursor", "The cursor is malformed; pass next_cursor unchanged.");
  return { limit, after };
}

export function pageResponse<T>(page: Page<T>): { items: T[]; next_cursor: string | null } {
  return { items: page.items, next_cursor: page.nextAfter ? encodeCursor(page.nextAfter) : null };
}
