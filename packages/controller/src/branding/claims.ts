import { randomBytes } from "node:crypto";
import { ForbiddenError, InvalidInputError, NotFoundError, newId, requireAdmin } from "@layerboom/core";
import type { Principal } from "@layerboom/core";
import { escapeLike } from "@layerboom/db";
import type { PortalDomainClaimRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { normalizePortalDomain } from "./domain-name.js";
import type { PortalDomainPolicy } from "./policy.js";
import { PortalDomainConflictError, ProofCheckedRecentlyError } from "./errors.js";
import { challengeFor } from "./proof.js";
import type { Challenge, ProofMethod } from "./proof.js";

/** Pending claims one account may hold at once: enough to try a few names, too few to squat on a list. */
export const MAX_PENDING_CLAIMS = 10;

/** A claim as the API shows it. The challenge is shown while the claim is pending. */
export interface PortalDomainView {
  id: string;
  account_id: string;
  domain: string;
  status: "pending" | "verified";
  method: "dns" | "http" | "assigned" | null;
  created_at: Date;
  /** When a pending claim's token lapses; null once verified. */
  expires_at: Date | null;
  verified_at: Date | null;
  checked_at: Date | null;
  check_error: string | null;
  challenge: Challenge | null;
}

function viewOf(row: PortalDomainClaimRow): PortalDomainView {
  const pending = row.status === "pending";
  return {
    id: row.id,
    account_id: row.account_id,
    domain: row.domain,
    status: row.status,
    method: row.method,
    created_at: row.created_at,
    expires_at: pending ? row.expires_at : null,
    verified_at: row.verified_at,
    checked_at: row.checked_at,
    check_error: row.check_error,
    challenge: pending ? challengeFor(row.domain, row.token) : null,
  };
}

/** Brand owners only: reseller and provider admins. A customer's portal is its reseller's. */
function requireDomainManager(principal: Principal, action: string): void {
  requireAdmin(principal, action);
  if (principal.accountKind === "customer")
    throw new ForbiddenError(
      `Only a reseller or the provider may ${action}; customers use their reseller's.`,
    );
}

const newToken = () => randomBytes(32).toString("base64url");

/** The claim with this id if the caller's subtree holds its account; otherwise NotFound, as for no claim at all. */
async function visibleClaim(
  db: Kysely<Schema>,
  principal: Principal,
  id: string,
): Promise<PortalDomainClaimRow & { account_path: string }> {
  const row = await db
    .selectFrom("portal_domain_claims as c")
    .innerJoin("accounts as a", "a.id", "c.account_id")
    .selectAll("c")
    .select("a.path as account_path")
    .where("c.id", "=", id)
    .where("a.path", "like", `${escapeLike(principal.accountPath)}%`)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("portal domain", id);
  return row;
}

/** Claims in the caller's subtree: a reseller's own, or every claim for the provider. */
export async function listPortalDomains(
  ctx: ServiceContext,
  filter: { account_id?: string | undefined } = {},
): Promise<PortalDomainView[]> {
  requireDomainManager(ctx.principal, "see portal domains");
  let query = ctx.database.db
    .selectFrom("portal_domain_claims as c")
    .innerJoin("accounts as a", "a.id", "c.account_id")
    .selectAll("c")
    .where("a.path", "like", `${escapeLike(ctx.principal.accountPath)}%`)
    .orderBy("c.id");
  if (filter.account_id !== undefined) query = query.where("c.account_id", "=", filter.account_id);
  return (await query.limit(500).execute()).map(viewOf);
}

export async function getPortalDomain(ctx: ServiceContext, id: string): Promise<PortalDomainView> {
  // Visibility first: to a customer, as to anyone outside the owner's subtree, the claim does not exist.
  const claim = await visibleClaim(ctx.database.db, ctx.principal, id);
  requireDomainManager(ctx.principal, "see portal domains");
  return viewOf(claim);
}

/** The account a claim is for: the caller's own, or (provider admins) a reseller's. */
async function targetAccount(ctx: ServiceContext, accountId: string | undefined) {
  const id = accountId ?? ctx.principal.accountId;
  const account = await ctx.database.db
    .selectFrom("accounts")
    .select(["id", "kind", "path"])
    .where("id", "=", id)
    .where("path", "like", `${escapeLike(ctx.principal.accountPath)}%`)
    .executeTakeFirst();
  if (!account) throw new NotFoundError("account", id);
  if (account.kind === "customer")
    throw new InvalidInputError(
      "account_id",
      `Account ${id} is a customer; only resellers have portal domains.`,
    );
  if (account.id !== ctx.principal.accountId && ctx.principal.role !== "provider-admin")
    throw new ForbiddenError("Only a provider admin may assign a portal domain to another account.");
  return account;
}

/** Throws a 409 when a verified claim of another account holds the domain. */
async function assertNotTaken(db: Kysely<Schema>, domain: string, accountId: string): Promise<void> {
  const owner = await db
    .selectFrom("portal_domain_claims")
    .select("account_id")
    .where("domain", "=", domain)
    .where("status", "=", "verified")
    .executeTakeFirst();
  if (owner && owner.account_id !== accountId) throw taken(domain);
}

const taken = (domain: string) =>
  new PortalDomainConflictError(
    "taken",
    domain,
    `${domain} is already the verified portal domain of another brand; the provider can release it.`,
  );

/**
 * Starts a claim on a domain. A reseller gets a pending claim with a token to publish, and the
 * domain does nothing until verifyPortalDomain succeeds. A provider admin assigns it outright
 * (to its own account or to a reseller's): the provider is trusted with its own platform.
 * Claiming again returns the existing claim (with a fresh token if the old one lapsed).
 */
export async function claimPortalDomain(
  ctx: ServiceContext,
  policy: PortalDomainPolicy,
  input: { domain: string; account_id?: string | undefined },
): Promise<{ claim: PortalDomainView; created: boolean }> {
  requireDomainManager(ctx.principal, "claim a portal domain");
  const domain = normalizePortalDomain(input.domain);
  const account = await targetAccount(ctx, input.account_id);
  const byProvider = ctx.principal.role === "provider-admin";
  // The provider may put its own reserved names on its own brand; nobody may give them away.
  if (!(byProvider && account.kind === "provider")) policy.reserved.assertClaimable(domain, byProvider);
  const db = ctx.database.db;
  await assertNotTaken(db, domain, account.id);
  const existing = await db
    .selectFrom("portal_domain_claims")
    .selectAll()
    .where("account_id", "=", account.id)
    .where("domain", "=", domain)
    .executeTakeFirst();
  const now = new Date();
  if (byProvider) return assignPortalDomain(ctx, account, domain, existing, now);
  if (existing?.status === "verified") return { claim: viewOf(existing), created: false };
  if (existing && existing.expires_at > now) return { claim: viewOf(existing), created: false };

  const { pending } = await db
    .selectFrom("portal_domain_claims")
    .select((eb) => eb.fn.countAll<number>().as("pending"))
    .where("account_id", "=", account.id)
    .where("status", "=", "pending")
    .where("expires_at", ">", now)
    .executeTakeFirstOrThrow();
  if (Number(pending) >= MAX_PENDING_CLAIMS)
    throw new PortalDomainConflictError(
      "too_many_pending",
      domain,
      `You have ${MAX_PENDING_CLAIMS} pending portal domain claims; verify or withdraw one first.`,
    );
  const expiresAt = new Date(now.getTime() + policy.claimTtlMs);
  try {
    return await startClaim(ctx, account, domain, existing, expiresAt);
  } catch (err) {
    // The same claim made twice at once: the second finds the first's row.
    if (!isUniqueViolation(err)) throw err;
    const row = await db
      .selectFrom("portal_domain_claims")
      .selectAll()
      .where("account_id", "=", account.id)
      .where("domain", "=", domain)
      .executeTakeFirstOrThrow();
    return { claim: viewOf(row), created: false };
  }
}

/** Inserts a pending claim, or gives a lapsed one a new token, with its audit entry. */
async function startClaim(
  ctx: ServiceContext,
  account: { id: string; path: string },
  domain: string,
  existing: PortalDomainClaimRow | undefined,
  expiresAt: Date,
): Promise<{ claim: PortalDomainView; created: boolean }> {
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = existing
      ? await trx
          .updateTable("portal_domain_claims")
          .set({ token: newToken(), expires_at: expiresAt, checked_at: null, check_error: null })
          .where("id", "=", existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto("portal_domain_claims")
          .values({
            id: newId("portalDomain"),
            account_id: account.id,
            domain,
            token: newToken(),
            expires_at: expiresAt,
            method: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "portal_domain.claim",
      resourceType: "portal_domain",
      resourceId: row.id,
      accountId: account.id,
      accountPath: account.path,
      details: { domain },
    });
    return { claim: viewOf(row), created: !existing };
  });
}

/** A provider admin's direct assignment: verified at once, replacing the account's previous domain. */
async function assignPortalDomain(
  ctx: ServiceContext,
  account: { id: string; path: string },
  domain: string,
  existing: PortalDomainClaimRow | undefined,
  now: Date,
): Promise<{ claim: PortalDomainView; created: boolean }> {
  if (existing?.status === "verified") return { claim: viewOf(existing), created: false };
  try {
    return await ctx.database.db.transaction().execute(async (trx) => {
      const replaced = await trx
        .deleteFrom("portal_domain_claims")
        .where("account_id", "=", account.id)
        .where("status", "=", "verified")
        .returning("domain")
        .executeTakeFirst();
      const verified = { status: "verified", method: "assigned", verified_at: now } as const;
      const row = existing
        ? await trx
            .updateTable("portal_domain_claims")
            .set({ ...verified, check_error: null })
            .where("id", "=", existing.id)
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx
            .insertInto("portal_domain_claims")
            .values({
              id: newId("portalDomain"),
              account_id: account.id,
              domain,
              token: newToken(),
              expires_at: now,
              ...verified,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "portal_domain.assign",
        resourceType: "portal_domain",
        resourceId: row.id,
        accountId: account.id,
        accountPath: account.path,
        details: { domain, ...(replaced ? { replaced: replaced.domain } : {}) },
      });
      return { claim: viewOf(row), created: !existing };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(domain);
    throw err;
  }
}

/**
 * Runs the proof of a pending claim. On success the domain becomes the account's portal
 * domain (replacing any previous one); on failure the claim keeps its token and records why,
 * and a DomainNotProvenError says what was missing.
 */
export async function verifyPortalDomain(
  ctx: ServiceContext,
  policy: PortalDomainPolicy,
  id: string,
  method: ProofMethod,
): Promise<PortalDomainView> {
  const db = ctx.database.db;
  const claim = await visibleClaim(db, ctx.principal, id);
  requireDomainManager(ctx.principal, "verify a portal domain");
  if (claim.status === "verified") return viewOf(claim);
  const now = new Date();
  if (claim.expires_at <= now)
    throw new PortalDomainConflictError(
      "expired",
      claim.domain,
      `This claim's token lapsed at ${claim.expires_at.toISOString()}; claim ${claim.domain} again for a new one.`,
    );
  const owner = await db
    .selectFrom("accounts")
    .select("kind")
    .where("id", "=", claim.account_id)
    .executeTakeFirstOrThrow();
  // Checked again: the provider may have reserved the name since the claim began.
  if (owner.kind !== "provider") policy.reserved.assertClaimable(claim.domain, false);
  await assertNotTaken(db, claim.domain, claim.account_id);

  // Take this claim's check slot in one statement, so concurrent verifies cannot all go out.
  const slot = await db
    .updateTable("portal_domain_claims")
    .set({ checked_at: now })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .where((eb) =>
      eb.or([
        eb("checked_at", "is", null),
        eb("checked_at", "<=", new Date(now.getTime() - policy.checkIntervalMs)),
      ]),
    )
    .returning("id")
    .executeTakeFirst();
  if (!slot) {
    const waitMs = (claim.checked_at?.getTime() ?? now.getTime()) + policy.checkIntervalMs - now.getTime();
    throw new ProofCheckedRecentlyError(claim.domain, Math.max(1, Math.ceil(waitMs / 1000)));
  }

  try {
    await policy.prover.prove(method, claim.domain, claim.token);
  } catch (err) {
    await db
      .updateTable("portal_domain_claims")
      .set({ check_error: err instanceof Error ? err.message.slice(0, 500) : String(err) })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .execute();
    throw err;
  }

  try {
    return await db.transaction().execute(async (trx) => {
      // The claim may have been withdrawn or verified while the proof ran.
      const current = await trx
        .selectFrom("portal_domain_claims")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new NotFoundError("portal domain", id);
      if (current.status === "verified") return viewOf(current);
      const replaced = await trx
        .deleteFrom("portal_domain_claims")
        .where("account_id", "=", claim.account_id)
        .where("status", "=", "verified")
        .returning("domain")
        .executeTakeFirst();
      const row = await trx
        .updateTable("portal_domain_claims")
        .set({ status: "verified", method, verified_at: now, checked_at: now, check_error: null })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "portal_domain.verify",
        resourceType: "portal_domain",
        resourceId: id,
        accountId: claim.account_id,
        accountPath: claim.account_path,
        details: { domain: claim.domain, method, ...(replaced ? { replaced: replaced.domain } : {}) },
      });
      return viewOf(row);
    });
  } catch (err) {
    // Another account verified the same domain in the meantime: the first to verify wins.
    if (isUniqueViolation(err)) throw taken(claim.domain);
    throw err;
  }
}

/** Withdraws a claim (its owner) or releases a verified domain (its owner, or the provider). */
export async function releasePortalDomain(ctx: ServiceContext, id: string): Promise<void> {
  const claim = await visibleClaim(ctx.database.db, ctx.principal, id);
  requireDomainManager(ctx.principal, "release a portal domain");
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("portal_domain_claims").where("id", "=", id).execute();
    await recordAudit(trx, ctx, {
      action: "portal_domain.release",
      resourceType: "portal_domain",
      resourceId: id,
      accountId: claim.account_id,
      accountPath: claim.account_path,
      details: { domain: claim.domain, status: claim.status },
    });
  });
}
