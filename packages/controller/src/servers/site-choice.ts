import { InvalidInputError, assertResidency, describeResidency } from "@layerboom/core";
import type { AccountRow } from "@layerboom/db";
import type { ServiceContext } from "../base/context.js";
import { mustReference } from "../base/references.js";
import { getSite } from "../catalog/catalog.js";
import { siteWithin } from "../accounts/residency.js";
import { rankSitesByEnergy } from "../energy/site-choice.js";

/**
 * The sites a create for `account` tries, in order: the one asked for, or every site the
 * energy weighers rank (docs/energy.md). Either way only sites within the account's required
 * jurisdictions (docs/placement.md): a named site outside them is refused with
 * ResidencyViolationError (422, naming the rule), not skipped and not reported as a shortage.
 */
export async function sitesToTry(
  ctx: ServiceContext,
  account: Pick<AccountRow, "required_jurisdictions">,
  siteId: string | undefined,
): Promise<string[]> {
  const required = account.required_jurisdictions;
  if (siteId !== undefined) {
    const site = await mustReference("site_id", () => getSite(ctx, siteId));
    assertResidency(required, site);
    return [site.id];
  }
  const ranked = (await rankSitesByEnergy(ctx, new Date())).map((s) => s.siteId);
  if (required.length === 0) return ranked;
  const within = await ctx.database.db
    .selectFrom("sites")
    .select("id")
    .where("id", "in", ranked)
    .where(siteWithin(required))
    .execute();
  const allowed = ranked.filter((id) => within.some((s) => s.id === id));
  if (allowed.length === 0) {
    throw new InvalidInputError(
      "site_id",
      `site_id is required: no site that offers energy-aware placement lies within the account's required jurisdictions (${describeResidency(required)})`,
    );
  }
  return allowed;
}
