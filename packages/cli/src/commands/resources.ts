import {
  DESIRED_STATES,
  POWER_ACTIONS,
  SCOPE_GROUPS,
  SERVER_OBSERVED_STATES,
  isTokenScope,
} from "@layerboom/core";
import type { DesiredState, ServerObservedState } from "@layerboom/core";
import { Option } from "commander";
import type { Command } from "commander";
import { connect, expectOk, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { CliError } from "../errors.js";
import { registerConsoleCommand } from "./console.js";
import { all, resolveByName, siteIdOf } from "./lookup.js";
import { registerPoolCommands, registerServerNetworkingCommands } from "./networking.js";
import { print } from "../output.js";
import { readStdinLine } from "../read-stdin.js";
import type { Column } from "../output.js";

type Row = Record<string, unknown>;

const col = <T extends Row>(header: string, key: keyof T & string): Column<T> => ({
  header,
  value: (r) => r[key],
});

function flags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals<GlobalFlags>();
}

function money(minor: unknown, currency: unknown): string {
  const n = Number(minor);
  return `${(n / 100).toFixed(2)} ${String(currency)}`;
}

const ACCOUNT_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("kind", "kind"),
  col("name", "name"),
  col("slug", "slug"),
  col("parent", "parent_id"),
];
const USER_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("email", "email"),
  col("role", "role"),
  col("account", "account_id"),
  col("disabled", "disabled_at"),
];
const TOKEN_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  { header: "scopes", value: (r) => (Array.isArray(r["scopes"]) ? r["scopes"].join(",") : "") },
  col("created", "created_at"),
  col("expires", "expires_at"),
  col("revoked", "revoked_at"),
];
const SITE_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("country", "country_code"),
  col("region", "region_code"),
  col("jurisdiction", "jurisdiction"),
  col("time zone", "time_zone"),
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
const IMAGE_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("visibility", "visibility"),
  col("os", "os"),
  col("format", "format"),
  col("status", "status"),
];
const BACKUP_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("kind", "kind"),
  col("state", "state"),
  { header: "size", value: (r) => (typeof r["size_bytes"] === "number" ? `${r["size_bytes"]} B` : "") },
  col("requested", "requested_at"),
  col("completed", "completed_at"),
  col("error", "error"),
];
const KEY_COLUMNS: Column<Row>[] = [col("id", "id"), col("name", "name"), col("fingerprint", "fingerprint")];
export const SERVER_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("desired", "desired_state"),
  col("observed", "observed_state"),
  col("site", "site_id"),
  col("host", "host_id"),
  { header: "backups", value: (r) => (r["backups_enabled"] ? "on" : "off") },
  {
    header: "ssh",
    value: (r) => {
      const addresses =
        (r["addresses"] as { kind: string; address: string; port?: number }[] | undefined) ?? [];
      // A public server answers SSH on its primary address (listed first); a private one on a forwarded port.
      const ssh = addresses.find((a) => a.kind === "ipv4") ?? addresses.find((a) => a.kind === "ssh-forward");
      if (!ssh) return "";
      return ssh.port ? `${ssh.address}:${ssh.port}` : ssh.address;
    },
  },
  {
    header: "ipv4",
    value: (r) =>
      ((r["addresses"] as { kind: string; address: string }[] | undefined) ?? [])
        .filter((a) => a.kind === "ipv4")
        .map((a) => a.address)
        .join(","),
  },
];

export function registerResourceCommands(program: Command): void {
  const accounts = program.command("accounts").description("Reseller and customer accounts in your subtree");
  accounts
    .command("list")
    .option("--kind <kind>", "provider, reseller or customer")
    .action(async (opts: { kind?: "provider" | "reseller" | "customer" }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api.GET("/accounts", { params: { query: { kind: opts.kind, cursor, limit: 200 } } }).then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], ACCOUNT_COLUMNS);
    });
  accounts
    .command("create <name>")
    .requiredOption("--kind <kind>", "reseller or customer")
    .option("--parent <id>", "parent account (default: yours)")
    .option("--slug <slug>", "short name used in URLs")
    .action(
      async (
        name: string,
        opts: { kind: "reseller" | "customer"; parent?: string; slug?: string },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const row = unwrap(
          await api.POST("/accounts", {
            body: { kind: opts.kind, name, parent_id: opts.parent, slug: opts.slug },
          }),
        );
        print(flags(cmd).output, row as Row, ACCOUNT_COLUMNS);
      },
    );
  accounts.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/accounts/{id}", { params: { path: { id } } })) as Row,
      ACCOUNT_COLUMNS,
    );
  });

  const users = program.command("users").description("Users of your account and the accounts below it");
  users
    .command("list")
    .option("--account <id>")
    .action(async (opts: { account?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api
          .GET("/users", { params: { query: { account_id: opts.account, cursor, limit: 200 } } })
          .then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], USER_COLUMNS);
    });
  users
    .command("create <email>")
    .requiredOption("--role <role>", "provider-admin, reseller-admin, customer-admin or customer-member")
    .option("--account <id>", "the user's account (default: yours)")
    .option("--name <name>")
    .option("--password-stdin", "read the new user's password from standard input")
    .action(
      async (
        email: string,
        opts: {
          role: "provider-admin" | "reseller-admin" | "customer-admin" | "customer-member";
          account?: string;
          name?: string;
          passwordStdin?: boolean;
        },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const password = opts.passwordStdin ? await readStdinLine() : undefined;
        const row = unwrap(
          await api.POST("/users", {
            body: { email, role: opts.role, account_id: opts.account, name: opts.name, password },
          }),
        );
        print(flags(cmd).output, row as Row, USER_COLUMNS);
      },
    );
  users.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/users/{id}", { params: { path: { id } } })) as Row,
      USER_COLUMNS,
    );
  });

  const tokens = program.command("tokens").description("Your API tokens");
  tokens.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/tokens", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], TOKEN_COLUMNS);
  });
  tokens
    .command("create <name>")
    .option("--expires-at <time>", "RFC 3339 time after which the token stops working")
    .option(
      "--scope <scopes>",
      `what the token may do, repeatable or comma-separated (default full): full, read, or a group ` +
        `alone (read and change) or as <group>:read. Groups: ${SCOPE_GROUPS.join(", ")}`,
      (value: string, previous: string[] = []) => [...previous, ...value.split(",").filter(Boolean)],
    )
    .addHelpText(
      "after",
      "\nExamples:\n  layerboom tokens create monitoring --scope read\n" +
        "  layerboom tokens create deploy --scope servers,ssh-keys,images:read\n",
    )
    .action(async (name: string, opts: { expiresAt?: string; scope?: string[] }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const unknown = (opts.scope ?? []).filter((s) => !isTokenScope(s));
      if (unknown.length > 0)
        throw new CliError(
          `Unknown scope ${unknown.join(", ")}: use full, read, <group> or <group>:read, with a group among ${SCOPE_GROUPS.join(", ")}.`,
        );
      const scopes = opts.scope?.filter(isTokenScope);
      const row = unwrap(
        await api.POST("/tokens", {
          body: { name, expires_at: opts.expiresAt, ...(scopes?.length ? { scopes } : {}) },
        }),
      );
      print(flags(cmd).output, row as Row, [
        ...TOKEN_COLUMNS.slice(0, 3),
        col("token (shown once)", "token"),
      ]);
    });
  tokens.command("revoke <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.DELETE("/tokens/{id}", { params: { path: { id } } })) as Row,
      TOKEN_COLUMNS,
    );
  });

  const sites = program.command("sites").description("Data-centre sites");
  sites.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/sites", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], SITE_COLUMNS);
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

  const keys = program.command("ssh-keys").description("SSH public keys for new servers");
  keys.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/ssh-keys", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], KEY_COLUMNS);
  });
  keys
    .command("add <name> <public-key-file>")
    .description("Add a public key from a file (e.g. ~/.ssh/id_ed25519.pub), or - for standard input")
    .action(async (name: string, file: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const { readFile } = await import("node:fs/promises");
      const publicKey = file === "-" ? await readStdinLine() : (await readFile(file, "utf8")).trim();
      print(
        flags(cmd).output,
        unwrap(await api.POST("/ssh-keys", { body: { name, public_key: publicKey } })) as Row,
        KEY_COLUMNS,
      );
    });
  keys.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/ssh-keys/{id}", { params: { path: { id } } })) as Row,
      KEY_COLUMNS,
    );
  });
  keys.command("delete <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    expectOk(await api.DELETE("/ssh-keys/{id}", { params: { path: { id } } }));
    cliIo().stdout.write(`deleted ${id}\n`);
  });

  const images = program.command("images").description("Images servers boot from");
  images
    .command("list")
    .option("--name <name>")
    .action(async (opts: { name?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api.GET("/images", { params: { query: { name: opts.name, cursor, limit: 200 } } }).then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], IMAGE_COLUMNS);
    });
  images.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/images/{id}", { params: { path: { id } } })) as Row,
      IMAGE_COLUMNS,
    );
  });

  const servers = program.command("servers").description("Virtual private servers");
  servers
    .command("list")
    .option("--site <id>")
    .addOption(new Option("--state <desired>", "desired state").choices(DESIRED_STATES))
    .addOption(new Option("--observed <state>", "observed state").choices(SERVER_OBSERVED_STATES))
    .action(
      async (opts: { site?: string; state?: DesiredState; observed?: ServerObservedState }, cmd: Command) => {
        const api = await connect(flags(cmd));
        const rows = await all((cursor) =>
          api
            .GET("/servers", {
              params: {
                query: {
                  site_id: opts.site,
                  desired_state: opts.state,
                  observed_state: opts.observed,
                  cursor,
                  limit: 200,
                },
              },
            })
            .then(unwrap),
        );
        print(flags(cmd).output, rows as Row[], SERVER_COLUMNS);
      },
    );
  servers
    .command("create <name>")
    .requiredOption("--plan <name-or-id>")
    .requiredOption("--image <name-or-id>")
    .option(
      "--site <name-or-id>",
      "site (default: the only site, if there is one); `auto` lets Layerboom pick the cheapest, cleanest site that offers energy-aware placement",
    )
    .option("--ssh-key <id...>", "SSH key ids to install")
    .option("--account <id>", "customer account (for reseller and provider admins)")
    .option(
      "--extra-ipv4 <n>",
      "public IPv4 addresses besides the primary one, 0 to 16 (a site with an IPv4 pool; a paid add-on)",
      Number,
    )
    .action(
      async (
        name: string,
        o: {
          plan: string;
          image: string;
          site?: string;
          sshKey?: string[];
          account?: string;
          extraIpv4?: number;
        },
        cmd: Command,
      ) => {
        if (
          o.extraIpv4 !== undefined &&
          (!Number.isInteger(o.extraIpv4) || o.extraIpv4 < 0 || o.extraIpv4 > 16)
        )
          throw new CliError("--extra-ipv4 takes a whole number from 0 to 16.");
        const api = await connect(flags(cmd));
        const siteList = () =>
          all((cursor) => api.GET("/sites", { params: { query: { cursor, limit: 200 } } }).then(unwrap));
        let siteId: string | undefined;
        // `--site auto`: the controller picks the cheapest, cleanest site that offers it.
        if (o.site === "auto") siteId = undefined;
        else if (o.site) siteId = await resolveByName("site", o.site, siteList);
        else {
          const found = await siteList();
          if (found.length !== 1 || !found[0])
            throw new CliError("Several sites exist; choose one with --site.", "See `layerboom sites list`.");
          siteId = found[0].id;
        }
        const planId = await resolveByName("plan", o.plan, () =>
          all((cursor) => api.GET("/plans", { params: { query: { cursor, limit: 200 } } }).then(unwrap)),
        );
        const imageId = await resolveByName("image", o.image, () =>
          all((cursor) =>
            api.GET("/images", { params: { query: { name: o.image, cursor, limit: 200 } } }).then(unwrap),
          ),
        );
        const body = {
          name,
          site_id: siteId,
          plan_id: planId,
          image_id: imageId,
          ssh_key_ids: o.sshKey,
          account_id: o.account,
          ...(o.extraIpv4 !== undefined ? { extra_ipv4: o.extraIpv4 } : {}),
        };
        print(flags(cmd).output, unwrap(await api.POST("/servers", { body })) as Row, SERVER_COLUMNS);
      },
    );
  servers.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/servers/{id}", { params: { path: { id } } })) as Row,
      SERVER_COLUMNS,
    );
  });
  for (const action of POWER_ACTIONS) {
    servers.command(`${action} <id>`).action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const path = `/servers/{id}/${action}` as const;
      print(
        flags(cmd).output,
        unwrap(await api.POST(path, { params: { path: { id } } })) as Row,
        SERVER_COLUMNS,
      );
    });
  }
  servers.command("delete <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.DELETE("/servers/{id}", { params: { path: { id } } })) as Row,
      SERVER_COLUMNS,
    );
  });
  servers
    .command("update <id>")
    .description("Change a server's add-ons")
    .requiredOption(
      "--backups <on|off>",
      "daily backups, a paid add-on (a percentage of the server's charge)",
    )
    .action(async (id: string, o: { backups: string }, cmd: Command) => {
      if (o.backups !== "on" && o.backups !== "off")
        throw new CliError(`--backups takes on or off, not "${o.backups}".`);
      const api = await connect(flags(cmd));
      print(
        flags(cmd).output,
        unwrap(
          await api.PUT("/servers/{id}/backups-enabled", {
            params: { path: { id } },
            body: { enabled: o.backups === "on" },
          }),
        ) as Row,
        SERVER_COLUMNS,
      );
    });
  const backups = servers.command("backups").description("Backups of a server's disk");
  backups.command("list <server-id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const list = unwrap(await api.GET("/servers/{id}/backups", { params: { path: { id } } }));
    print(flags(cmd).output, list.items as Row[], BACKUP_COLUMNS);
  });
  backups
    .command("create <server-id>")
    .description("Take a backup now")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      print(
        flags(cmd).output,
        unwrap(await api.POST("/servers/{id}/backups", { params: { path: { id } } })) as Row,
        BACKUP_COLUMNS,
      );
    });
  backups
    .command("restore <server-id> <backup-id>")
    .description("Replace the server's disk with the backup; the server reboots from it")
    .action(async (id: string, backupId: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      print(
        flags(cmd).output,
        unwrap(
          await api.POST("/servers/{id}/restore", {
            params: { path: { id } },
            body: { backup_id: backupId },
          }),
        ) as Row,
        SERVER_COLUMNS,
      );
    });
  backups
    .command("delete <server-id> <backup-id>")
    .action(async (id: string, backupId: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      print(
        flags(cmd).output,
        unwrap(
          await api.DELETE("/servers/{id}/backups/{backup_id}", {
            params: { path: { id, backup_id: backupId } },
          }),
        ) as Row,
        BACKUP_COLUMNS,
      );
    });
  registerServerNetworkingCommands(servers);
  registerConsoleCommand(servers);
}
