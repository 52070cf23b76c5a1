import {
  ConflictError,
  InvalidInputError,
  KNOWN_TAX_REGIONS,
  assertTimeZone,
  requireAdmin,
} from "@layerboom/core";
import { Type } from "@sinclair/typebox";
import { brandOf } from "../branding/brands.js";
import { closeMonth, draftInvoice } from "./invoices.js";
import { closeWholesaleMonth } from "./wholesale.js";
import { createCode, listCodes, redeemCode } from "./codes.js";
import { getInvoice, issueCreditNote, listInvoices, listPayments, recordPayment } from "./invoice-views.js";
import type { InvoiceView } from "./invoice-views.js";
import { invoiceCsv, invoiceHtml, invoicePdf } from "./render.js";
import { enforceSuspensions } from "../metering/suspension.js";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  MoneyMinor,
  NullableTimestamp,
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { getAccount } from "../accounts/accounts.js";
import type { ServiceContext } from "../base/context.js";

const Period = Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM" });

const InvoiceLine = Type.Object({
  position: Type.Integer(),
  kind: Type.String(),
  description: Type.String(),
  quantity: Type.String(),
  amount_minor: Type.Integer(),
  server_id: Type.Union([Type.String(), Type.Null()]),
  plan_id: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const InvoiceFields = {
  id: Type.String(),
  number: Type.String(),
  issuer_account_id: Type.String(),
  account_id: Type.String(),
  kind: Type.String({ description: "invoice or credit-note" }),
  period: Type.String(),
  corrects_invoice_id: Type.Union([Type.String(), Type.Null()]),
  currency: Type.String(),
  subtotal_minor: Type.Integer(),
  tax_minor: Type.Integer(),
  total_minor: Type.Integer(),
  credit_applied_minor: Type.Integer(),
  amount_due_minor: Type.Integer(),
  status: Type.String({ description: "issued or paid" }),
  issued_at: Timestamp,
  due_at: Timestamp,
  paid_at: NullableTimestamp,
};
const InvoiceSummary = Type.Object(InvoiceFields);
const Invoice = Type.Object({ ...InvoiceFields, lines: Type.Array(InvoiceLine) });

const Code = Type.Object({
  id: Type.String(),
  code: Type.String(),
  kind: Type.String(),
  value: Type.Integer(),
  scope: Type.String(),
  plan_ids: Type.Array(Type.String()),
  duration_months: Type.Integer(),
  expires_at: NullableTimestamp,
  max_redemptions: Type.Union([Type.Integer(), Type.Null()]),
  redemptions: Type.Integer(),
  created_at: Timestamp,
});

async function partiesOf(ctx: ServiceContext, invoice: InvoiceView) {
  const names = await ctx.database.db
    .selectFrom("accounts")
    .select(["id", "name"])
    .where("id", "in", [invoice.issuer_account_id, invoice.account_id])
    .execute();
  const name = (id: string) => names.find((n) => n.id === id)?.name ?? id;
  // The issuer appears under its brand (a reseller's customers see the reseller's, not the provider's).
  const brand = await brandOf(ctx.database.db, invoice.issuer_account_id);
  return { issuer: brand.name, issuerEmail: brand.support_email, customer: name(invoice.account_id) };
}

/**
 * Native billing: month closes, invoices (JSON, HTML, PDF, CSV), payments, credit notes,
 * discount codes, billing profiles and settings, tax rates (docs/billing.md).
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
          "This month so far (or another period): hours, discounts, energy and taxes, not yet invoiced",
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
          "As an issuer: whether energy is billed or informational, payment terms, grace days, invoice prefix",
        body: Strict({
          energy_mode: Type.Optional(Type.Union([Type.Literal("billed"), Type.Literal("informational")])),
          payment_terms_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
          grace_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
          invoice_prefix: Type.Optional(Type.String({ pattern: "^[A-Z0-9-]{0,12}$" })),
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

  app.get(
    "/invoices",
    {
      schema: {
        tags: ["billing"],
        summary: "List invoices and credit notes (yours, or your customers')",
        querystring: Strict({
          ...PageQuery,
          account_id: Type.Optional(Type.String()),
          period: Type.Optional(Period),
          status: Type.Optional(Type.Union([Type.Literal("issued"), Type.Literal("paid")])),
        }),
        response: { 200: PageOf(InvoiceSummary), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(
        await listInvoices(
          contextOf(deps, request),
          { accountId: request.query.account_id, period: request.query.period, status: request.query.status },
          pageRequest(request.query),
        ),
      ),
  );

  app.get(
    "/invoices/:id",
    {
      schema: {
        tags: ["billing"],
        summary: "Show an invoice with its lines",
        params: IdParam,
        response: { 200: Invoice, ...errorResponses },
      },
    },
    async (request) => getInvoice(contextOf(deps, request), request.params.id),
  );

  app.patch(
    "/invoices/:id",
    {
      schema: {
        tags: ["billing"],
        summary: "Always refused: an issued invoice is immutable; issue a credit note",
        params: IdParam,
        response: errorResponses,
      },
    },
    async (request) => {
      const invoice = await getInvoice(contextOf(deps, request), request.params.id);
      throw new ConflictError(
        `Invoice ${invoice.number} is issued and cannot be edited; correct it with a credit note (POST /invoices/${invoice.id}/credit-notes).`,
      );
    },
  );

  for (const format of ["pdf", "html", "csv"] as const) {
    app.get(
      `/invoices/:id/${format}`,
      {
        schema: {
          tags: ["billing"],
          summary: `The invoice as ${format.toUpperCase()}`,
          params: IdParam,
        },
      },
      async (request, reply) => {
        const ctx = contextOf(deps, request);
        const invoice = await getInvoice(ctx, request.params.id);
        const parties = await partiesOf(ctx, invoice);
        const filename = `${invoice.number}.${format}`;
        void reply.header(
          "content-disposition",
          `${format === "html" ? "inline" : "attachment"}; filename="${filename}"`,
        );
        if (format === "pdf") return reply.type("application/pdf").send(await invoicePdf(invoice, parties));
        if (format === "html")
          return reply
            .type("text/html; charset=utf-8")
            .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
            .send(invoiceHtml(invoice, parties));
        return reply.type("text/csv; charset=utf-8").send(invoiceCsv(invoice));
      },
    );
  }

  app.post(
    "/invoices/:id/payments",
    {
      schema: {
        tags: ["billing"],
        summary: "Record a payment (the invoice's issuer); paid in full, it lifts a suspension",
        params: IdParam,
        body: Strict({
          amount_minor: MoneyMinor({ minimum: 1 }),
          method: Type.String({ minLength: 1, maxLength: 40 }),
          reference: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: Invoice, ...errorResponses },
      },
    },
    async (request) =>
      (await recordPayment(contextOf(deps, request), request.params.id, request.body)).invoice,
  );

  app.get(
    "/invoices/:id/payments",
    {
      schema: {
        tags: ["billing"],
        summary: "The payments recorded against an invoice, oldest first",
        params: IdParam,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                invoice_id: Type.String(),
                amount_minor: Type.Integer(),
                method: Type.String(),
                reference: Type.String(),
                received_at: Timestamp,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await listPayments(contextOf(deps, request), request.params.id) }),
  );

  app.post(
    "/invoices/:id/credit-notes",
    {
      schema: {
        tags: ["billing"],
        summary: "Correct an issued invoice with a credit note (its own number, a negative total)",
        params: IdParam,
        body: Strict({
          amount_minor: MoneyMinor({ minimum: 1 }),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
        }),
        response: { 201: Invoice, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await issueCreditNote(contextOf(deps, request), request.params.id, request.body)),
  );

  app.get(
    "/codes",
    {
      schema: {
        tags: ["billing"],
        summary: "The discount codes you issue",
        response: { 200: Type.Object({ items: Type.Array(Code) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listCodes(contextOf(deps, request)) }),
  );

  app.post(
    "/codes",
    {
      schema: {
        tags: ["billing"],
        summary: "Create a discount code (GEO50: percent 5000, scope first-server, 6 months)",
        body: Strict({
          code: Type.String(),
          kind: Type.Union([Type.Literal("percent"), Type.Literal("amount")]),
          value: MoneyMinor({
            minimum: 1,
            description: "basis points for percent (5000 = 50%), minor units for amount",
          }),
          scope: Type.Union([
            Type.Literal("first-server"),
            Type.Literal("all-servers"),
            Type.Literal("plans"),
          ]),
          plan_ids: Type.Optional(Type.Array(Type.String())),
          duration_months: Type.Integer({ minimum: 1, maximum: 120 }),
          expires_at: Type.Optional(Type.String({ format: "date-time" })),
          // The column is a 32-bit integer.
          max_redemptions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
        }),
        response: { 201: Code, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCode(contextOf(deps, request), request.body)),
  );

  app.post(
    "/codes/redeem",
    {
      schema: {
        tags: ["billing"],
        summary: "Redeem a discount code for your account",
        body: Strict({
          code: Type.String({ minLength: 1, maxLength: 64 }),
          plan_id: Type.Optional(Type.String()),
        }),
        response: { 201: Type.Record(Type.String(), Type.Unknown()), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await redeemCode(contextOf(deps, request), request.body)),
  );
}
