import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  newId,
  parseJurisdictionCode,
  requireProviderAdmin,
} from "@layerboom/core";
import type { PlanRow, SiteRow } from "@layerboom/db";
import { plansAtRetail } from "./prices.js";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { requiredJurisdictionsOf, siteWithin } from "../accounts/residency.js";
import { sql } from "kysely";

// Sites and plans belong to the whole install: every signed-in user reads them,
// only the provider's admins change them.

let knownZones: Set<string> | undefined;

/** Whether the runtime's IANA database knows this zone. */
export function isKnownTimeZone(zone: string): boolean {
  knownZones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);
  return knownZones.has(zone);
}

export interface SiteInput {
  name: string;
  country_code: string;
  region_code?: string | undefined;
  jurisdiction?: string | undefined;
  time_zone: string;
}

/** A site, and whether its servers get public IPv4 addresses (it has a pool; docs/networking.md). */
export type SiteView = SiteRow & { public_ipv4: boolean };

function sitesWithNetworking(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("sites")
    .selectAll()
    .select(sql<boolean>`EXISTS (SELECT 1 FROM ip_pools p WHERE p.site_id = sites.id)`.as("public_ipv4"));
}

export async function getSite(ctx: ServiceContext, id: string): Promise<SiteView> {
  const row = await sitesWithNetworking(ctx).where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("site", id);
  return row;
}

/**
 * The sites the caller may place servers at: those within its own account's required
 * jurisdictions, if it has any (docs/placement.md). `jurisdiction` narrows the list to sites
 * within that code, subdivisions included ("CA" lists "CA-QC" sites).
 */
export async function listSites(
  ctx: ServiceContext,
  filter: { countryCode?: string | undefined; jurisdiction?: string | undefined },
  page: PageRequest,
): Promise<Page<SiteView>> {
  const required = await requiredJurisdictionsOf(ctx.database.db, ctx.principal.accountId);
  let q = sitesWithNetworking(ctx).where(siteWithin(required));
  if (filter.countryCode) q = q.where("country_code", "=", filter.countryCode);
  if (filter.jurisdiction !== undefined)
    q = q.where(siteWithin([parseJurisdictionCode("jurisdiction", filter.jurisdiction)]));
  if (page.after) q = q.where("id", ">", page.after);
  return toPage(
    await q
      .orderBy("id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

export async function createSite(ctx: ServiceContext, input: SiteInput): Promise<SiteRow> {
  requireProviderAdmin(ctx.principal, "create sites");
  if (!isKnownTimeZone(input.time_zone)) {
    throw new InvalidInputError(
      "time_zone",
      `Unknown time zone "${input.time_zone}". Use an IANA name such as America/Toronto.`,
    );
  }
  // Placement compares labels by prefix (docs/placement.md), so only well-formed codes may label a site.
  if (input.jurisdiction) parseJurisdictionCode("jurisdiction", input.jurisdiction);
  const id = newId("site");
  try {
    return await ctx.database.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("sites")
        .values({
          id,
          name: input.name,
          country_code: input.country_code,
          region_code: input.region_code ?? "",
          jurisdiction: input.jurisdiction ?? "",
          time_zone: input.time_zone,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "site.create",
        resourceType: "site",
        resourceId: id,
        accountId: ctx.principal.accountId,
        accountPath: ctx.principal.accountPath,
        details: { ...input },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`A site named "${input.name}" already exists.`, { field: "name" });
    throw err;
  }
}

export interface PlanInput {
  name: string;
  vcpus: number;
  memory_mib: number;
  disk_gib: number;
  transfer_gib: number;
  hourly_price_minor: number;
  monthly_cap_minor: number;
  currency: string;
  /** Backups add-on price, in percent of the server's charge (default 20). */
  backups_price_percent?: number | undefined;
  /** One extra IPv4 address for a month (docs/networking.md). */
  extra_ipv4_monthly_minor?: number | undefined;
  /** Each GiB sent beyond the server's share of transfer_gib. */
  transfer_overage_minor_per_gib?: number | undefined;
}

export async function getPlan(ctx: ServiceContext, id: string): Promise<PlanRow> {
  let q = ctx.database.db.selectFrom("plans").selectAll().where("id", "=", id);
  if (ctx.principal.role !== "provider-admin") q = q.where("active", "=", true);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFoundError("plan", id);
  return row;
}

export async function listPlans(
  ctx: ServiceContext,
  filter: { active?: boolean | undefined },
  page: PageRequest,
): Promise<Page<PlanRow>> {
  let q = ctx.database.db.selectFrom("plans").selectAll();
  // Retired plans are the provider's business; everyone else sees what is on sale.
  const active = ctx.principal.role === "provider-admin" ? filter.active : true;
  if (active !== undefined) q = q.where("active", "=", active);
  if (page.after) q = q.where("id", ">", page.after);
  const rows = await q
    .orderBy("id")
    .limit(page.limit + 1)
    .execute();
  // A reseller's customers see its retail prices, never the wholesale ones.
  return toPage(await plansAtRetail(ctx.database.db, ctx.principal, rows), page.limit);
}

/** A plan's cap is what a month of it costs at most, so it is never below one hour. */
function checkCap(prices: { hourly_price_minor: number; monthly_cap_minor: number }): void {
  if (prices.monthly_cap_minor < prices.hourly_price_minor) {
    throw new InvalidInputError(
      "monthly_cap_minor",
      `The monthly cap (${prices.monthly_cap_minor}) cannot be lower than the hourly price (${prices.hourly_price_minor}).`,
    );
  }
}

export async function createPlan(ctx: ServiceContext, input: PlanInput): Promise<PlanRow> {
  requireProviderAdmin(ctx.principal, "create plans");
  checkCap(input);
  const id = newId("plan");
  try {
    return await ctx.database.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("plans")
        .values({ id, ...input })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "plan.create",
        resourceType: "plan",
        resourceId: id,
        accountId: ctx.principal.accountId,
        accountPath: ctx.principal.accountPath,
        details: { ...input },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`A plan named "${input.name}" already exists.`, { field: "name" });
    throw err;
  }
}

export async function updatePlan(
  ctx: ServiceContext,
  id: string,
  patch: {
    active?: boolean | undefined;
    hourly_price_minor?: number | undefined;
    monthly_cap_minor?: number | undefined;
    backups_price_percent?: number | undefined;
    extra_ipv4_monthly_minor?: number | undefined;
    transfer_overage_minor_per_gib?: number | undefined;
  },
): Promise<PlanRow> {
  requireProviderAdmin(ctx.principal, "change plans");
  const current = await getPlan(ctx, id);
  const prices = {
    hourly_price_minor: patch.hourly_price_minor ?? current.hourly_price_minor,
    monthly_cap_minor: patch.monthly_cap_minor ?? current.monthly_cap_minor,
  };
  checkCap(prices);
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("plans")
      .set({
        active: patch.active ?? current.active,
        backups_price_percent: patch.backups_price_percent ?? current.backups_price_percent,
        extra_ipv4_monthly_minor: patch.extra_ipv4_monthly_minor ?? current.extra_ipv4_monthly_minor,
        transfer_overage_minor_per_gib:
          patch.transfer_overage_minor_per_gib ?? current.transfer_overage_minor_per_gib,
        ...prices,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "plan.update",
      resourceType: "plan",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { ...patch },
    });
    return row;
  });
}
