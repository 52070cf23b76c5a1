import { newId, requireProviderAdmin } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { digestsEqual, issueSecret, parseToken, sha256Hex } from "../base/secrets.js";
import type { SecretBox } from "../base/secret-box.js";
import { InvitationRefusedError, ProfileNotConfiguredError } from "./errors.js";
import { getProfile } from "./identity.js";

/** An invitation as listed: never its token. */
export interface InvitationView {
  id: string;
  note: string;
  state: "open" | "redeemed" | "expired";
  created_at: Date;
  expires_at: Date;
  redeemed_at: Date | null;
}

/** A new invitation: the only time its token is shown. */
export type NewInvitation = InvitationView & { token: string };

const PREFIX = "fedinv";
const COLUMNS = ["id", "note", "created_at", "expires_at", "redeemed_at"] as const;

function toView(
  row: { id: string; note: string; created_at: Date; expires_at: Date; redeemed_at: Date | null },
  now: Date,
): InvitationView {
  const state = row.redeemed_at ? "redeemed" : row.expires_at <= now ? "expired" : "open";
  return { ...row, state };
}

/**
 * Issues a one-time invitation to peer with this installation, valid for `expiresInHours`.
 * The token is shown once; only the SHA-256 of its secret is kept. The profile must have a
 * name and URL, since the peer that redeems it will call that URL.
 */
export async function issueInvitation(
  ctx: ServiceContext,
  secretBox: SecretBox,
  input: { note?: string | undefined; expiresInHours?: number | undefined },
): Promise<NewInvitation> {
  requireProviderAdmin(ctx.principal, "invite federation peers");
  const profile = await getProfile(ctx.database.db, secretBox);
  if (!profile.url || !profile.name) throw new ProfileNotConfiguredError("issuing an invitation");
  const id = newId("federationInvitation");
  const issued = issueSecret(id);
  const expiresAt = new Date(Date.now() + (input.expiresInHours ?? 72) * 3_600_000);
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("federation_invitations")
      .values({
        id,
        token_hash: issued.secretHash,
        note: input.note ?? "",
        created_by: ctx.principal.userId,
        expires_at: expiresAt,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "federation.invitation.issue",
      resourceType: "federation_invitation",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { expires_at: expiresAt.toISOString() },
    });
    return { ...toView(row, new Date()), token: issued.token };
  });
}

/** The invitations issued here, oldest first. */
export async function listInvitations(ctx: ServiceContext, page: PageRequest): Promise<Page<InvitationView>> {
  requireProviderAdmin(ctx.principal, "list federation invitations");
  let q = ctx.database.db.selectFrom("federation_invitations").select(COLUMNS);
  if (page.after) q = q.where("id", ">", page.after);
  const rows = await q
    .orderBy("id")
    .limit(page.limit + 1)
    .execute();
  const now = new Date();
  return toPage(
    rows.map((r) => toView(r, now)),
    page.limit,
  );
}

/**
 * Spends an invitation token inside the caller's transaction (which records the peer), or
 * throws why not: unknown (a token of another installation is unknown here), used, expired.
 * The row is locked, so two redemptions of one token cannot both succeed.
 */
export async function redeemInvitation(trx: Kysely<Schema>, token: string, now: Date): Promise<string> {
  const parsed = parseToken(token, PREFIX);
  const unknown = new InvitationRefusedError(
    "unknown",
    "This invitation token was not issued by this installation.",
  );
  if (!parsed) throw unknown;
  const row = await trx
    .selectFrom("federation_invitations")
    .select(["id", "token_hash", "expires_at", "redeemed_at"])
    .where("id", "=", parsed.id)
    .forUpdate()
    .executeTakeFirst();
  if (!row || !digestsEqual(row.token_hash, sha256Hex(parsed.secret))) throw unknown;
  if (row.redeemed_at)
    throw new InvitationRefusedError("used", "This invitation has already been used: ask for a new one.");
  if (row.expires_at <= now)
    throw new InvitationRefusedError("expired", "This invitation has expired: ask for a new one.");
  await trx
    .updateTable("federation_invitations")
    .set({ redeemed_at: now })
    .where("id", "=", row.id)
    .execute();
  return row.id;
}
