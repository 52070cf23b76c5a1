import type { Database } from "@layerboom/db";
import { ThrottledError } from "@layerboom/core";

/** Failures allowed before the account is locked at all. */
const FREE_FAILURES = 5;
const BASE_LOCK_SECONDS = 1;
const MAX_LOCK_SECONDS = 15 * 60;

/** Lock length after `failures` consecutive failures: doubling from 1 s after the fifth, capped at 15 min. */
export function lockSecondsAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES));
}

/** Throws ThrottledError while the account (by email) is locked. */
export async function assertNotThrottled(database: Database, email: string, now = new Date()): Promise<void> {
  const row = await database.db
    .selectFrom("login_attempts")
    .select("locked_until")
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
  if (row?.locked_until && row.locked_until > now) {
    throw new ThrottledError(Math.ceil((row.locked_until.getTime() - now.getTime()) / 1000));
  }
}

/** Counts a failure and extends the lock; one statement, so concurrent failures all count. */
export async function recordLoginFailure(database: Database, email: string, now = new Date()): Promise<void> {
  const row = await database.db
    .insertInto("login_attempts")
    .values({ email: email.toLowerCase(), failures: 1, last_failure_at: now })
    .onConflict((oc) =>
      oc
        .column("email")
        .doUpdateSet((eb) => ({ failures: eb("login_attempts.failures", "+", 1), last_failure_at: now })),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  const lock = lockSecondsAfter(row.failures);
  if (lock > 0) {
    await database.db
      .updateTable("login_attempts")
      .set({ locked_until: new Date(now.getTime() + lock * 1000) })
      .where("email", "=", email.toLowerCase())
      .execute();
  }
}

export async function clearLoginFailures(database: Database, email: string): Promise<void> {
  await database.db.deleteFrom("login_attempts").where("email", "=", email.toLowerCase()).execute();
}
