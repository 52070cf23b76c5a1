import { readFile } from "node:fs/promises";
import { DESIRED_STATES, POWER_ACTIONS, SERVER_OBSERVED_STATES } from "@layerboom/core";
import type { DesiredState, ServerObservedState } from "@layerboom/core";
import { Option } from "commander";
import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { CliError } from "../errors.js";
import { cliIo } from "../cli-io.js";
import { registerConsoleCommand } from "./console.js";
import { follow } from "./image-jobs.js";
import type { Job } from "./image-jobs.js";
import { all, resolveByName } from "./lookup.js";
import { registerServerNetworkingCommands } from "./networking.js";
import {
  createAtPartnerSite,
  findPartnerSite,
  isRemoteServerId,
  remoteServerCommand,
} from "./remote-servers.js";
import { print } from "../output.js";
import type { Column } from "../output.js";

import { col, flags } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";

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

const BACKUP_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("kind", "kind"),
  col("state", "state"),
  { header: "size", value: (r) => (typeof r["size_bytes"] === "number" ? `${r["size_bytes"]} B` : "") },
  col("requested", "requested_at"),
  col("completed", "completed_at"),
  col("error", "error"),
];

/** Servers: create, list, power actions, backups, networking and the console. */
export function registerServerCommands(program: Command): void {
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
    .option(
      "--user-data <file>",
      "user-data for cloud-init (a #cloud-config document or a #! script), at most 16 KiB",
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
          userData?: string;
        },
        cmd: Command,
      ) => {
        if (
          o.extraIpv4 !== undefined &&
          (!Number.isInteger(o.extraIpv4) || o.extraIpv4 < 0 || o.extraIpv4 > 16)
        )
          throw new CliError("--extra-ipv4 takes a whole number from 0 to 16.");
        const userData = o.userData === undefined ? undefined : await readUserData(o.userData);
        const api = await connect(flags(cmd));
        // A partner's site (GET /partner-sites): the server is made there, through this provider.
        const partnerSite = o.site && o.site !== "auto" ? await findPartnerSite(api, o.site) : undefined;
        if (partnerSite) {
          if (o.extraIpv4) throw new CliError("--extra-ipv4 is not offered at partners' sites.");
          const image = await resolveByName("image", o.image, () =>
            all((cursor) =>
              api.GET("/images", { params: { query: { name: o.image, cursor, limit: 200 } } }).then(unwrap),
            ),
          );
          return createAtPartnerSite(api, flags(cmd).output, partnerSite, {
            name,
            plan: o.plan,
            imageId: image,
            ...(o.sshKey ? { sshKeyIds: o.sshKey } : {}),
            ...(o.account ? { account: o.account } : {}),
            ...(userData !== undefined ? { userData } : {}),
          });
        }
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
          ...(userData !== undefined ? { user_data: userData } : {}),
        };
        print(flags(cmd).output, unwrap(await api.POST("/servers", { body })) as Row, SERVER_COLUMNS);
      },
    );
  servers.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    if (isRemoteServerId(id)) return remoteServerCommand(cmd, id, "show");
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/servers/{id}", { params: { path: { id } } })) as Row,
      SERVER_COLUMNS,
    );
  });
  for (const action of POWER_ACTIONS) {
    servers.command(`${action} <id>`).action(async (id: string, _o: unknown, cmd: Command) => {
      if (isRemoteServerId(id)) return remoteServerCommand(cmd, id, action);
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
    if (isRemoteServerId(id)) return remoteServerCommand(cmd, id, "delete");
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
  servers
    .command("image <server>")
    .description(
      "Capture the server's disk into a private image of its account, generalised for reuse (a stopped server as it is, a running one live)",
    )
    .requiredOption("--name <name>", "the new image's name")
    .option("--description <text>", "a description, kept with the image")
    .option("--no-wait", "print the job and return at once")
    .action(
      async (server: string, o: { name: string; description?: string; wait: boolean }, cmd: Command) => {
        const json = flags(cmd).output === "json";
        const api = await connect(flags(cmd));
        const id = await resolveByName("server", server, () =>
          all((cursor) =>
            api.GET("/servers", { params: { query: { name: server, cursor, limit: 200 } } }).then(unwrap),
          ),
        );
        let job = unwrap(
          await api.POST("/servers/{id}/image", {
            params: { path: { id } },
            body: { name: o.name, ...(o.description ? { description: o.description } : {}) },
          }),
        ) as Job;
        if (o.wait) job = await follow(api, job.id, !json);
        const { stdout } = cliIo();
        if (json) stdout.write(`${JSON.stringify(job, null, 2)}\n`);
        else if (job.state === "succeeded") {
          const result = (job as Job & { result?: { method?: string; generalized?: boolean } }).result;
          stdout.write(
            `Captured ${o.name} as image ${job.image_id ?? ""} (job ${job.id}, copied with ${result?.method ?? "?"}, ${
              result?.generalized ? "generalised" : "not generalised"
            }).\n`,
          );
        } else if (job.state !== "failed")
          stdout.write(`Job ${job.id} is ${job.state}; follow it with \`layerboom images job ${job.id}\`.\n`);
        if (job.state === "failed")
          throw new CliError(`Capture failed (${job.error?.check ?? "?"}): ${job.error?.message ?? ""}`);
      },
    );

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

/** EC2's limit on user-data, and ours (docs/ec2.md). */
const MAX_USER_DATA_BYTES = 16 * 1024;

/** Reads `--user-data <file>` as UTF-8 text, refusing what the API would refuse. */
async function readUserData(file: string): Promise<string> {
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`Cannot read the user-data file ${file}: ${err.code ?? err.message}.`);
  });
  if (bytes.length > MAX_USER_DATA_BYTES)
    throw new CliError(
      `The user-data file ${file} is ${bytes.length} bytes; at most ${MAX_USER_DATA_BYTES}.`,
    );
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes))
    throw new CliError(`The user-data file ${file} is not UTF-8 text.`);
  return text;
}
