import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { resolveConnection } from "../config.js";
import { CliError } from "../errors.js";
import { httpFetch } from "../http-fetch.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { all } from "./lookup.js";

type Row = Record<string, unknown>;

const cents = (minor: unknown, currency: unknown = "") =>
  typeof minor === "number"
    ? `${(minor / 100).toFixed(2)}${typeof currency === "string" && currency ? ` ${currency}` : ""}`
    : "-";

const INVOICE_COLUMNS: Column<Row>[] = [
  { header: "number", value: (r) => r["number"] },
  { header: "kind", value: (r) => r["kind"] },
  { header: "period", value: (r) => r["period"] },
  { header: "account", value: (r) => r["account_id"] },
  { header: "total", value: (r) => cents(r["total_minor"], r["currency"]) },
  { header: "due", value: (r) => cents(r["amount_due_minor"]) },
  { header: "status", value: (r) => r["status"] },
  { header: "id", value: (r) => r["id"] },
];

const LINE_COLUMNS: Column<Row>[] = [
  { header: "kind", value: (r) => r["kind"] },
  { header: "description", value: (r) => r["description"] },
  { header: "quantity", value: (r) => r["quantity"] || "" },
  { header: "amount", value: (r) => cents(r["amount_minor"]) },
];

/** Money on the command line is in major units with up to two decimals (`12.50`); the API takes minor units. */
function minorUnits(text: string, field: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(text)) throw new CliError(`${field} is an amount like 12.50, not ${text}.`);
  const [whole = "0", frac = ""] = text.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

/** `layerboom billing`, `layerboom invoices` and `layerboom codes`. */
export function registerBillingCommands(program: Command): void {
  const flags = (cmd: Command) => cmd.optsWithGlobals<GlobalFlags>();

  const billing = program
    .command("billing")
    .description("Billing: month closes, usage so far, profile, settings, taxes");
  billing
    .command("close <period>")
    .description("Close a month (YYYY-MM): one invoice to every customer you bill, numbered without gaps")
    .action(async (period: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const result = unwrap(await api.POST("/billing/close", { body: { period } })) as Row;
      if (flags(cmd).output === "json") print<Row>("json", result, []);
      else {
        print<Row>("table", result["issued"] as Row[], INVOICE_COLUMNS);
        cliIo().stdout.write(
          `${(result["issued"] as Row[]).length} issued, ${String(result["skipped"])} skipped (nothing to bill, or already issued).\n`,
        );
      }
    });
  billing
    .command("usage")
    .description("This month so far (or --period): hours per server and plan, discounts, energy and taxes")
    .option("--period <YYYY-MM>")
    .option("--account <id>", "a customer of yours")
    .action(async (o: { period?: string; account?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const draft: Row = unwrap(
        await api.GET("/billing/usage", {
          params: {
            query: {
              ...(o.period ? { period: o.period } : {}),
              ...(o.account ? { account_id: o.account } : {}),
            },
          },
        }),
      );
      if (flags(cmd).output === "json") return print<Row>("json", draft, []);
      print<Row>("table", draft["charges"] as Row[], [
        { header: "server", value: (r) => r["serverId"] },
        { header: "plan", value: (r) => r["planId"] },
        { header: "hours", value: (r) => r["billedHours"] },
        { header: "amount", value: (r) => cents(r["amountMinor"]) },
        { header: "capped", value: (r) => (r["capped"] ? "yes" : "") },
      ]);
      const energy = draft["energy"] as Row;
      const images = draft["imageStorage"] as Row | null;
      if (images)
        cliIo().stdout.write(
          `Stored images: ${String(images["images"])}, ${Number(images["gibMonths"]).toFixed(4)} GiB-months, ${cents(images["amountMinor"], (images["price"] as Row)["currency"])}\n`,
        );
      cliIo().stdout.write(
        `Energy ${Number(energy["kwh"]).toFixed(3)} kWh${energy["carbonKg"] === null ? "" : `, ${Number(energy["carbonKg"]).toFixed(3)} kg CO2e`}; subtotal ${cents(draft["subtotalMinor"], draft["currency"])}, tax ${cents(draft["taxMinor"])}, total ${cents(draft["totalMinor"], draft["currency"])}\n`,
      );
    });
  billing
    .command("profile")
    .description("Show or set your billing time zone and tax region")
    .option("--time-zone <zone>", "IANA zone, e.g. America/Toronto")
    .option("--tax-region <code>", "ISO 3166-2, e.g. CA-QC")
    .action(async (o: { timeZone?: string; taxRegion?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const body = {
        ...(o.timeZone ? { time_zone: o.timeZone } : {}),
        ...(o.taxRegion ? { tax_region: o.taxRegion } : {}),
      };
      const profile =
        Object.keys(body).length > 0
          ? unwrap(await api.PUT("/billing/profile", { body }))
          : unwrap(await api.GET("/billing/profile"));
      print<Row>(flags(cmd).output, profile, [
        { header: "time zone", value: (r) => r["time_zone"] },
        { header: "tax region", value: (r) => r["tax_region"] },
        { header: "credit", value: (r) => cents(r["credit_minor"]) },
        { header: "suspended", value: (r) => r["suspended_at"] },
      ]);
    });
  billing
    .command("settings")
    .description(
      "As the provider or a reseller: energy billed or informational, payment terms, grace days, invoice prefix, price of stored images",
    )
    .option("--energy <mode>", "billed or informational")
    .option("--payment-terms <days>")
    .option("--grace <days>")
    .option("--prefix <prefix>")
    .option(
      "--image-storage-price <amount>",
      "a GiB of stored images for a month, e.g. 0.05 (with --image-storage-currency); none: free",
    )
    .option("--image-storage-currency <code>", "ISO 4217, e.g. CAD")
    .action(
      async (
        o: {
          energy?: string;
          paymentTerms?: string;
          grace?: string;
          prefix?: string;
          imageStoragePrice?: string;
          imageStorageCurrency?: string;
        },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const storage =
          o.imageStoragePrice === "none"
            ? { image_storage_minor_per_gib_month: null, image_storage_currency: null }
            : {
                ...(o.imageStoragePrice !== undefined
                  ? {
                      image_storage_minor_per_gib_month: minorUnits(
                        o.imageStoragePrice,
                        "--image-storage-price",
                      ),
                    }
                  : {}),
                ...(o.imageStorageCurrency !== undefined
                  ? { image_storage_currency: o.imageStorageCurrency }
                  : {}),
              };
        const settings = unwrap(
          await api.PUT("/billing/settings", {
            body: {
              ...(o.energy ? { energy_mode: o.energy as "billed" | "informational" } : {}),
              ...(o.paymentTerms ? { payment_terms_days: Number(o.paymentTerms) } : {}),
              ...(o.grace ? { grace_days: Number(o.grace) } : {}),
              ...(o.prefix !== undefined ? { invoice_prefix: o.prefix } : {}),
              ...storage,
            },
          }),
        );
        print<Row>(flags(cmd).output, settings, [
          { header: "energy", value: (r) => r["energy_mode"] },
          { header: "terms", value: (r) => r["payment_terms_days"] },
          { header: "grace", value: (r) => r["grace_days"] },
          { header: "prefix", value: (r) => r["invoice_prefix"] },
          { header: "next number", value: (r) => r["next_number"] },
          {
            header: "stored images",
            value: (r) =>
              r["image_storage_minor_per_gib_month"] === null
                ? "-"
                : `${cents(r["image_storage_minor_per_gib_month"], r["image_storage_currency"])}/GiB-month`,
          },
        ]);
      },
    );
  billing
    .command("tax-rates")
    .description("Sales tax rates by region")
    .action(async (_o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      print<Row>(flags(cmd).output, unwrap(await api.GET("/billing/tax-rates")), [
        { header: "region", value: (r) => r["region"] },
        { header: "tax", value: (r) => r["name"] },
        { header: "rate", value: (r) => `${(Number(r["rate_micros"]) / 10_000).toString()}%` },
      ]);
    });

  const invoices = program.command("invoices").description("Invoices and credit notes");
  invoices
    .command("list")
    .option("--period <YYYY-MM>")
    .option("--status <status>", "issued or paid")
    .action(async (o: { period?: string; status?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api
          .GET("/invoices", {
            params: {
              query: {
                cursor,
                limit: 200,
                ...(o.period ? { period: o.period } : {}),
                ...(o.status ? { status: o.status as "issued" | "paid" } : {}),
              },
            },
          })
          .then(unwrap),
      );
      print<Row>(flags(cmd).output, rows, INVOICE_COLUMNS);
    });
  invoices.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const invoice = unwrap(await api.GET("/invoices/{id}", { params: { path: { id } } })) as Row;
    if (flags(cmd).output === "json") return print<Row>("json", invoice, []);
    cliIo().stdout.write(
      `${invoice["kind"] === "credit-note" ? "Credit note" : "Invoice"} ${String(invoice["number"])} for ${String(invoice["period"])}: ${String(invoice["status"])}\n\n`,
    );
    print<Row>("table", invoice["lines"] as Row[], LINE_COLUMNS);
    cliIo().stdout.write(
      `\nsubtotal ${cents(invoice["subtotal_minor"])}  tax ${cents(invoice["tax_minor"])}  total ${cents(invoice["total_minor"], invoice["currency"])}  due ${cents(invoice["amount_due_minor"])}\n`,
    );
  });
  invoices
    .command("download <id>")
    .description("Save the invoice as PDF, HTML or CSV")
    .option("--format <format>", "pdf, html or csv", "pdf")
    .requiredOption("--out <file>")
    .action(async (id: string, o: { format: string; out: string }, cmd: Command) => {
      if (!["pdf", "html", "csv"].includes(o.format))
        throw new CliError(`--format is pdf, html or csv, not ${o.format}.`);
      const { url, token } = await resolveConnection(flags(cmd), cliIo().env);
      const res = await httpFetch(new URL(`/api/v1/invoices/${encodeURIComponent(id)}/${o.format}`, url), {
        headers: { authorization: `Bearer ${token ?? ""}` },
      });
      if (res.status !== 200) throw new CliError(`Download refused (HTTP ${res.status}).`);
      await writeFile(o.out, Buffer.from(await res.arrayBuffer()));
      cliIo().stdout.write(`Saved ${o.out}\n`);
    });
  invoices
    .command("pay <id> <amount>")
    .description("Record a payment against an invoice you issued (amount like 12.50)")
    .requiredOption("--method <method>", "e.g. e-transfer, cheque, card")
    .option("--reference <text>")
    .action(async (id: string, amount: string, o: { method: string; reference?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const invoice = unwrap(
        await api.POST("/invoices/{id}/payments", {
          params: { path: { id } },
          body: {
            amount_minor: minorUnits(amount, "amount"),
            method: o.method,
            ...(o.reference ? { reference: o.reference } : {}),
          },
        }),
      ) as Row;
      print<Row>(flags(cmd).output, invoice, INVOICE_COLUMNS);
    });
  invoices
    .command("payments <id>")
    .description("The payments recorded against an invoice")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const { items } = unwrap(await api.GET("/invoices/{id}/payments", { params: { path: { id } } }));
      print<Row>(flags(cmd).output, items, [
        { header: "received", value: (r) => r["received_at"] },
        { header: "amount", value: (r) => cents(r["amount_minor"]) },
        { header: "method", value: (r) => r["method"] },
        { header: "reference", value: (r) => r["reference"] },
        { header: "id", value: (r) => r["id"] },
      ]);
    });
  invoices
    .command("credit <id> <amount>")
    .description("Correct an issued invoice with a credit note")
    .requiredOption("--reason <text>")
    .action(async (id: string, amount: string, o: { reason: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const note = unwrap(
        await api.POST("/invoices/{id}/credit-notes", {
          params: { path: { id } },
          body: { amount_minor: minorUnits(amount, "amount"), reason: o.reason },
        }),
      ) as Row;
      print<Row>(flags(cmd).output, note, INVOICE_COLUMNS);
    });

  const codes = program.command("codes").description("Discount codes");
  codes
    .command("create <code>")
    .description("e.g. `codes create GEO50 --percent 50 --first-server --months 6`")
    .option("--percent <n>", "percent off (0.01 to 100)")
    .option("--amount <money>", "a fixed amount off per month, like 5.00")
    .option("--first-server", "only the customer's first server")
    .option("--plans <ids>", "only these plans (comma-separated)")
    .requiredOption("--months <n>", "how many billing months, from the month of redemption")
    .option("--expires <time>", "ISO 8601")
    .option("--max <n>", "most redemptions in all")
    .action(
      async (
        code: string,
        o: {
          percent?: string;
          amount?: string;
          firstServer?: boolean;
          plans?: string;
          months: string;
          expires?: string;
          max?: string;
        },
        cmd: Command,
      ) => {
        if ((o.percent === undefined) === (o.amount === undefined))
          throw new CliError("Give exactly one of --percent or --amount.");
        const api = await connect(flags(cmd));
        const row = unwrap(
          await api.POST("/codes", {
            body: {
              code,
              kind: o.percent !== undefined ? "percent" : "amount",
              value:
                o.percent !== undefined
                  ? Math.round(Number(o.percent) * 100)
                  : minorUnits(o.amount ?? "", "--amount"),
              scope: o.firstServer ? "first-server" : o.plans ? "plans" : "all-servers",
              ...(o.plans ? { plan_ids: o.plans.split(",") } : {}),
              duration_months: Number(o.months),
              ...(o.expires ? { expires_at: o.expires } : {}),
              ...(o.max ? { max_redemptions: Number(o.max) } : {}),
            },
          }),
        ) as Row;
        print<Row>(flags(cmd).output, row, [
          { header: "code", value: (r) => r["code"] },
          { header: "kind", value: (r) => r["kind"] },
          { header: "value", value: (r) => r["value"] },
          { header: "scope", value: (r) => r["scope"] },
          { header: "months", value: (r) => r["duration_months"] },
        ]);
      },
    );
  codes.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = (unwrap(await api.GET("/codes")) as { items: Row[] }).items;
    print<Row>(flags(cmd).output, rows, [
      { header: "code", value: (r) => r["code"] },
      { header: "kind", value: (r) => r["kind"] },
      { header: "value", value: (r) => r["value"] },
      { header: "scope", value: (r) => r["scope"] },
      { header: "months", value: (r) => r["duration_months"] },
      {
        header: "used",
        value: (r) =>
          `${Number(r["redemptions"])}${typeof r["max_redemptions"] === "number" ? `/${r["max_redemptions"]}` : ""}`,
      },
      { header: "expires", value: (r) => r["expires_at"] },
    ]);
  });
  codes
    .command("redeem <code>")
    .option("--plan <id>", "the plan you intend to use it with")
    .action(async (code: string, o: { plan?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const result: Row = unwrap(
        await api.POST("/codes/redeem", { body: { code, ...(o.plan ? { plan_id: o.plan } : {}) } }),
      );
      if (flags(cmd).output === "json") return print<Row>("json", result, []);
      cliIo().stdout.write(`Redeemed ${String(result["code"])}.\n`);
    });
}
