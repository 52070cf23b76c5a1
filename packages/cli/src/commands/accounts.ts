import { SCOPE_GROUPS, isTokenScope } from "@layerboom/core";
import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { CliError } from "../errors.js";
import { all } from "./lookup.js";
import { print } from "../output.js";
import { readStdinLine } from "../read-stdin.js";
import type { Column } from "../output.js";

import { col, flags } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";

const ACCOUNT_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("kind", "kind"),
  col("name", "name"),
  col("slug", "slug"),
  col("parent", "parent_id"),
  {
    header: "jurisdictions",
    value: (r) => (Array.isArray(r["required_jurisdictions"]) ? r["required_jurisdictions"].join(",") : ""),
  },
];

/** ISO 3166 codes, as the flag is repeated or comma-separated. */
const jurisdictionCodes = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(",").filter(Boolean),
];
const REQUIRE_JURISDICTION_HELP =
  "data residency: its servers may only run at sites in these ISO 3166 codes (CA, CA-QC), repeatable or comma-separated";

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

/** Accounts, users and API tokens. */
export function registerAccountCommands(program: Command): void {
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
    .option("--require-jurisdiction <codes>", REQUIRE_JURISDICTION_HELP, jurisdictionCodes)
    .action(
      async (
        name: string,
        opts: {
          kind: "reseller" | "customer";
          parent?: string;
          slug?: string;
          requireJurisdiction?: string[];
        },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const row = unwrap(
          await api.POST("/accounts", {
            body: {
              kind: opts.kind,
              name,
              parent_id: opts.parent,
              slug: opts.slug,
              required_jurisdictions: opts.requireJurisdiction,
            },
          }),
        );
        print(flags(cmd).output, row as Row, ACCOUNT_COLUMNS);
      },
    );
  accounts
    .command("update <id>")
    .description(
      "Rename an account or change its required jurisdictions (an admin above it: any change; its own admin: tighten only)",
    )
    .option("--name <name>")
    .option("--require-jurisdiction <codes>", REQUIRE_JURISDICTION_HELP, jurisdictionCodes)
    .option("--no-jurisdiction-requirement", "remove the requirement (admins above the account)")
    .action(
      async (
        id: string,
        opts: { name?: string; requireJurisdiction?: string[]; jurisdictionRequirement: boolean },
        cmd: Command,
      ) => {
        if (opts.requireJurisdiction && !opts.jurisdictionRequirement)
          throw new CliError("Give --require-jurisdiction or --no-jurisdiction-requirement, not both.");
        const required = opts.jurisdictionRequirement ? opts.requireJurisdiction : [];
        const api = await connect(flags(cmd));
        const row = unwrap(
          await api.PATCH("/accounts/{id}", {
            params: { path: { id } },
            body: { name: opts.name, required_jurisdictions: required },
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
}
