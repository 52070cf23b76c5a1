import { ConflictError, InvalidInputError } from "@layerboom/core";
import type { Principal, Role } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { digestsEqual, parseToken, sha256Hex } from "../base/secrets.js";
import { recordAudit } from "../base/audit.js";
import { newPasswordHash } from "./auth.js";
import { INVITATION_COLUMNS, statusOf } from "./invitations.js";
import { brandOfAccount } from "./mail-out.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { insertUser } from "./users.js";
import type { UserView } from "./users.js";

/** What the invitee sees before choosing a password. */
export interface InvitationPreview {
  email: string;
  role: Role;
  account_name: string;
  brand_name: string;
  expires_at: Date;
}

const INVALID_LINK =
  "This invitation link is not valid: copy the whole link from the mail, or ask whoever invited you for a new invitation.";

/**
 * The pending invitation a token opens, or InvalidInputError naming the token. `lock` holds
 * the row until the transaction ends, so of two acceptances at once the second waits and
 * then sees the invitation accepted.
 */
async function pendingByToken(db: Kysely<Schema>, presented: string, now: Date, lock = false) {
  const parsed = parseToken(presented, "invite");
  if (!parsed) throw new InvalidInputError("token", INVALID_LINK);
  const row = await db
    .selectFrom("invitations")
    .innerJoin("accounts", "accounts.id", "invitations.account_id")
    .select([
      ...INVITATION_COLUMNS,
      "invitations.secret_hash",
      "accounts.name as account_name",
      "accounts.path",
    ])
    .where("invitations.id", "=", parsed.id)
    .$if(lock, (q) => q.forUpdate("invitations"))
    .executeTakeFirst();
  if (!row || !digestsEqual(sha256Hex(parsed.secret), row.secret_hash))
    throw new InvalidInputError("token", INVALID_LINK);
  const status = statusOf(row, now);
  if (status !== "pending")
    throw new InvalidInputError(
      "token",
      status === "expired"
        ? "This invitation has expired: ask whoever invited you for a new one."
        : `This invitation was ${status === "accepted" ? "already accepted" : "withdrawn, or a newer one replaced it"}: ask whoever invited you for a new one if you still need it.`,
    );
  return row;
}

/** Shows an invitation to whoever holds its link, for the page where they choose a password. */
export async function previewInvitation(database: Database, token: string): Promise<InvitationPreview> {
  const row = await pendingByToken(database.db, token, new Date());
  const brand = await brandOfAccount(database, row.account_id);
  return {
    email: row.email,
    role: row.role,
    account_name: row.account_name,
    brand_name: brand.name,
    expires_at: row.expires_at,
  };
}

/**
 * Accepts an invitation with its mailed token: creates the user with the password its owner
 * chose. Opening the link proves the address. Two acceptances of one link at once create
 * one user: the conditional update lets one through.
 */
export async function acceptInvitation(
  database: Database,
  input: { token: string; password: string; name?: string | undefined; requestId?: string | undefined },
): Promise<UserView> {
  const passwordHash = await newPasswordHash(input.password);
  const now = new Date();
  try {
    return await database.db.transaction().execute(async (trx) => {
      const invitation = await pendingByToken(trx, input.token, now, true);
      const user = await insertUser(trx, {
        accountId: invitation.account_id,
        email: invitation.email,
        name: input.name ?? invitation.name,
        role: invitation.role,
        passwordHash,
      });
      const claimed = await trx
        .updateTable("invitations")
        .set({ accepted_at: now, user_id: user.id })
        .where("id", "=", invitation.id)
        .where("accepted_at", "is", null)
        .where("revoked_at", "is", null)
        .returning("id")
        .executeTakeFirst();
      if (!claimed)
        throw new InvalidInputError("token", "This invitation was accepted or withdrawn meanwhile.");
      const accountKind = await trx
        .selectFrom("accounts")
        .select("kind")
        .where("id", "=", invitation.account_id)
        .executeTakeFirstOrThrow();
      const actor: Principal = {
        userId: user.id,
        role: user.role,
        accountId: invitation.account_id,
        accountKind: accountKind.kind,
        accountPath: invitation.path,
      };
      await recordAudit(
        trx,
        { principal: actor, requestId: input.requestId },
        {
          action: "invitation.accept",
          resourceType: "user",
          resourceId: user.id,
          accountId: invitation.account_id,
          accountPath: invitation.path,
          details: { invitation_id: invitation.id, invited_by: invitation.invited_by, role: user.role },
        },
      );
      return user;
    });
  } catch (err) {
    // The address got a user since the invitation was sent: only the mailbox's owner sees this.
    if (err instanceof ConflictError || isUniqueViolation(err))
      throw new ConflictError(
        "This address already has an account: log in with it, or ask for an invitation to another address.",
        { field: "email" },
      );
    throw err;
  }
}
