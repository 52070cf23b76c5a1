import { ForbiddenError } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";

export interface MailingListState {
  opt_in: boolean;
  changed_at: Date | null;
}

/** Sets the caller's own mailing-list consent, with the time it changed (the consent record). */
export async function setMailingListOptIn(ctx: ServiceContext, optIn: boolean): Promise<MailingListState> {
  return ctx.database.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("users")
      .select(["mailing_list_opt_in", "mailing_list_changed_at"])
      .where("id", "=", ctx.principal.userId)
      .executeTakeFirstOrThrow();
    if (current.mailing_list_opt_in === optIn)
      return { opt_in: optIn, changed_at: current.mailing_list_changed_at };
    const row = await trx
      .updateTable("users")
      .set({ mailing_list_opt_in: optIn, mailing_list_changed_at: new Date() })
      .where("id", "=", ctx.principal.userId)
      .returning(["mailing_list_opt_in as opt_in", "mailing_list_changed_at as changed_at"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "user.mailing_list",
      resourceType: "user",
      resourceId: ctx.principal.userId,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { opt_in: optIn },
    });
    return row;
  });
}

/** The caller's own mailing-list consent. */
export async function getMailingListOptIn(ctx: ServiceContext): Promise<MailingListState> {
  return ctx.database.db
    .selectFrom("users")
    .select(["mailing_list_opt_in as opt_in", "mailing_list_changed_at as changed_at"])
    .where("id", "=", ctx.principal.userId)
    .executeTakeFirstOrThrow();
}

const CSV_HEADER = ["email", "name", "account", "opted_in_at"];

/**
 * One CSV field. Quotes when needed, and defuses values a spreadsheet would run as a formula
 * (names come from public signup): OWASP's CSV injection advice, a leading apostrophe.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The verified, opted-in, enabled users of the caller's subtree as CSV. Provider admins get
 * everyone, reseller admins their own customers; customer accounts have no mailing list.
 * Unverified addresses are left out: an opt-in nobody confirmed is not consent.
 */
export async function exportMailingList(ctx: ServiceContext): Promise<string> {
  const { role } = ctx.principal;
  if (role !== "provider-admin" && role !== "reseller-admin")
    throw new ForbiddenError(
      `Only provider and reseller admins may export the mailing list; your role is ${role}.`,
    );
  const rows = await ctx.database.db
    .selectFrom("users")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select(["users.email", "users.name", "accounts.name as account", "users.mailing_list_changed_at"])
    .where(accountInSubtree(ctx.principal.accountPath))
    .where("users.mailing_list_opt_in", "=", true)
    .where("users.email_verified_at", "is not", null)
    .where("users.disabled_at", "is", null)
    .orderBy("users.email")
    .execute();
  const lines = [CSV_HEADER.join(",")];
  for (const r of rows)
    lines.push(
      [r.email, r.name, r.account, r.mailing_list_changed_at?.toISOString() ?? ""].map(csvField).join(","),
    );
  return `${lines.join("\r\n")}\r\n`;
}
