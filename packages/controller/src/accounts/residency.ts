import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  describeResidency,
  parseJurisdictionCodes,
  residencyNarrows,
} from "@layerboom/core";
import type { Principal } from "@layerboom/core";
import type { AccountRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Expression, SqlBool } from "kysely";

const FIELD = "required_jurisdictions";

/** The most servers a refused tightening lists in its error's details. */
const LISTED_SERVERS = 50;

/**
 * Validates a new requirement for `account` as `principal` may set it (docs/placement.md):
 * only customer accounts hold servers, so only they carry one; an admin above the account may
 * set any requirement or clear it; the account's own admins may only tighten theirs.
 * Returns the codes as stored (validated, repeats dropped).
 */
export function residencyChange(
  principal: Pick<Principal, "accountId">,
  account: Pick<AccountRow, "id" | "kind" | "required_jurisdictions">,
  codes: readonly unknown[],
): string[] {
  const next = parseJurisdictionCodes(FIELD, codes);
  if (account.kind !== "customer")
    throw new InvalidInputError(
      FIELD,
      `Account ${account.id} is a ${account.kind}; only customer accounts hold servers, so only they have required jurisdictions.`,
    );
  const current = account.required_jurisdictions;
  if (account.id === principal.accountId && !residencyNarrows(next, current))
    throw new ForbiddenError(
      `You may tighten your own account's required jurisdictions, not loosen them: ` +
        `every code must lie within ${describeResidency(current)}. Your provider or reseller can change it.`,
    );
  return next;
}

/**
 * Locks the account row and refuses a requirement that its servers already break, listing
 * them: the requirement is a promise about every server of the account, so it is never
 * recorded while one is outside it. Creates hold the same row (FOR SHARE) while they place,
 * so none slips in between this check and the commit.
 */
export async function refuseServersOutside(
  trx: Kysely<Schema>,
  accountId: string,
  required: readonly string[],
): Promise<void> {
  await trx.selectFrom("accounts").select("id").where("id", "=", accountId).forUpdate().execute();
  if (required.length === 0) return;
  const outside = await trx
    .selectFrom("servers")
    .innerJoin("sites", "sites.id", "servers.site_id")
    .select(["servers.id", "servers.name", "servers.site_id", "sites.jurisdiction"])
    .where("servers.account_id", "=", accountId)
    .where("servers.deleted_at", "is", null)
    .where("servers.desired_state", "!=", "deleted")
    .where(sql<boolean>`NOT ${siteWithin(required)}`)
    .orderBy("servers.id")
    .limit(LISTED_SERVERS + 1)
    .execute();
  if (outside.length === 0) return;
  const listed = outside.slice(0, LISTED_SERVERS);
  const more = outside.length > LISTED_SERVERS ? " and more" : "";
  throw new ConflictError(
    `The account's servers ${listed.map((s) => s.id).join(", ")}${more} run at sites outside ${describeResidency(required)}; ` +
      `delete them before requiring it.`,
    {
      reason: "servers_outside_residency",
      field: FIELD,
      servers: listed.map((s) => ({
        id: s.id,
        name: s.name,
        site_id: s.site_id,
        site_jurisdiction: s.jurisdiction,
      })),
    },
  );
}

/**
 * SQL for "this site lies within one of `required`" (core's jurisdictionSatisfies): its label
 * is a required code or a subdivision of one. True for an empty list. The codes must have been
 * validated (ISO 3166 letters, digits and one hyphen), so none holds a LIKE wildcard.
 */
export function siteWithin(required: readonly string[]): Expression<SqlBool> {
  if (required.length === 0) return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(
    required.map((code) => sql`(sites.jurisdiction = ${code} OR sites.jurisdiction LIKE ${`${code}-%`})`),
    sql` OR `,
  )})`;
}

/** An account's required jurisdictions ([] for none, and for an account that does not exist). */
export async function requiredJurisdictionsOf(db: Kysely<Schema>, accountId: string): Promise<string[]> {
  const row = await db
    .selectFrom("accounts")
    .select("required_jurisdictions")
    .where("id", "=", accountId)
    .executeTakeFirst();
  return row?.required_jurisdictions ?? [];
}
