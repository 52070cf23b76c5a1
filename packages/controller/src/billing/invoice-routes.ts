import { Type } from "@sinclair/typebox";
import type { ServiceContext } from "../base/context.js";
import { brandOf } from "../branding/brands.js";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  MoneyMinor,
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { getInvoice, issueCreditNote, listInvoices, listPayments, recordPayment } from "./invoice-views.js";
import type { InvoiceView } from "./invoice-views.js";
import { invoiceCsv, invoiceHtml, invoicePdf } from "./render.js";
import { Invoice, InvoiceSummary, Period } from "./invoice-schemas.js";
import { ConflictError } from "@layerboom/core";

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

/** Invoices (JSON, HTML, PDF, CSV), their payments and credit notes (docs/billing.md). */
export function registerInvoiceRoutes(app: App, deps: RouteDeps): void {
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
}
