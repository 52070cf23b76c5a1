import { InvalidInputError, KNOWN_TAX_REGIONS, assertTimeZone, requireAdmin } from "@layerboom/core";
import { Type } from "@sinclair/typebox";
import { closeMonth, draftInvoice } from "./invoices.js";
import { closeWholesaleMonth } from "./wholesale.js";
import { enforceSuspensions } from "../metering/suspension.js";
import { Strict, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { InvoiceSummary, Period } from "./invoice-schemas.js";
import { getAccount } from "../accounts/accounts.js";

/**
 * Native billing: month closes, usage so far, suspension sweeps on demand, billing profiles and
 * settings, tax rates (docs/billing.md). Invoices are invoice-routes.ts, codes code-routes.ts.
 */
export function registerBillingRoutes(app: App, deps: RouteDeps): void {
  app.post(
    "/billing/close",
    {
      schema: {
        tags: ["billing"],
        summary: "Close a month: issue an invoice to every customer this account bills",
        body: Strict({ period: Period }),
        response: {
          200: Type.Object({ issued: Type.Array(InvoiceSummary), skipped: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      requireAdmin(ctx.principal, "close a billing month");
      if (ctx.principal.accountKind === "customer")
        throw new InvalidInputError(
          "period",
          "Only a provider or a reseller closes months for its customers.",
        );
      const now = new Date();
      const result = await closeMonth(ctx.database, ctx.principal.accountId, request.body.period, now, ctx);
      if (ctx.principal.accountKind !== "provider") return result;
      // The provider also bills each reseller for its customers' usage, at wholesale prices.
      const wholesale = await closeWholesaleMonth(
        ctx.database,
        ctx.principal.accountId,
        request.body.period,
        now,
        ctx,
      );
      return { issued: [...result.issued, ...wholesale.issued], skipped: result.skipped + wholesale.skipped };
    },
  );

  app.get(
    "/billing/usage",
    {
      schema: {
        tags: ["billing"],
        summary:
          "This month so far (or another period): hours, add-ons, stored images, discounts, energy and taxes, not yet invoiced",
        querystring: Strict({ period: Type.Optional(Period), account_id: Type.Optional(Type.String()) }),
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      const account = await getAccount(ctx, request.query.account_id ?? ctx.principal.accountId);
      const period = request.query.period ?? new Date().toISOString().slice(0, 7);
      const draft = await draftInvoice(ctx.database, account.id, period);
      return {
        ...draft,
        charges: draft.charges.map((c) => ({ ...c, usedSeconds: Math.round(c.usedMs / 1000) })),
        addons: draft.addons.map((a) => ({ ...a, usedSeconds: Math.round(a.usedMs / 1000) })),
        // Bytes × milliseconds pass 2⁵³: the exact figure travels as a decimal string.
        imageStorage: draft.imageStorage && {
          ...draft.imageStorage,
          byteMs: String(draft.imageStorage.byteMs),
        },
      };
    },
  );

  app.post(
    "/billing/enforce",
    {
      schema: {
        tags: ["billing"],
        summary:
          "Suspend now every customer with an invoice unpaid past its grace period (also runs every minute)",
        response: { 200: Type.Object({ suspended: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      if (ctx.principal.role !== "provider-admin")
        throw new InvalidInputError("role", "Only a provider admin runs this.");
      const result = await enforceSuspensions(ctx.database, new Date());
      for (const h of result.hosts) deps.hostChanged?.(h);
      return { suspended: result.suspended };
    },
  );

  app.get(
    "/billing/profile",
    {
      schema: {
        tags: ["billing"],
        summary: "Your account's billing time zone, tax region, credit and suspension",
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      const row = await ctx.database.db
        .selectFrom("billing_profiles")
        .selectAll()
        .where("account_id", "=", ctx.principal.accountId)
        .executeTakeFirst();
      return (
        row ?? {
          account_id: ctx.principal.accountId,
          time_zone: "America/Toronto",
          tax_region: null,
          credit_minor: 0,
          suspended_at: null,
        }
      );
    },
  );

  app.put(
    "/billing/profile",
    {
      schema: {
        tags: ["billing"],
        summary: "Set your account's billing time zone and tax region (ISO 3166-2, e.g. CA-QC)",
        body: Strict({
          time_zone: Type.Optional(Type.String()),
          tax_region: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        }),
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      requireAdmin(ctx.principal, "change billing details");
      const { time_zone: zone, tax_region: region } = request.body;
      if (zone !== undefined) {
        try {
          assertTimeZone(zone);
        } catch {
          throw new InvalidInputError(
            "time_zone",
            `Unknown time zone ${zone}; use an IANA name like America/Toronto.`,
          );
        }
      }
      if (region !== undefined && region !== null && !KNOWN_TAX_REGIONS.has(region))
        throw new InvalidInputError(
          "tax_region",
          `Unknown tax region ${region}; use an ISO 3166-2 code such as CA-ON.`,
        );
      const now = new Date();
      return ctx.database.db
        .insertInto("billing_profiles")
        .values({
          account_id: ctx.principal.accountId,
          ...(zone !== undefined ? { time_zone: zone } : {}),
          tax_region: region ?? null,
          suspended_at: null,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column("account_id").doUpdateSet({
            ...(zone !== undefined ? { time_zone: zone } : {}),
            ...(region !== undefined ? { tax_region: region } : {}),
            updated_at: now,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  );

  app.put(
    "/billing/settings",
    {
      schema: {
        tags: ["billing"],
        summary:
          "As an issuer: whether energy is billed or informational, payment terms, grace days, invoice prefix, the price of stored images",
        body: Strict({
          energy_mode: Type.Optional(Type.Union([Type.Literal("billed"), Type.Literal("informational")])),
          payment_terms_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
          grace_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
          invoice_prefix: Type.Optional(Type.String({ pattern: "^[A-Z0-9-]{0,12}$" })),
          image_storage_minor_per_gib_month: Type.Optional(
            Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000_000 }), Type.Null()], {
              description:
                "Minor units per GiB of stored images for a whole month, with image_storage_currency; null: free (a reseller's customers then pay the provider's price)",
            }),
          ),
          image_storage_currency: Type.Optional(
            Type.Union([Type.String({ pattern: "^[A-Z]{3}$" }), Type.Null()]),
          ),
        }),
        response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      requireAdmin(ctx.principal, "change billing settings");
      if (ctx.principal.accountKind === "customer")
        throw new InvalidInputError("account", "Billing settings belong to the provider or a reseller.");
      const set = request.body;
      requireStoragePriceWithCurrency(set);
      return ctx.database.db
        .insertInto("billing_settings")
        .values({ account_id: ctx.principal.accountId, ...set })
        .onConflict((oc) => oc.column("account_id").doUpdateSet({ ...set }))
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  );

  app.get(
    "/billing/tax-rates",
    {
      schema: {
        tags: ["billing"],
        summary: "Sales tax rates by region (millionths: 50000 is 5%)",
        response: {
          200: Type.Array(
            Type.Object({ region: Type.String(), name: Type.String(), rate_micros: Type.Integer() }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      contextOf(deps, request)
        .database.db.selectFrom("tax_rates")
        .selectAll()
        .orderBy("region")
        .orderBy("name")
        .execute(),
  );

  app.put(
    "/billing/tax-rates",
    {
      schema: {
        tags: ["billing"],
        summary: "Set the taxes of one region (replaces that region's rates)",
        body: Strict({
          region: Type.String(),
          taxes: Type.Array(
            Type.Object({
              name: Type.String({ pattern: "^[A-Z]{2,8}$" }),
              rate_micros: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
            }),
            {
              maxItems: 4,
            },
          ),
        }),
        response: {
          200: Type.Object({ region: Type.String(), taxes: Type.Array(Type.Unknown()) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      if (ctx.principal.role !== "provider-admin")
        throw new InvalidInputError("role", "Only a provider admin sets tax rates.");
      const { region, taxes } = request.body;
      if (!KNOWN_TAX_REGIONS.has(region))
        throw new InvalidInputError(
          "region",
          `Unknown tax region ${region}; use an ISO 3166-2 code such as CA-ON.`,
        );
      await ctx.database.db.transaction().execute(async (trx) => {
        await trx.deleteFrom("tax_rates").where("region", "=", region).execute();
        if (taxes.length > 0)
          await trx
            .insertInto("tax_rates")
            .values(taxes.map((t) => ({ region, ...t })))
            .execute();
      });
      return { region, taxes };
    },
  );
}

/** A price for stored images is set, or cleared, together with its currency: never one alone. */
function requireStoragePriceWithCurrency(set: {
  image_storage_minor_per_gib_month?: number | null;
  image_storage_currency?: string | null;
}): void {
  const price = set.image_storage_minor_per_gib_month;
  const currency = set.image_storage_currency;
  if (price === undefined && currency === undefined) return;
  if (price !== undefined && price !== null && !currency)
    throw new InvalidInputError(
      "image_storage_currency",
      "A price for stored images needs its currency (ISO 4217, e.g. CAD) in image_storage_currency.",
    );
  if (currency !== undefined && currency !== null && (price === undefined || price === null))
    throw new InvalidInputError(
      "image_storage_minor_per_gib_month",
      "image_storage_currency names the currency of image_storage_minor_per_gib_month; give the price with it.",
    );
  // Either one null clears both: free again (a reseller's customers back at the provider's price).
  if (price === null || currency === null) {
    set.image_storage_minor_per_gib_month = null;
    set.image_storage_currency = null;
  }
}
