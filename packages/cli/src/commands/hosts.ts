import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { resolveConnection } from "../config.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { siteIdOf } from "./lookup.js";

type Row = Record<string, unknown>;

const HOST_COLUMNS: Column<Row>[] = [
  { header: "id", value: (r) => r["id"] },
  { header: "name", value: (r) => r["name"] },
  { header: "site", value: (r) => r["site_id"] },
  { header: "state", value: (r) => r["state"] },
  { header: "accel", value: (r) => r["accelerator"] },
  { header: "vcpus used", value: (r) => `${String(r["used_vcpus"])}/${String(r["cpu_cores"])}` },
  { header: "memory used", value: (r) => `${String(r["used_memory_mib"])}/${String(r["memory_mib"])} MiB` },
  { header: "disk used", value: (r) => `${String(r["used_disk_gib"])}/${String(r["disk_gib"])} GiB` },
  { header: "servers", value: (r) => r["server_count"] },
  { header: "orphans", value: (r) => (r["orphans"] as unknown[] | undefined)?.length ?? 0 },
  { header: "last heartbeat", value: (r) => r["last_heartbeat_at"] },
];

export function registerHostCommands(program: Command): void {
  const flags = (cmd: Command) => cmd.optsWithGlobals<GlobalFlags>();
  const hosts = program.command("hosts").description("Hypervisor hosts (provider admins)");

  hosts
    .command("list")
    .option("--site <name-or-id>")
    .action(async (o: { site?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const siteId = o.site === undefined ? undefined : await siteIdOf(api, o.site);
      const page = unwrap(await api.GET("/hosts", { params: { query: { site_id: siteId, limit: 200 } } }));
      print(flags(cmd).output, page.items as Row[], HOST_COLUMNS);
    });

  hosts
    .command("add <name>")
    .description("Add a host and print the one-time command that joins it")
    .requiredOption("--site <name-or-id>", "the site the host is in")
    .action(async (name: string, o: { site: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const added = unwrap(
        await api.POST("/hosts", { body: { name, site_id: await siteIdOf(api, o.site) } }),
      );
      if (flags(cmd).output === "json") {
        cliIo().stdout.write(`${JSON.stringify(added, null, 2)}\n`);
        return;
      }
      const { url } = await resolveConnection(flags(cmd), cliIo().env);
      cliIo().stdout.write(
        [
          `Host ${added.host.id} (${added.host.name}) added; it is pending until its agent connects.`,
          "On the host, as root, run:",
          "",
          `  layerboom agent --join ${added.join_token} ${url ?? "<controller-url>"}`,
          "",
          "The join token is shown only now and works once, within 24 hours.",
          "",
        ].join("\n"),
      );
    });

  hosts.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/hosts/{id}", { params: { path: { id } } })) as Row,
      HOST_COLUMNS,
    );
  });

  hosts
    .command("remove <id>")
    .description("Remove a host that carries no servers; its agent is refused from then on")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      print(
        flags(cmd).output,
        unwrap(await api.DELETE("/hosts/{id}", { params: { path: { id } } })) as Row,
        HOST_COLUMNS,
      );
    });
}
