import type { ExpressionBuilder } from "kysely";
import type { Schema } from "./schema.js";

/**
 * A filter for rows owned by accounts inside a subtree. Use it on any table joined to
 * `accounts` so that another tenant's rows are simply absent, which turns into a 404.
 */
export function accountInSubtree(accountPath: string) {
  return (eb: ExpressionBuilder<Schema, "accounts">) =>
    eb("accounts.path", "like", `${escapeLike(accountPath)}%`);
}

/** Escapes LIKE wildcards; account paths never contain them, but ids come from users. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
