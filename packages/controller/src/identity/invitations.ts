import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  QuotaExceededError,
  newId,
  requireAdmin,
  rolesForAccountKind,
} from "@layerboom/core";
import type { Role } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { assertNotThrottled, recordFailure } from "./throttle.js";
import { NO_MAIL } from "../mail/mailer.js";
import type { ThrottlePolicy } from "./throttle.js";
import { issueSecret } from "../base/secrets.js";
import type { MailIdentity } from "../branding/brands.js";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { brandOfAccount, linkTo, sendLater, throttleMailTo } from "./mail-out.js";
import type { MailOut } from "./mail-out.js";

/** An invitation link stays valid for a week: long enough for a colleague back from holiday. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Pending invitations one account may hold at once: every one is a mail to a stranger's address. */
export const PENDING_INVITATIONS_PER_ACCOUNT = 100;
/** Invitations one account may send in an hour (outside the provider): a mail cannon is not a feature. */
export const INVITATIONS_PER_HOUR: ThrottlePolicy = {
  free: 50,
  decayMs: 60 * 60 * 1000,
  baseLockSeconds: 60,
};

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

/** An invitation as the API shows it: never its secret. */
export interface InvitationView {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: Role;
  status: InvitationStatus;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  user_id: string | null;
}

/** The columns an invitation is shown with. */
export const INVITATION_COLUMNS = [
  "invitations.id",
  "invitations.account_id",
  "invitations.email",
  "invitations.name",
  "invitations.role",
  "invitations.invited_by",
  "invitations.created_at",
  "invitations.expires_at",
  "invitations.accepted_at",
  "invitations.revoked_at",
  "invitations.user_id",
] as const;

/** An invitation row as read, before its status is worked out. */
export type InvitationRow = Omit<InvitationView, "status">;

/** Pending until accepted, revoked or past its expiry. */
export function statusOf(row: InvitationRow, now: Date): InvitationStatus {
  if (row.accepted_at) return "accepted";
  if (row.revoked_at) return "revoked";
  return row.expires_at <= now ? "expired" : "pending";
}

function view(row: InvitationRow, now = new Date()): InvitationView {
  return { ...row, status: statusOf(row, now) };
}

function visibleInvitations(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("invitations")
    .innerJoin("accounts", "accounts.id", "invitations.account_id")
    .select(INVITATION_COLUMNS)
    .where(accountInSubtree(ctx.principal.accountPath));
}

export interface InviteInput {
  accountId?: string | undefined;
  email: string;
  name?: string | undefined;
  role: Role;
}

/**
 * Invites an address to join an account. The answer is the same whether or not the address
 * already has a user, anywhere: an invitation row, and a mail sent after the answer. A free
 * address gets the link that lets its owner choose a password; a taken one gets a note that
 * it was invited and already has an account, and its invitation can never be accepted (its
 * secret was never sent). So an admin outside the provider cannot learn who has an account
 * here (docs/security.md, "Creating users").
 */
export async function inviteUser(
  ctx: ServiceContext,
  out: MailOut,
  input: InviteInput,
): Promise<InvitationView> {
  requireAdmin(ctx.principal, "invite users");
  const account = await getAccount(ctx, input.accountId ?? ctx.principal.accountId);
  const allowed = rolesForAccountKind(account.kind);
  if (!allowed.includes(input.role))
    throw new InvalidInputError(
      "role",
      `A ${account.kind} account's users may have the roles: ${allowed.join(", ")}.`,
    );
  const brand = await mailableBrand(ctx, out, account.id);
  const senderKey =
    ctx.principal.role === "provider-admin" ? undefined : `invitations:${ctx.principal.accountId}`;
  if (senderKey) await assertNotThrottled(ctx.database, senderKey);
  await throttleMailTo(ctx.database, "invite", input.email);
  const now = new Date();
  const issued = issueSecret(newId("invitation", now.getTime()));
  const row = await ctx.database.db.transaction().execute(async (trx) => {
    // Only the newest invitation of an address to an account works.
    await trx
      .updateTable("invitations")
      .set({ revoked_at: now })
      .where("account_id", "=", account.id)
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email.toLowerCase()))
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .execute();
    const pending = await trx
      .selectFrom("invitations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("account_id", "=", account.id)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) >= PENDING_INVITATIONS_PER_ACCOUNT)
      throw new QuotaExceededError(
        "pending_invitations",
        PENDING_INVITATIONS_PER_ACCOUNT,
        Number(pending.n),
        `This account already has ${PENDING_INVITATIONS_PER_ACCOUNT} pending invitations: revoke some, or wait for them to be accepted or expire.`,
      );
    const inserted = await trx
      .insertInto("invitations")
      .values({
        id: issued.id,
        account_id: account.id,
        email: input.email,
        name: input.name ?? "",
        role: input.role,
        invited_by: ctx.principal.userId,
        secret_hash: issued.secretHash,
        expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS),
      })
      .returning(INVITATION_COLUMNS.map((c) => c.slice("invitations.".length) as keyof InvitationRow))
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "invitation.create",
      resourceType: "invitation",
      resourceId: issued.id,
      accountId: account.id,
      accountPath: account.path,
      details: { email: input.email, role: input.role },
    });
    return inserted;
  });
  if (senderKey) await recordFailure(ctx.database, senderKey, INVITATIONS_PER_HOUR);
  await mailInvitation(ctx, out, brand, account.name, row, issued.token);
  return view(row, now);
}

/**
 * An invitation is only as good as its mail: refuse one that could not be sent before
 * anything is stored, rather than leave a pending invitation nobody received. Returns the brand
 * the mail will come from.
 */
async function mailableBrand(ctx: ServiceContext, out: MailOut, accountId: string): Promise<MailIdentity> {
  if (out.mailer === NO_MAIL)
    throw new ConflictError(
      "This controller sends no mail (no SMTP server is set: LAYERBOOM_SMTP_URL), so it cannot send invitations. The provider's admins can create users directly.",
      { reason: "no_mail" },
    );
  const brand = await brandOfAccount(ctx.database, accountId);
  if (!brand.portalOrigin && !out.publicUrl)
    throw new ConflictError(
      "Invitation links need the controller's public URL (LAYERBOOM_PUBLIC_URL), and this controller has none.",
      { reason: "no_public_url" },
    );
  return brand;
}

async function mailInvitation(
  ctx: ServiceContext,
  out: MailOut,
  brand: MailIdentity,
  accountName: string,
  invitation: InvitationRow,
  token: string,
): Promise<void> {
  const [inviter, taken] = await Promise.all([
    ctx.database.db
      .selectFrom("users")
      .select(["name", "email"])
      .where("id", "=", ctx.principal.userId)
      .executeTakeFirst(),
    emailTaken(ctx.database.db, invitation.email),
  ]);
  const who = inviter ? inviter.name || inviter.email : "An administrator";
  sendLater(
    out,
    taken
      ? alreadyAMemberMail(invitation.email, brand, who, accountName)
      : invitationMail(invitation, brand, who, accountName, linkTo(out, brand, "accept-invitation", token)),
  );
}

async function emailTaken(db: Kysely<Schema>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

function invitationMail(
  invitation: InvitationRow,
  brand: MailIdentity,
  who: string,
  accountName: string,
  link: string,
) {
  return {
    to: invitation.email,
    ...(brand.from ? { from: brand.from } : {}),
    subject: `${who} invited you to ${accountName} on ${brand.name}`,
    text: [
      `${who} invited you to join the account "${accountName}" on ${brand.name} as ${invitation.role}.`,
      "",
      "Open this link within 7 days to choose your password and join:",
      "",
      link,
      "",
      "If you do not know this account, ignore this mail: nothing happens without the link.",
    ].join("\n"),
  };
}

function alreadyAMemberMail(to: string, brand: MailIdentity, who: string, accountName: string) {
  return {
    to,
    ...(brand.from ? { from: brand.from } : {}),
    subject: `${who} invited you to ${accountName} on ${brand.name}`,
    text: [
      `${who} invited this address to join the account "${accountName}" on ${brand.name}.`,
      "This address already has an account with us, and one address can belong to one account only,",
      "so the invitation cannot be accepted. Nothing was changed.",
      "",
      "If you want to join: ask them to invite another of your addresses. They were not told",
      "that this address has an account.",
    ].join("\n"),
  };
}

export async function listInvitations(
  ctx: ServiceContext,
  filter: { accountId?: string | undefined; status?: InvitationStatus | undefined },
  page: PageRequest,
): Promise<Page<InvitationView>> {
  requireAdmin(ctx.principal, "see invitations");
  const now = new Date();
  let q = visibleInvitations(ctx);
  if (filter.accountId) q = q.where("invitations.account_id", "=", filter.accountId);
  if (filter.status === "accepted") q = q.where("invitations.accepted_at", "is not", null);
  if (filter.status === "revoked")
    q = q.where("invitations.accepted_at", "is", null).where("invitations.revoked_at", "is not", null);
  if (filter.status === "pending" || filter.status === "expired")
    q = q
      .where("invitations.accepted_at", "is", null)
      .where("invitations.revoked_at", "is", null)
      .where("invitations.expires_at", filter.status === "pending" ? ">" : "<=", now);
  if (page.after) q = q.where("invitations.id", ">", page.after);
  const rows = await q
    .orderBy("invitations.id")
    .limit(page.limit + 1)
    .execute();
  const result = toPage(rows, page.limit);
  return { ...result, items: result.items.map((r) => view(r, now)) };
}

export async function getInvitation(ctx: ServiceContext, id: string): Promise<InvitationView> {
  requireAdmin(ctx.principal, "see invitations");
  const row = await visibleInvitations(ctx).where("invitations.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("invitation", id);
  return view(row);
}

/** Withdraws a pending invitation: its link stops working at once. */
export async function revokeInvitation(ctx: ServiceContext, id: string): Promise<InvitationView> {
  const current = await getInvitation(ctx, id);
  if (current.status !== "pending")
    throw new ConflictError(`This invitation is ${current.status}: only a pending one can be revoked.`, {
      status: current.status,
    });
  const account = await getAccount(ctx, current.account_id);
  return ctx.database.db.transaction().execute(async (trx) => {
    const now = new Date();
    const row = await trx
      .updateTable("invitations")
      .set({ revoked_at: now })
      .where("id", "=", id)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .returning(INVITATION_COLUMNS.map((c) => c.slice("invitations.".length) as keyof InvitationRow))
      .executeTakeFirst();
    if (!row) throw new ConflictError("This invitation was accepted or revoked meanwhile.");
    await recordAudit(trx, ctx, {
      action: "invitation.revoke",
      resourceType: "invitation",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
      details: { email: current.email },
    });
    return view(row, now);
  });
}
