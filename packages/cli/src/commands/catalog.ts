import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { CliError } from "../errors.js";
import { all, resolveByName, siteIdOf } from "./lookup.js";
import { registerPoolCommands } from "./networking.js";
import { print } from "../output.js";
import type { Column } from "../output.js";

import { col, flags, money } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";

const SITE_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("country", "country_code"),
  col("region", "region_code"),
  col("jurisdiction", "jurisdiction"),
  col("time zone", "time_zone"),
];

const PARTNER_SITE_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  { header: "operated by", value: (r) => `partner ${String(r["operated_by"])}` },
  col("country", "country_code"),
  col("jurisdiction", "jurisdiction"),
  {
    header: "plans (hourly)",
    value: (r) =>
      (r["plans"] as Row[])
        .map((p) => `${String(p["name"])} ${money(p["hourly_price_minor"], p["currency"])}`)
        .join(", "),
  },
];

const PLAN_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("vcpus", "vcpus"),
  { header: "memory", value: (r) => `${String(r["memory_mib"])} MiB` },
  { header: "disk", value: (r) => `${String(r["disk_gib"])} GiB` },
  { header: "hourly", value: (r) => money(r["hourly_price_minor"], r["currency"]) },
  { header: "monthly cap", value: (r) => money(r["monthly_cap_minor"], r["currency"]) },
  { header: "transfer", value: (r) => `${String(r["transfer_gib"])} GiB` },
  { header: "extra ipv4/month", value: (r) => money(r["extra_ipv4_monthly_minor"], r["currency"]) },
  { header: "overage/GiB", value: (r) => money(r["transfer_overage_minor_per_gib"], r["currency"]) },
];

/** Sites, plans and IPv4 pools (the provider's catalogue). */
export function registerCatalogCommands(program: Command): void {
  const sites = program.command("sites").description("Data-centre sites");
  sites.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/sites", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], SITE_COLUMNS);
  });
  sites
    .command("partners")
    .description("Sites operated by federation partners, at this provider's prices")
    .option("--country <code>", "only sites in this country")
    .action(async (opts: { country?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api
          .GET("/partner-sites", {
            params: {
              query: { cursor, limit: 200, ...(opts.country ? { country_code: opts.country } : {}) },
            },
          })
          .then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], PARTNER_SITE_COLUMNS);
    });
  sites
    .command("create <name>")
    .requiredOption("--country <code>", "ISO 3166 country code, e.g. CA")
    .requiredOption("--time-zone <zone>", "IANA time zone, e.g. America/Toronto")
    .option("--region <code>", "region code, e.g. ON")
    .option("--jurisdiction <tag>", "data-residency tag, e.g. CA")
    .action(
      async (
        name: string,
        opts: { country: string; timeZone: string; region?: string; jurisdiction?: string },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const body = {
          name,
          country_code: opts.country,
          time_zone: opts.timeZone,
          region_code: opts.region,
          jurisdiction: opts.jurisdiction,
        };
        print(flags(cmd).output, unwrap(await api.POST("/sites", { body })) as Row, SITE_COLUMNS);
      },
    );
  sites.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/sites/{id}", { params: { path: { id } } })) as Row,
      SITE_COLUMNS,
    );
  });
  registerPoolCommands(sites, siteIdOf);

  const plans = program.command("plans").description("Plans and prices");
  plans.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/plans", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], PLAN_COLUMNS);
  });
  plans
    .command("create <name>")
    .requiredOption("--vcpus <n>", "virtual CPUs", Number)
    .requiredOption("--memory-mib <n>", "memory in MiB", Number)
    .requiredOption("--disk-gib <n>", "disk in GiB", Number)
    .option("--transfer-gib <n>", "monthly transfer in GiB", Number, 1000)
    .requiredOption("--hourly <minor>", "hourly price in minor units (cents)", Number)
    .requiredOption("--monthly-cap <minor>", "monthly cap in minor units (cents)", Number)
    .option("--currency <code>", "ISO 4217 currency", "CAD")
    .option("--extra-ipv4-monthly <minor>", "one extra IPv4 address for a month, in minor units", Number)
    .option(
      "--transfer-overage-per-gib <minor>",
      "each GiB sent beyond the allowance, in minor units",
      Number,
    )
    .action(
      async (
        name: string,
        o: {
          vcpus: number;
          memoryMib: number;
          diskGib: number;
          transferGib: number;
          hourly: number;
          monthlyCap: number;
          currency: string;
          extraIpv4Monthly?: number;
          transferOveragePerGib?: number;
        },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const body = {
          name,
          vcpus: o.vcpus,
          memory_mib: o.memoryMib,
          disk_gib: o.diskGib,
          transfer_gib: o.transferGib,
          hourly_price_minor: o.hourly,
          monthly_cap_minor: o.monthlyCap,
          currency: o.currency,
          ...(o.extraIpv4Monthly !== undefined ? { extra_ipv4_monthly_minor: o.extraIpv4Monthly } : {}),
          ...(o.transferOveragePerGib !== undefined
            ? { transfer_overage_minor_per_gib: o.transferOveragePerGib }
            : {}),
        };
        print(flags(cmd).output, unwrap(await api.POST("/plans", { body })) as Row, PLAN_COLUMNS);
      },
    );
  plans.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/plans/{id}", { params: { path: { id } } })) as Row,
      PLAN_COLUMNS,
    );
  });
  plans
    .command("update <name-or-id>")
    .description("Change a plan's prices, or retire it (provider admins)")
    .option("--hourly <minor>", "hourly price in minor units (cents)", Number)
    .option("--monthly-cap <minor>", "monthly cap in minor units (cents)", Number)
    .option("--backups-percent <n>", "backups add-on, a percentage of the server's charge", Number)
    .option("--extra-ipv4-monthly <minor>", "one extra IPv4 address for a month, in minor units", Number)
    .option(
      "--transfer-overage-per-gib <minor>",
      "each GiB sent beyond the allowance, in minor units",
      Number,
    )
    .option("--active <yes|no>", "on sale for new servers")
    .action(
      async (
        value: string,
        o: {
          hourly?: number;
          monthlyCap?: number;
          backupsPercent?: number;
          extraIpv4Monthly?: number;
          transferOveragePerGib?: number;
          active?: string;
        },
        cmd: Command,
      ) => {
        if (o.active !== undefined && o.active !== "yes" && o.active !== "no")
          throw new CliError(`--active takes yes or no, not "${o.active}".`);
        const body = {
          ...(o.hourly !== undefined ? { hourly_price_minor: o.hourly } : {}),
          ...(o.monthlyCap !== undefined ? { monthly_cap_minor: o.monthlyCap } : {}),
          ...(o.backupsPercent !== undefined ? { backups_price_percent: o.backupsPercent } : {}),
          ...(o.extraIpv4Monthly !== undefined ? { extra_ipv4_monthly_minor: o.extraIpv4Monthly } : {}),
          ...(o.transferOveragePerGib !== undefined
            ? { transfer_overage_minor_per_gib: o.transferOveragePerGib }
            : {}),
          ...(o.active !== undefined ? { active: o.active === "yes" } : {}),
        };
        if (Object.keys(body).length === 0)
          throw new CliError("Nothing to change.", "See `layerboom plans update --help`.");
        const api = await connect(flags(cmd));
        const id = await resolveByName("plan", value, () =>
          all((cursor) => api.GET("/plans", { params: { query: { cursor, limit: 200 } } }).then(unwrap)),
        );
        print(
          flags(cmd).output,
          unwrap(await api.PATCH("/plans/{id}", { params: { path: { id } }, body })) as Row,
          PLAN_COLUMNS,
        );
      },
    );
}
