import type { LayerboomClient } from "@layerboom/client";
import type { PowerAction } from "@layerboom/core";
import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { CliError } from "../errors.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { col, flags, money } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";
import { all, resolveByName } from "./lookup.js";

// Servers at federation partners' sites (docs/federation.md, "Remote servers"): `servers create
// --site <partner site>` makes one, and the `servers` commands that take an id route `rsv_…` ids here.

export const REMOTE_SERVER_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("desired", "desired_state"),
  col("state", "state"),
  { header: "operated by", value: (r) => `partner ${String(r["operated_by"])}` },
  col("site", "site_id"),
  { header: "hourly", value: (r) => money(r["hourly_price_minor"], r["currency"]) },
  {
    header: "ipv4",
    value: (r) =>
      ((r["addresses"] as { kind: string; address: string }[] | undefined) ?? [])
        .filter((a) => a.kind === "ipv4")
        .map((a) => a.address)
        .join(","),
  },
  col("last seen", "last_seen_at"),
];

/** A server at a partner's site has an `rsv_` id. */
export function isRemoteServerId(id: string): boolean {
  return id.startsWith("rsv_");
}

/** The partner site named by id or name, or undefined when it is none of the partners' sites. */
export async function findPartnerSite(api: LayerboomClient, site: string) {
  const sites = await all((cursor) =>
    api.GET("/partner-sites", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
  );
  const matches = sites.filter((s) => s.id === site || s.name === site);
  if (matches.length > 1)
    throw new CliError(
      `Several partner sites are named "${site}"; give its id.`,
      "See `layerboom sites partners`.",
    );
  return matches[0];
}

/** Creates a server at a partner site: its plan is one of that site's, by name or id. */
export async function createAtPartnerSite(
  api: LayerboomClient,
  output: GlobalFlags["output"],
  site: NonNullable<Awaited<ReturnType<typeof findPartnerSite>>>,
  input: {
    name: string;
    plan: string;
    imageId: string;
    sshKeyIds?: string[];
    account?: string;
    userData?: string;
  },
): Promise<void> {
  const planId = await resolveByName("plan", input.plan, async () => site.plans);
  const body = {
    name: input.name,
    site_id: site.id,
    plan_id: planId,
    image_id: input.imageId,
    ...(input.sshKeyIds ? { ssh_key_ids: input.sshKeyIds } : {}),
    ...(input.account ? { account_id: input.account } : {}),
    ...(input.userData !== undefined ? { user_data: input.userData } : {}),
  };
  print(output, unwrap(await api.POST("/remote-servers", { body })) as Row, REMOTE_SERVER_COLUMNS);
}

/** `servers show|stop|start|reboot|delete rsv_…`. */
export async function remoteServerCommand(
  cmd: Command,
  id: string,
  what: "show" | "delete" | PowerAction,
): Promise<void> {
  const api = await connect(flags(cmd));
  const params = { params: { path: { id } } };
  const result =
    what === "show"
      ? await api.GET("/remote-servers/{id}", params)
      : what === "delete"
        ? await api.DELETE("/remote-servers/{id}", params)
        : await api.POST("/remote-servers/{id}/actions", { ...params, body: { action: what } });
  print(flags(cmd).output, unwrap(result) as Row, REMOTE_SERVER_COLUMNS);
}

/** `remote-servers list`. */
export function registerRemoteServerCommands(program: Command): void {
  const remote = program.command("remote-servers").description("Servers at federation partners' sites");
  remote.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/remote-servers", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], REMOTE_SERVER_COLUMNS);
  });
}
