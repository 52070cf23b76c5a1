import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { CliError } from "../errors.js";
import { print } from "../output.js";
import type { Column } from "../output.js";

// Public networking (docs/networking.md): a site's IPv4 pools for the provider, and a
// server's extra addresses and transfer for its customer.

type Row = Record<string, unknown>;

function flags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals<GlobalFlags>();
}

const GIB = 2 ** 30;

/** Bytes as GiB with one decimal, the unit transfer allowances are sold in. */
export function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}

const POOL_COLUMNS: Column<Row>[] = [
  { header: "id", value: (r) => r["id"] },
  { header: "cidr", value: (r) => r["cidr"] },
  { header: "gateway", value: (r) => r["gateway"] },
  { header: "range", value: (r) => `${String(r["first_address"])}-${String(r["last_address"])}` },
  { header: "bridge", value: (r) => r["bridge"] },
  { header: "nameservers", value: (r) => r["nameservers"] },
  { header: "in use", value: (r) => `${String(r["in_use"])}/${String(r["size"])}` },
];

interface Ipv4Row {
  address: string;
  role?: string;
  prefix?: number;
  gateway?: string;
}

const ADDRESS_COLUMNS: Column<Ipv4Row>[] = [
  { header: "address", value: (r) => (r.prefix !== undefined ? `${r.address}/${r.prefix}` : r.address) },
  { header: "role", value: (r) => r.role },
  { header: "gateway", value: (r) => r.gateway },
];

const IPV4_PATTERN = /^\d{1,3}(\.\d{1,3}){3}$/;

function checkIpv4(value: string, flag: string): string {
  if (!IPV4_PATTERN.test(value)) throw new CliError(`${flag} takes an IPv4 address, not "${value}".`);
  return value;
}

/** `layerboom sites pools …`: a site's IPv4 pools (provider admins). */
export function registerPoolCommands(
  sites: Command,
  resolveSite: (api: Awaited<ReturnType<typeof connect>>, value: string) => Promise<string>,
): void {
  const pools = sites
    .command("pools")
    .description("A site's public IPv4 pools (provider admins; docs/networking.md)");
  pools.command("list <site>").action(async (site: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const id = await resolveSite(api, site);
    const list = unwrap(await api.GET("/sites/{id}/ip-pools", { params: { path: { id } } }));
    print(flags(cmd).output, list.items as Row[], POOL_COLUMNS);
  });
  pools
    .command("add <site>")
    .description("Give a site a range of public IPv4 addresses, carried on a bridge of its hosts")
    .requiredOption("--cidr <network>", "the network, e.g. 203.0.113.0/24")
    .requiredOption("--gateway <address>", "the network's gateway, e.g. 203.0.113.1")
    .requiredOption("--bridge <name>", "the Linux bridge carrying it on every host of the site")
    .option("--first <address>", "the first address handed out (default: the network's first host)")
    .option("--last <address>", "the last address handed out (default: the network's last host)")
    .option("--nameserver <address...>", "DNS resolvers for the guests (up to 4)")
    .action(
      async (
        site: string,
        o: {
          cidr: string;
          gateway: string;
          bridge: string;
          first?: string;
          last?: string;
          nameserver?: string[];
        },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const id = await resolveSite(api, site);
        const body = {
          cidr: o.cidr,
          gateway: checkIpv4(o.gateway, "--gateway"),
          bridge: o.bridge,
          ...(o.first ? { first_address: checkIpv4(o.first, "--first") } : {}),
          ...(o.last ? { last_address: checkIpv4(o.last, "--last") } : {}),
          ...(o.nameserver ? { nameservers: o.nameserver.map((n) => checkIpv4(n, "--nameserver")) } : {}),
        };
        const pool = unwrap(await api.POST("/sites/{id}/ip-pools", { params: { path: { id } }, body }));
        print(flags(cmd).output, pool as Row, POOL_COLUMNS);
      },
    );
  pools
    .command("remove <pool-id>")
    .description("Remove a pool none of whose addresses is held")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const pool = unwrap(await api.DELETE("/ip-pools/{id}", { params: { path: { id } } }));
      if (flags(cmd).output === "json") print("json", pool as Row, POOL_COLUMNS);
      else cliIo().stdout.write(`removed ${pool.id} (${pool.cidr})\n`);
    });
}

/** `layerboom servers ipv4 …` and `layerboom servers transfer`. */
export function registerServerNetworkingCommands(servers: Command): void {
  const ipv4 = servers.command("ipv4").description("A server's public IPv4 addresses (docs/networking.md)");
  ipv4.command("list <server-id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const server = unwrap(await api.GET("/servers/{id}", { params: { path: { id } } }));
    const rows = server.addresses.filter((a) => a.kind === "ipv4");
    // The server's record has no gateway; an add or a release answers with it.
    print(flags(cmd).output, rows, ADDRESS_COLUMNS.slice(0, 2));
  });
  ipv4
    .command("add <server-id>")
    .description("Give the server one more public IPv4 address (a paid add-on, billed by the hour)")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const change = unwrap(await api.POST("/servers/{id}/ipv4", { params: { path: { id } } }));
      printChange(flags(cmd), `added ${change.address}`, change);
    });
  ipv4
    .command("release <server-id> <address>")
    .description("Give an extra address back; billing for it stops now (the primary address stays)")
    .action(async (id: string, address: string, _o: unknown, cmd: Command) => {
      checkIpv4(address, "The address");
      const api = await connect(flags(cmd));
      const change = unwrap(
        await api.DELETE("/servers/{id}/ipv4/{address}", { params: { path: { id, address } } }),
      );
      printChange(flags(cmd), `released ${address}`, change);
    });

  servers
    .command("transfer <server-id>")
    .description("What the server sent and received in a month, against its plan's allowance")
    .option("--month <YYYY-MM>", "the month (default: this month, in the billing time zone)")
    .option("--days", "one line per day")
    .action(async (id: string, o: { month?: string; days?: boolean }, cmd: Command) => {
      if (o.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month))
        throw new CliError(`--month takes YYYY-MM, not "${o.month}".`);
      const api = await connect(flags(cmd));
      const t = unwrap(
        await api.GET("/servers/{id}/transfer", {
          params: { path: { id }, query: o.month ? { month: o.month } : {} },
        }),
      );
      const format = flags(cmd).output;
      if (format === "json") {
        print("json", t as unknown as Row, []);
        return;
      }
      if (o.days) {
        print(format, t.days, [
          { header: "date", value: (d) => d.date },
          { header: "sent", value: (d) => gib(d.out_bytes) },
          { header: "received", value: (d) => gib(d.in_bytes) },
        ]);
        return;
      }
      const over = Math.max(0, t.out_bytes - t.allowance_bytes);
      print(format, t as unknown as Row, [
        { header: "server", value: () => t.server_id },
        { header: "month", value: () => t.month },
        { header: "sent", value: () => gib(t.out_bytes) },
        { header: "received", value: () => `${gib(t.in_bytes)} (free)` },
        { header: "allowance", value: () => gib(t.allowance_bytes) },
        { header: "over", value: () => (over > 0 ? gib(over) : "-") },
      ]);
    });
}

function printChange(
  f: GlobalFlags,
  what: string,
  change: { addresses: Ipv4Row[]; applies_on_reboot: boolean },
): void {
  if (f.output === "json") {
    print("json", change as unknown as Row, []);
    return;
  }
  cliIo().stdout.write(`${what}\n`);
  print(f.output, change.addresses, ADDRESS_COLUMNS);
  if (change.applies_on_reboot)
    cliIo().stdout.write(
      "The guest configures the changed addresses at its next boot (reboot it to apply now).\n",
    );
}
