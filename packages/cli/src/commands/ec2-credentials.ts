import { SCOPE_GROUPS, isTokenScope } from "@layerboom/core";
import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { CliError } from "../errors.js";
import { all } from "./lookup.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { col, flags } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";

const KEY_COLUMNS: Column<Row>[] = [
  col("access key id", "id"),
  col("name", "name"),
  { header: "scopes", value: (r) => (Array.isArray(r["scopes"]) ? r["scopes"].join(",") : "") },
  col("created", "created_at"),
  col("last used", "last_used_at"),
  col("revoked", "revoked_at"),
];

/** `layerboom ec2-credentials`: the access keys awscli and the AWS SDKs sign with (docs/ec2.md). */
export function registerEc2CredentialCommands(program: Command): void {
  const keys = program
    .command("ec2-credentials")
    .description("Access keys for the EC2 API at /ec2 (awscli, the AWS SDKs)");
  keys.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/ec2-credentials", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], KEY_COLUMNS);
  });
  keys
    .command("create [name]")
    .option(
      "--scope <scopes>",
      `what the key may do, repeatable or comma-separated (default full), as for API tokens. Groups: ${SCOPE_GROUPS.join(", ")}`,
      (value: string, previous: string[] = []) => [...previous, ...value.split(",").filter(Boolean)],
    )
    .addHelpText(
      "after",
      "\nThe secret is printed once. Then:\n" +
        "  aws configure set aws_access_key_id AKIA…\n" +
        "  aws configure set aws_secret_access_key …\n" +
        "  aws --endpoint-url <controller>/ec2 --region <region> ec2 describe-instances\n",
    )
    .action(async (name: string | undefined, opts: { scope?: string[] }, cmd: Command) => {
      const unknown = (opts.scope ?? []).filter((s) => !isTokenScope(s));
      if (unknown.length > 0)
        throw new CliError(
          `Unknown scope ${unknown.join(", ")}: use full, read, <group> or <group>:read, with a group among ${SCOPE_GROUPS.join(", ")}.`,
        );
      const scopes = opts.scope?.filter(isTokenScope);
      const api = await connect(flags(cmd));
      const row = unwrap(
        await api.POST("/ec2-credentials", {
          body: { name: name ?? "ec2", ...(scopes?.length ? { scopes } : {}) },
        }),
      );
      print(flags(cmd).output, row as Row, [
        ...KEY_COLUMNS.slice(0, 3),
        col("secret access key (shown once)", "secret_access_key"),
      ]);
    });
  keys.command("revoke <access-key-id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.DELETE("/ec2-credentials/{id}", { params: { path: { id } } })) as Row,
      KEY_COLUMNS,
    );
  });
}
