import type { Database } from "@layerboom/db";
import { assertNotThrottled, recordFailure } from "./throttle.js";
import { mailIdentityOf, servingAccountId } from "../branding/brands.js";
import type { MailIdentity } from "../branding/brands.js";
import type { Mailer } from "../mail/mailer.js";

/** What a flow that mails links needs: where mail goes, and the origin the links point at. */
export interface MailOut {
  mailer: Mailer;
  /** The controller's public origin, for the links in mail. */
  publicUrl: string | undefined;
  /** Mail goes out after the answer; a failure is reported here (the request's log). */
  onMailError?: ((err: unknown) => void) | undefined;
}

/**
 * Sends a mail after the answer instead of before it: how long the answer takes must not say
 * whether a mail went out (that is, whether the address has an account).
 */
export function sendLater(out: MailOut, mail: Parameters<Mailer["send"]>[0]): void {
  out.mailer.send(mail).catch((err: unknown) => out.onMailError?.(err));
}

/** A link into the portal: the brand's own portal domain when it has one, else the controller's public URL. */
export function linkTo(out: MailOut, brand: MailIdentity, page: string, token: string): string {
  const origin = brand.portalOrigin ?? out.publicUrl;
  if (!origin) throw new Error("Mail links need the controller's public URL: set AppOptions.publicUrl.");
  return `${origin.replace(/\/+$/, "")}/${page}?token=${encodeURIComponent(token)}`;
}

/** The brand an account's mail comes from: the reseller or provider serving it. */
export async function brandOfAccount(database: Database, accountId: string): Promise<MailIdentity> {
  return mailIdentityOf(database.db, await servingAccountId(database.db, accountId));
}

/** Mail to one address in one flow at most this often before the flow locks (see throttleMailTo). */
const MAIL_WINDOW_MS = 60 * 60 * 1000;

/**
 * Limits how often one address can be made to receive a flow's mail (signup, reset,
 * invitation), reusing the login throttle's table under a prefixed key. Counts decay after
 * an hour without requests. It counts the address, not whether it has an account, so its
 * answer says nothing about that.
 */
export async function throttleMailTo(
  database: Database,
  flow: "signup" | "reset" | "invite",
  email: string,
): Promise<void> {
  const key = `${flow}:${email.toLowerCase()}`;
  await database.db
    .deleteFrom("login_attempts")
    .where("email", "=", key)
    .where("last_failure_at", "<", new Date(Date.now() - MAIL_WINDOW_MS))
    .execute();
  await assertNotThrottled(database, key);
  await recordFailure(database, key);
}
