import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { CliError } from "../errors.js";
import { print, renderTable } from "../output.js";
import { siteIdOf } from "./lookup.js";
import type { Column } from "../output.js";

type Row = Record<string, unknown>;

interface Priced {
  from: string;
  to: string;
  estimated: boolean;
  energy_uj: string;
  cost: { currency: string; amount_minor: number; micro_minor: string } | null;
  unpriced_reason?: string;
  carbon_mg: string | null;
  no_carbon_reason?: string;
  power: { watts: number } | null;
  hours: Row[];
}

/** µJ (a decimal string) as watt-hours with three decimals. */
export function wattHours(uj: unknown): string {
  if (typeof uj !== "string") return "-";
  return (Number(BigInt(uj) / 1000n) / 3_600_000).toFixed(3);
}

/** Micro-minor units (a decimal string) as major units of the currency, with six decimals. */
function money(microMinor: unknown, currency: string): string {
  if (typeof microMinor !== "string") return "-";
  return `${(Number(microMinor) / 1e8).toFixed(6)} ${currency}`;
}

function grams(mg: unknown): string {
  return typeof mg === "string" ? (Number(mg) / 1000).toFixed(3) : "-";
}

function summary(subject: string, report: Priced): string {
  const cost = report.cost
    ? `${(report.cost.amount_minor / 100).toFixed(2)} ${report.cost.currency}`
    : `not priced (${report.unpriced_reason ?? "no tariff"})`;
  const carbon =
    report.carbon_mg !== null
      ? `${grams(report.carbon_mg)} g CO2e`
      : `unknown (${report.no_carbon_reason ?? "no data"})`;
  return [
    `${subject}, ${report.from} to ${report.to}${report.estimated ? " (estimated: modelled host power)" : ""}`,
    `  energy  ${wattHours(report.energy_uj)} Wh`,
    `  cost    ${cost}`,
    `  carbon  ${carbon}`,
    `  power   ${report.power ? `${report.power.watts.toFixed(1)} W now` : "no recent sample"}`,
  ].join("\n");
}

export function registerEnergyCommands(program: Command): void {
  const flags = (cmd: Command) => cmd.optsWithGlobals<GlobalFlags>();
  const energy = program
    .command("energy")
    .description("Electricity of servers, hosts and sites: energy, cost and carbon");

  energy
    .command("report")
    .description("Energy, cost and carbon of a server (or, for providers, a host or site), by hour")
    .option("--server <id>")
    .option("--host <id>", "provider admins")
    .option("--site <name-or-id>", "provider admins")
    .option("--from <time>", "ISO 8601; default 24 hours before --to")
    .option("--to <time>", "ISO 8601; default now")
    .action(
      async (
        o: { server?: string; host?: string; site?: string; from?: string; to?: string },
        cmd: Command,
      ) => {
        const chosen = [o.server, o.host, o.site].filter((x) => x !== undefined);
        if (chosen.length !== 1) throw new CliError("give exactly one of --server, --host or --site");
        const api = await connect(flags(cmd));
        const query = { from: o.from, to: o.to };
        const report = (o.server
          ? unwrap(await api.GET("/servers/{id}/energy", { params: { path: { id: o.server }, query } }))
          : o.host
            ? unwrap(await api.GET("/hosts/{id}/energy", { params: { path: { id: o.host }, query } }))
            : unwrap(
                await api.GET("/sites/{id}/energy", {
                  params: { path: { id: await siteIdOf(api, o.site!) }, query },
                }),
              )) as unknown as Priced;
        if (flags(cmd).output === "json") {
          cliIo().stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const currency = report.cost?.currency ?? "";
        const columns: Column<Row>[] = [
          { header: "hour (UTC)", value: (r) => r["start"] },
          { header: "energy Wh", value: (r) => wattHours(r["energy_uj"]) },
          ...(o.server
            ? [{ header: "active Wh", value: (r: Row) => wattHours(r["active_energy_uj"]) }]
            : [{ header: "unallocated Wh", value: (r: Row) => wattHours(r["unallocated_uj"]) }]),
          { header: "cost", value: (r) => money(r["cost_micro_minor"], currency) },
          { header: "carbon g", value: (r) => grams(r["carbon_mg"]) },
        ];
        const subject = o.server ? `server ${o.server}` : o.host ? `host ${o.host}` : `site ${o.site!}`;
        cliIo().stdout.write(`${summary(subject, report)}\n\n`);
        cliIo().stdout.write(
          report.hours.length === 0
            ? "(no energy recorded in this period)\n"
            : `${renderTable(report.hours, columns)}\n`,
        );
      },
    );

  const site = energy
    .command("site")
    .description("A site's PUE, tariff and carbon intensity (provider admins)");
  const SETTINGS: Column<Row>[] = [
    { header: "site", value: (r) => r["site_id"] },
    { header: "time zone", value: (r) => r["time_zone"] },
    { header: "pue", value: (r) => r["pue"] },
    { header: "tariff", value: (r) => (r["tariff"] as Row | null)?.["kind"] ?? "none" },
    { header: "currency", value: (r) => r["currency"] },
    { header: "carbon", value: (r) => r["carbon"] ?? "none" },
    { header: "price hours", value: (r) => (r["price_series"] as Row)["hours"] },
    { header: "energy-aware placement", value: (r) => r["energy_aware_placement"] },
  ];

  site.command("show <site>").action(async (name: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const id = await siteIdOf(api, name);
    print(
      flags(cmd).output,
      unwrap(await api.GET("/sites/{id}/energy-settings", { params: { path: { id } } })) as Row,
      SETTINGS,
    );
  });

  site
    .command("set <site>")
    .option("--pue <decimal>", "power usage effectiveness, >= 1 (e.g. 1.35)")
    .option("--ontario-tou <years>", "Ontario's TOU schedule for these years, e.g. 2026-2027")
    .option("--hourly-prices <currency>", "price from an hourly series imported with `energy site prices`")
    .option("--carbon <g-per-kwh>", "an annual carbon intensity in gCO2e/kWh")
    .option("--energy-aware-placement <on|off>")
    .action(
      async (
        name: string,
        o: {
          pue?: string;
          ontarioTou?: string;
          hourlyPrices?: string;
          carbon?: string;
          energyAwarePlacement?: string;
        },
        cmd: Command,
      ) => {
        const body: Record<string, unknown> = {};
        if (o.pue !== undefined) body["pue"] = o.pue;
        if (o.ontarioTou !== undefined) {
          const m = /^(\d{4})(?:-(\d{4}))?$/.exec(o.ontarioTou);
          if (!m)
            throw new CliError(`--ontario-tou wants years like 2026 or 2026-2027, not "${o.ontarioTou}"`);
          body["tariff"] = { kind: "ontario-tou", from_year: Number(m[1]), to_year: Number(m[2] ?? m[1]) };
        }
        if (o.hourlyPrices !== undefined) body["tariff"] = { kind: "hourly", currency: o.hourlyPrices };
        if (o.carbon !== undefined) {
          const g = Number(o.carbon);
          if (!Number.isFinite(g) || g < 0)
            throw new CliError(`--carbon must be gCO2e/kWh >= 0, not "${o.carbon}"`);
          body["carbon"] = { kind: "annual", g_per_kwh: g };
        }
        if (o.energyAwarePlacement !== undefined) {
          if (!["on", "off"].includes(o.energyAwarePlacement))
            throw new CliError("--energy-aware-placement is on or off");
          body["energy_aware_placement"] = o.energyAwarePlacement === "on";
        }
        const api = await connect(flags(cmd));
        const id = await siteIdOf(api, name);
        print(
          flags(cmd).output,
          unwrap(
            await api.PATCH("/sites/{id}/energy-settings", {
              params: { path: { id } },
              body: body as never,
            }),
          ) as Row,
          SETTINGS,
        );
      },
    );

  site
    .command("prices <site> <csv-file>")
    .description("Import an hourly price CSV (IESO style: date, hour ending, $/MWh); all or nothing")
    .option(
      "--zone <iana-zone>",
      "zone the file is written in; IESO files are Etc/GMT+5 (default: the site's)",
    )
    .action(async (name: string, file: string, o: { zone?: string }, cmd: Command) => {
      const csv = await readFile(file, "utf8");
      const api = await connect(flags(cmd));
      const id = await siteIdOf(api, name);
      const result = unwrap(
        await api.PUT("/sites/{id}/energy-prices", {
          params: { path: { id }, query: { zone: o.zone } },
          body: csv,
          bodySerializer: (text: string) => text,
          headers: { "content-type": "text/csv" },
        }),
      );
      print<Row>(flags(cmd).output, result, [
        { header: "hours", value: (r) => r["hours"] },
        { header: "first", value: (r) => r["first"] },
        { header: "last", value: (r) => r["last"] },
      ]);
    });
}
