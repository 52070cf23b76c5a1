import type { Database } from "@layerboom/db";
import { escapeLike } from "@layerboom/db";
import { ThrottledError } from "@layerboom/core";
import ipaddr from "ipaddr.js";

/**
 * How many failures a counter allows before it locks, and how long it remembers them. After
 * `free` failures each further one locks for twice as long as the last, from 1 s to 15 min.
 * A counter with no failure for `decayMs` starts again from zero.
 */
export interface ThrottlePolicy {
  free: number;
  decayMs: number;
  /** The first lock's length (default 1 s). */
  baseLockSeconds?: number;
}

const HOUR_MS = 60 * 60 * 1000;
const BASE_LOCK_SECONDS = 1;
const MAX_LOCK_SECONDS = 15 * 60;

/**
 * The login counters (docs/security.md, "Accounts, sessions and two-factor"):
 * - one email from one source address: guessing one account's password from one place;
 * - one source address, whatever the email: spraying a common password over many accounts;
 * - one email from everywhere: a guess spread over many addresses. This lock holds only for
 *   addresses that failed recently, so whoever floods it cannot lock the owner out: the
 *   owner's own address, which has not failed, still gets in.
 */
export const PAIR_POLICY: ThrottlePolicy = { free: 5, decayMs: HOUR_MS };
export const ADDRESS_POLICY: ThrottlePolicy = { free: 20, decayMs: HOUR_MS };
export const EMAIL_POLICY: ThrottlePolicy = { free: 10, decayMs: HOUR_MS };
/**
 * Wrong two-factor codes (or current passwords) of one user, whatever the login token or
 * address. Whoever gets here has the password, and a code has only a million values, so the
 * first lock is already 30 s.
 */
export const CODE_POLICY: ThrottlePolicy = { free: 5, decayMs: HOUR_MS, baseLockSeconds: 30 };

/** How often a failure also sweeps stale counters (rarely: the sweep scans the table). */
const SWEEP_CHANCE = 0.01;
/** Counters older than this are past every policy's decay and every lock. */
const STALE_MS = 24 * HOUR_MS;

/** Deletes counters with no failure for a day and no lock left, so spraying cannot grow the table for ever. */
export async function sweepStaleCounters(database: Database, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - STALE_MS);
  await database.db
    .deleteFrom("login_attempts")
    .where("last_failure_at", "<", cutoff)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
    .execute();
}

/** Lock length after `failures` failures within the decay window. */
export function lockSecondsAfter(
  failures: number,
  free = PAIR_POLICY.free,
  base = BASE_LOCK_SECONDS,
): number {
  if (failures < free) return 0;
  return Math.min(MAX_LOCK_SECONDS, base * 2 ** (failures - free));
}

/**
 * The address a throttle counts: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64,
 * since anyone with one IPv6 address usually holds the whole /64 around it.
 */
export function throttleAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  let parsed = ipaddr.parse(ip);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** Counter keys in login_attempts (its `email` column holds any key; emails are kept as they were). */
const keys = {
  email: (email: string) => email.toLowerCase(),
  pair: (email: string, address: string) => `pair:${email.toLowerCase()}|${address}`,
  address: (address: string) => `addr:${address}`,
  code: (userId: string) => `code:${userId}`,
};

/** Who is trying to log in: the email given and the caller's source address (request.ip). */
export interface LoginSource {
  email: string;
  address: string;
}

function retryAfter(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

/** Throws ThrottledError while a key is locked. */
export async function assertNotThrottled(database: Database, key: string, now = new Date()): Promise<void> {
  const row = await database.db
    .selectFrom("login_attempts")
    .select("locked_until")
    .where("email", "=", key)
    .executeTakeFirst();
  if (row?.locked_until && row.locked_until > now)
    throw new ThrottledError(retryAfter(row.locked_until, now));
}

/**
 * Counts a failure against a key and extends its lock. The count is one statement, so
 * concurrent failures all count; a count older than the policy's decay starts again at one.
 */
export async function recordFailure(
  database: Database,
  key: string,
  policy: ThrottlePolicy = PAIR_POLICY,
  now = new Date(),
): Promise<void> {
  // Every failing address leaves a row; now and then, rows nobody needs any more go.
  if (Math.random() < SWEEP_CHANCE) await sweepStaleCounters(database, now);
  const stale = new Date(now.getTime() - policy.decayMs);
  const row = await database.db
    .insertInto("login_attempts")
    .values({ email: key, failures: 1, last_failure_at: now })
    .onConflict((oc) =>
      oc.column("email").doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when("login_attempts.last_failure_at", "<", stale)
          .then(1)
          .else(eb("login_attempts.failures", "+", 1))
          .end(),
        last_failure_at: now,
      })),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  const lock = lockSecondsAfter(row.failures, policy.free, policy.baseLockSeconds);
  if (lock > 0) {
    await database.db
      .updateTable("login_attempts")
      .set({ locked_until: new Date(now.getTime() + lock * 1000) })
      .where("email", "=", key)
      .execute();
  }
}

/** Throws ThrottledError when this login attempt must wait (see the policies above). */
export async function assertLoginAllowed(
  database: Database,
  source: LoginSource,
  now = new Date(),
): Promise<void> {
  const address = throttleAddress(source.address);
  const wanted = {
    pair: keys.pair(source.email, address),
    address: keys.address(address),
    email: keys.email(source.email),
  };
  const rows = await database.db
    .selectFrom("login_attempts")
    .select(["email as key", "failures", "locked_until", "last_failure_at"])
    .where("email", "in", Object.values(wanted))
    .execute();
  const row = (key: string) => rows.find((r) => r.key === key);
  const locked = (key: string) => {
    const until = row(key)?.locked_until;
    return until && until > now ? until : undefined;
  };
  const pairOrAddress = locked(wanted.pair) ?? locked(wanted.address);
  if (pairOrAddress) throw new ThrottledError(retryAfter(pairOrAddress, now));
  const emailLock = locked(wanted.email);
  if (emailLock) {
    const mine = row(wanted.address);
    const failedRecently =
      mine?.last_failure_at !== null &&
      mine?.last_failure_at !== undefined &&
      mine.last_failure_at.getTime() > now.getTime() - ADDRESS_POLICY.decayMs;
    if (failedRecently) throw new ThrottledError(retryAfter(emailLock, now));
  }
}

/** Counts a failed password against the pair, the address and the email. */
export async function recordLoginFailure(
  database: Database,
  source: LoginSource,
  now = new Date(),
): Promise<void> {
  const address = throttleAddress(source.address);
  await recordFailure(database, keys.pair(source.email, address), PAIR_POLICY, now);
  await recordFailure(database, keys.address(address), ADDRESS_POLICY, now);
  await recordFailure(database, keys.email(source.email), EMAIL_POLICY, now);
}

/**
 * A correct password clears the pair and the email. The address keeps its count: otherwise a
 * sprayer would log in to an account of its own between guesses to start afresh.
 */
export async function recordLoginSuccess(database: Database, source: LoginSource): Promise<void> {
  const address = throttleAddress(source.address);
  await database.db
    .deleteFrom("login_attempts")
    .where("email", "in", [keys.pair(source.email, address), keys.email(source.email)])
    .execute();
}

/**
 * Lifts every login lock on an email, from every address (a password reset, or the provider
 * admin's unlock). Address locks stay: they are about the network, not the account.
 */
export async function clearEmailLocks(database: Database, email: string): Promise<void> {
  await database.db
    .deleteFrom("login_attempts")
    .where((eb) =>
      eb.or([
        eb("email", "=", keys.email(email)),
        eb("email", "like", `${escapeLike(keys.pair(email, ""))}%`),
      ]),
    )
    .execute();
}

/** Throws ThrottledError while a user's wrong two-factor codes lock it. */
export function assertCodeAllowed(database: Database, userId: string, now = new Date()): Promise<void> {
  return assertNotThrottled(database, keys.code(userId), now);
}

export function recordCodeFailure(database: Database, userId: string, now = new Date()): Promise<void> {
  return recordFailure(database, keys.code(userId), CODE_POLICY, now);
}

export async function clearCodeFailures(database: Database, userId: string): Promise<void> {
  await database.db.deleteFrom("login_attempts").where("email", "=", keys.code(userId)).execute();
}
