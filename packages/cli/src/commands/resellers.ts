import type { Command } from "commander";
import { connect, expectOk, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { CliError } from "../errors.js";
import { print } from "../output.js";
import type { Column } from "../output.js";

type Row = Record<string, unknown>;

const cents = (minor: unknown, currency: unknown = "") =>
  typeof minor === "number"
    ? `${(minor / 100).toFixed(2)}${typeof currency === "string" && currency ? ` ${currency}` : ""}`
    : "-";

/** Money on the command line is in major units with up to two decimals (`12.50`); the API takes minor units. */
function minorUnits(text: string, field: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(text)) throw new CliError(`${field} is an amount like 12.50, not ${text}.`);
  const [whole = "0", frac = ""] = text.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

const BRAND_COLUMNS: Column<Row>[] = [
  { header: "name", value: (r) => r["name"] },
  { header: "support email", value: (r) => r["support_email"] },
  { header: "portal domain", value: (r) => r["portal_domain"] },
  { header: "primary", value: (r) => r["primary_color"] },
  { header: "accent", value: (r) => r["accent_color"] },
  {
    header: "logo",
    value: (r) => (typeof r["logo_url"] === "string" ? r["logo_url"].slice(0, 40) : null),
  },
  { header: "default", value: (r) => (r["is_default"] ? "yes" : "") },
];

const DOMAIN_COLUMNS: Column<Row>[] = [
  { header: "domain", value: (r) => r["domain"] },
  { header: "status", value: (r) => r["status"] },
  { header: "method", value: (r) => r["method"] },
  { header: "account", value: (r) => r["account_id"] },
  { header: "last error", value: (r) => r["check_error"] },
  { header: "id", value: (r) => r["id"] },
];

/** What to publish for a pending claim, said once, plainly: the two ways to prove control. */
function printChallenge(claim: Row): void {
  const challenge = claim["challenge"] as { token: string; dns_name: string; http_url: string } | null;
  if (!challenge) return;
  cliIo().stdout.write(
    [
      "",
      `Prove that you control ${String(claim["domain"])} in one of two ways, then run`,
      `  layerboom branding domain verify ${String(claim["id"])} [--http]`,
      "",
      `  DNS:  a TXT record at ${challenge.dns_name}`,
      `        holding ${challenge.token}`,
      `  HTTP: serve ${challenge.http_url}`,
      `        with exactly ${challenge.token} as its body`,
      "",
      `Until then the domain does nothing. The token lapses at ${String(claim["expires_at"])}.`,
      "",
    ].join("\n"),
  );
}

const PRICE_COLUMNS: Column<Row>[] = [
  { header: "plan", value: (r) => r["plan_name"] },
  { header: "wholesale/h", value: (r) => cents(r["wholesale_hourly_minor"]) },
  { header: "wholesale cap", value: (r) => cents(r["wholesale_monthly_cap_minor"]) },
  { header: "retail/h", value: (r) => cents(r["retail_hourly_minor"]) },
  { header: "retail cap", value: (r) => cents(r["retail_monthly_cap_minor"]) },
  { header: "currency", value: (r) => r["currency"] },
  { header: "id", value: (r) => r["plan_id"] },
];

const PARTNER_PRICE_COLUMNS: Column<Row>[] = [
  { header: "partner", value: (r) => r["operated_by"] },
  { header: "plan", value: (r) => r["plan_name"] },
  { header: "cost/h", value: (r) => cents(r["cost_hourly_minor"]) },
  { header: "cost cap", value: (r) => cents(r["cost_monthly_cap_minor"]) },
  { header: "retail/h", value: (r) => cents(r["retail_hourly_minor"]) },
  { header: "retail cap", value: (r) => cents(r["retail_monthly_cap_minor"]) },
  { header: "currency", value: (r) => r["currency"] },
  { header: "offer", value: (r) => r["offer_id"] },
  { header: "plan id", value: (r) => r["plan_id"] },
];

const REVENUE_COLUMNS: Column<Row>[] = [
  { header: "name", value: (r) => r["name"] },
  { header: "invoiced", value: (r) => cents(r["invoiced_minor"], r["currency"]) },
  { header: "paid", value: (r) => cents(r["paid_minor"], r["currency"]) },
];

/** `layerboom branding`, `layerboom prices` and `layerboom billing revenue`. */
export function registerResellerCommands(program: Command): void {
  const flags = (cmd: Command) => cmd.optsWithGlobals<GlobalFlags>();

  const branding = program.command("branding").description("Your brand as a reseller or the provider");
  branding
    .command("show")
    .description("Your brand (--effective: the brand you are served under)")
    .option("--effective", "the brand of the account that serves you")
    .action(async (o: { effective?: boolean }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const brand = o.effective
        ? unwrap(await api.GET("/branding/effective"))
        : unwrap(await api.GET("/branding"));
      print<Row>(flags(cmd).output, brand, BRAND_COLUMNS);
    });
  branding
    .command("set")
    .description("Set your brand; options left out keep their value, an empty value clears it")
    .requiredOption("--name <name>")
    .option("--logo <url>", "https URL, or a small data: URL")
    .option("--primary <#rrggbb>")
    .option("--accent <#rrggbb>")
    .option("--support-email <email>")
    .action(
      async (
        o: {
          name: string;
          logo?: string;
          primary?: string;
          accent?: string;
          supportEmail?: string;
        },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const orNull = (v: string) => (v === "" ? null : v);
        const brand = unwrap(
          await api.PUT("/branding", {
            body: {
              name: o.name,
              ...(o.logo !== undefined ? { logo_url: orNull(o.logo) } : {}),
              ...(o.primary !== undefined ? { primary_color: o.primary } : {}),
              ...(o.accent !== undefined ? { accent_color: o.accent } : {}),
              ...(o.supportEmail !== undefined ? { support_email: orNull(o.supportEmail) } : {}),
            },
          }),
        );
        print<Row>(flags(cmd).output, brand, BRAND_COLUMNS);
      },
    );

  const domain = branding
    .command("domain")
    .description("Your portal domain: claimed, then proven with a DNS record or an HTTP file");
  domain
    .command("list")
    .description("Your claims (the provider: every claim, or --account's)")
    .option("--account <id>")
    .action(async (o: { account?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const query = o.account !== undefined ? { account_id: o.account } : {};
      print<Row>(
        flags(cmd).output,
        unwrap(await api.GET("/branding/domains", { params: { query } })).items,
        DOMAIN_COLUMNS,
      );
    });
  domain
    .command("claim <domain>")
    .description(
      "Claim a portal domain and print what to publish; a provider admin assigns it outright (--account: to a reseller)",
    )
    .option("--account <id>", "provider admins: the reseller to assign it to")
    .action(async (name: string, o: { account?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const claim = unwrap(
        await api.POST("/branding/domains", {
          body: { domain: name, ...(o.account !== undefined ? { account_id: o.account } : {}) },
        }),
      ) as unknown as Row;
      print<Row>(flags(cmd).output, claim, DOMAIN_COLUMNS);
      if (flags(cmd).output === "table") printChallenge(claim);
    });
  domain
    .command("show <id>")
    .description("One claim, with what to publish while it is pending")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const claim = unwrap(
        await api.GET("/branding/domains/{id}", { params: { path: { id } } }),
      ) as unknown as Row;
      print<Row>(flags(cmd).output, claim, DOMAIN_COLUMNS);
      if (flags(cmd).output === "table") printChallenge(claim);
    });
  domain
    .command("verify <id>")
    .description(
      "Check the proof (the DNS TXT record, or --http the file); on success the domain wears your brand",
    )
    .option("--http", "check the HTTP file instead of the DNS record")
    .action(async (id: string, o: { http?: boolean }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const claim = unwrap(
        await api.POST("/branding/domains/{id}/verify", {
          params: { path: { id } },
          body: { method: o.http ? "http" : "dns" },
        }),
      );
      print<Row>(flags(cmd).output, claim, DOMAIN_COLUMNS);
    });
  domain
    .command("release <id>")
    .description("Withdraw a claim, or give up a verified domain (the provider may release any)")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      expectOk(await api.DELETE("/branding/domains/{id}", { params: { path: { id } } }));
      cliIo().stdout.write(`Released ${id}.\n`);
    });

  const prices = program
    .command("prices")
    .description("Price lists: wholesale, and a reseller's retail prices");
  prices.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print<Row>(flags(cmd).output, unwrap(await api.GET("/prices")).items, PRICE_COLUMNS);
  });
  prices
    .command("set <plan_id>")
    .description("Set your retail price for a plan (amounts like 0.02), or --remove to sell it at wholesale")
    .option("--hourly <amount>")
    .option("--cap <amount>", "monthly cap")
    .option("--remove", "go back to the wholesale price")
    .action(async (planId: string, o: { hourly?: string; cap?: string; remove?: boolean }, cmd: Command) => {
      const api = await connect(flags(cmd));
      if (!o.remove && (o.hourly === undefined || o.cap === undefined))
        throw new CliError("Give --hourly and --cap, or --remove.");
      const body = o.remove
        ? { prices: [], remove: [planId] }
        : {
            prices: [
              {
                plan_id: planId,
                hourly_price_minor: minorUnits(o.hourly!, "--hourly"),
                monthly_cap_minor: minorUnits(o.cap!, "--cap"),
              },
            ],
          };
      print<Row>(flags(cmd).output, unwrap(await api.PUT("/prices", { body })).items, PRICE_COLUMNS);
    });
  // Partners' plans (docs/federation.md, "Resale of partner sites"): not sold to a reseller's
  // customers until it prices them; the cost is the provider's retail price.
  prices
    .command("partners")
    .description(
      "Partners' plans: your cost (the provider's price) and your price; unpriced ones are not sold",
    )
    .action(async (_o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      print<Row>(flags(cmd).output, unwrap(await api.GET("/partner-prices")).items, PARTNER_PRICE_COLUMNS);
    });
  prices
    .command("set-partner <offer_id> <plan_id>")
    .description(
      "Sell a partner's plan to your customers at this price (offer's currency), or --remove to stop",
    )
    .option("--hourly <amount>")
    .option("--cap <amount>", "monthly cap")
    .option("--remove", "no longer sell it to your customers")
    .action(
      async (
        offerId: string,
        planId: string,
        o: { hourly?: string; cap?: string; remove?: boolean },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        if (!o.remove && (o.hourly === undefined || o.cap === undefined))
          throw new CliError("Give --hourly and --cap, or --remove.");
        const body = o.remove
          ? { prices: [], remove: [{ offer_id: offerId, plan_id: planId }] }
          : {
              prices: [
                {
                  offer_id: offerId,
                  plan_id: planId,
                  hourly_price_minor: minorUnits(o.hourly!, "--hourly"),
                  monthly_cap_minor: minorUnits(o.cap!, "--cap"),
                },
              ],
            };
        const items = unwrap(await api.PUT("/partner-prices", { body })).items;
        print<Row>(flags(cmd).output, items, PARTNER_PRICE_COLUMNS);
      },
    );

  const billing =
    program.commands.find((c) => c.name() === "billing") ?? program.command("billing").description("Billing");
  billing
    .command("revenue")
    .description(
      "Invoiced and paid amounts of a period: by site, plan and reseller (provider), by plan (reseller)",
    )
    .requiredOption("--period <YYYY-MM>")
    .action(async (o: { period: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const report = unwrap(
        await api.GET("/billing/revenue", { params: { query: { period: o.period } } }),
      ) as unknown as Row;
      if (flags(cmd).output === "json") return print<Row>("json", report, []);
      for (const t of report["totals"] as Row[])
        cliIo().stdout.write(
          `${o.period}: ${String(t["invoices"])} invoices, ${cents(t["invoiced_minor"], t["currency"])} invoiced (tax ${cents(t["tax_minor"])}), ${cents(t["paid_minor"], t["currency"])} paid\n`,
        );
      const section = (title: string, rows: Row[], columns: Column<Row>[]) => {
        if (rows.length === 0) return;
        cliIo().stdout.write(`\n${title}\n`);
        print<Row>("table", rows, columns);
      };
      section("By site (usage lines)", report["by_site"] as Row[], REVENUE_COLUMNS);
      section("By plan (usage lines)", report["by_plan"] as Row[], REVENUE_COLUMNS);
      section("By reseller", report["by_reseller"] as Row[], [
        { header: "name", value: (r) => r["name"] },
        { header: "wholesale", value: (r) => cents(r["wholesale_invoiced_minor"], r["currency"]) },
        { header: "wholesale paid", value: (r) => cents(r["wholesale_paid_minor"]) },
        { header: "retail", value: (r) => cents(r["retail_invoiced_minor"], r["currency"]) },
        { header: "retail paid", value: (r) => cents(r["retail_paid_minor"]) },
      ]);
      const wholesale = report["wholesale"] as Row | null;
      if (wholesale)
        cliIo().stdout.write(
          `\nWholesale invoice ${String(wholesale["number"])}: ${cents(wholesale["total_minor"], wholesale["currency"])}, ${cents(wholesale["paid_minor"])} paid\n`,
        );
    });
}
