import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { CliError } from "../errors.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { col, flags, money } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";
import { all } from "./lookup.js";

const RECEIVED_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  { header: "partner", value: (r) => (r["peer"] as Row)["name"] },
  { header: "peer state", value: (r) => (r["peer"] as Row)["state"] },
  col("version", "version"),
  col("currency", "currency"),
  {
    header: "sites",
    value: (r) =>
      (r["sites"] as Row[]).map((s) => `${String(s["name"])} (${String(s["country_code"])})`).join(", "),
  },
  { header: "plans", value: (r) => (r["plans"] as Row[]).length },
  { header: "on sale", value: (r) => (r["on_sale"] ? "yes" : "no") },
];

const markupText = (m: unknown): string => {
  const markup = m as Row | null;
  if (!markup) return "none";
  if (markup["kind"] === "percent") {
    const bp = Number(markup["basis_points"]);
    return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, "0")} %`;
  }
  return `+${money(markup["hourly_minor"], markup["currency"])}/h, +${money(markup["monthly_cap_minor"], markup["currency"])}/month`;
};

/** The plans of a received offer: wholesale, markup and retail side by side. */
function offerPlanRows(offer: Row): Row[] {
  return (offer["plans"] as Row[]).map((p) => ({ ...p, currency: offer["currency"] }));
}

const OFFER_PLAN_COLUMNS: Column<Row>[] = [
  col("plan", "id"),
  col("name", "name"),
  { header: "wholesale/h", value: (r) => money(r["wholesale_hourly_minor"], r["currency"]) },
  { header: "wholesale cap", value: (r) => money(r["wholesale_monthly_cap_minor"], r["currency"]) },
  { header: "markup", value: (r) => markupText(r["markup"]) },
  {
    header: "retail/h",
    value: (r) =>
      r["retail_hourly_minor"] === null
        ? String(r["problem"])
        : money(r["retail_hourly_minor"], r["currency"]),
  },
  {
    header: "retail cap",
    value: (r) =>
      r["retail_monthly_cap_minor"] === null ? "" : money(r["retail_monthly_cap_minor"], r["currency"]),
  },
];

const MADE_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("peer", "peer_id"),
  col("version", "current_version"),
  col("pushed", "pushed_version"),
  col("pushed at", "pushed_at"),
  col("push error", "push_error"),
  { header: "currency", value: (r) => (r["offer"] as Row)["currency"] },
  { header: "sites", value: (r) => ((r["offer"] as Row)["sites"] as Row[]).map((s) => s["id"]).join(", ") },
];

/** `12.5` → 1250 basis points, read as a decimal string: no float ever holds the figure. */
export function basisPointsOf(percent: string): number {
  const match = /^(\d{1,5})(?:\.(\d{1,2}))?$/.exec(percent.trim());
  if (!match)
    throw new CliError(
      `--percent takes a number with at most two decimals, e.g. 25 or 12.5; got "${percent}".`,
    );
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** `plan_id:hourly:cap` in minor units, as --plan takes it. */
function planOf(
  value: string,
  previous: { plan_id: string; hourly_price_minor: number; monthly_cap_minor: number }[] = [],
) {
  const match = /^([a-z]+_[0-9a-z]+):(\d+):(\d+)$/.exec(value);
  if (!match)
    throw new CliError(
      `--plan takes <plan-id>:<hourly minor units>:<monthly cap minor units>, e.g. plan_…:1200:600000; got "${value}".`,
    );
  return [
    ...previous,
    { plan_id: match[1]!, hourly_price_minor: Number(match[2]), monthly_cap_minor: Number(match[3]) },
  ];
}

const repeatable = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(",").filter(Boolean),
];

/** `layerboom federation offers …` and `layerboom federation markup` (docs/federation.md, "Offers"). */
export function registerOfferCommands(fed: Command): void {
  const offers = fed
    .command("offers")
    .description("Offers: received from peers (listed), or made to a peer (define, push, made)")
    .action(async (_o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api.GET("/federation/offers", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], RECEIVED_COLUMNS);
    });

  offers
    .command("show <offer-id>")
    .description("An offer received: its plans at wholesale, markup and retail prices")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const offer = unwrap(await api.GET("/federation/offers/{id}", { params: { path: { id } } })) as Row;
      if (flags(cmd).output === "json") print("json", offer, []);
      else print(flags(cmd).output, offerPlanRows(offer), OFFER_PLAN_COLUMNS);
    });

  offers
    .command("pull <peer-id>")
    .description("Pull a peer's current offer (a signed request)")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const offer = unwrap(await api.POST("/federation/peers/{id}/offer/pull", { params: { path: { id } } }));
      print(flags(cmd).output, offer as Row, RECEIVED_COLUMNS);
    });

  offers
    .command("define <peer-id>")
    .description("Make a new version of the offer to a peer, signed, and push it")
    .requiredOption("--currency <code>", "the currency of the wholesale prices, e.g. CAD")
    .requiredOption("--site <ids>", "a site to offer, repeatable or comma-separated", repeatable)
    .requiredOption(
      "--plan <plan:hourly:cap>",
      "a plan and its wholesale prices in minor units, repeatable",
      planOf,
    )
    .option("--max-servers <n>", "at most this many of the peer's servers at once", (v) =>
      Number.parseInt(v, 10),
    )
    .action(
      async (
        id: string,
        opts: {
          currency: string;
          site: string[];
          plan: { plan_id: string; hourly_price_minor: number; monthly_cap_minor: number }[];
          maxServers?: number;
        },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const made = unwrap(
          await api.POST("/federation/peers/{id}/offer", {
            params: { path: { id } },
            body: {
              currency: opts.currency,
              site_ids: opts.site,
              plans: opts.plan,
              ...(opts.maxServers !== undefined ? { max_servers: opts.maxServers } : {}),
            },
          }),
        );
        print(flags(cmd).output, made as Row, MADE_COLUMNS);
      },
    );

  offers
    .command("made <peer-id>")
    .description("The offer made to a peer, in its current version, and its last push")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const made = unwrap(await api.GET("/federation/peers/{id}/offer", { params: { path: { id } } }));
      print(flags(cmd).output, made as Row, MADE_COLUMNS);
    });

  offers
    .command("push <peer-id>")
    .description("Push the current version of the offer to the peer again")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const made = unwrap(await api.POST("/federation/peers/{id}/offer/push", { params: { path: { id } } }));
      print(flags(cmd).output, made as Row, MADE_COLUMNS);
    });

  fed
    .command("markup <offer-id>")
    .description(
      "Set the markup on an offer received (or one of its plans): --percent, or --hourly and --monthly",
    )
    .option("--plan <plan-id>", "one of the offer's plans; without it, the whole offer")
    .option("--percent <percent>", "a percentage, up to two decimals (12.5)")
    .option("--hourly <minor>", "a fixed amount per hour, in the offer currency's minor units", (v) =>
      Number.parseInt(v, 10),
    )
    .option("--monthly <minor>", "a fixed amount per month, in minor units", (v) => Number.parseInt(v, 10))
    .option("--remove", "remove the markup instead")
    .action(
      async (
        id: string,
        opts: { plan?: string; percent?: string; hourly?: number; monthly?: number; remove?: boolean },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const planId = opts.plan !== undefined ? { plan_id: opts.plan } : {};
        const offer = opts.remove
          ? unwrap(
              await api.DELETE("/federation/offers/{id}/markup", { params: { path: { id }, query: planId } }),
            )
          : unwrap(
              await api.PUT("/federation/offers/{id}/markup", {
                params: { path: { id } },
                body: {
                  ...planId,
                  ...(opts.percent !== undefined ? { basis_points: basisPointsOf(opts.percent) } : {}),
                  ...(opts.hourly !== undefined ? { hourly_minor: opts.hourly } : {}),
                  ...(opts.monthly !== undefined ? { monthly_cap_minor: opts.monthly } : {}),
                },
              }),
            );
        if (flags(cmd).output === "json") print("json", offer as Row, []);
        else print(flags(cmd).output, offerPlanRows(offer as Row), OFFER_PLAN_COLUMNS);
      },
    );
}
