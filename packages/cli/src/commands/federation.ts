import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { cliIo } from "../cli-io.js";
import { all } from "./lookup.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { col, flags } from "./command-helpers.js";
import { registerOfferCommands } from "./federation-offers.js";
import { registerUsageCommands } from "./federation-usage.js";
import type { Row } from "./command-helpers.js";

const list = (value: unknown) => (Array.isArray(value) ? value.join(",") : "");

const PROFILE_COLUMNS: Column<Row>[] = [
  col("name", "name"),
  col("url", "url"),
  col("fingerprint", "fingerprint"),
  { header: "jurisdictions", value: (r) => list(r["jurisdictions"]) },
  col("contact", "contact"),
  col("public key", "public_key"),
];

const PEER_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("state", "state"),
  col("url", "url"),
  col("fingerprint", "fingerprint"),
  { header: "jurisdictions", value: (r) => list(r["jurisdictions"]) },
  col("last seen", "last_seen_at"),
];

const INVITATION_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("state", "state"),
  col("note", "note"),
  col("expires", "expires_at"),
  col("redeemed", "redeemed_at"),
];

const repeatable = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(",").filter(Boolean),
];

/** `layerboom federation`: this installation's profile, invitations and peers (docs/federation.md). */
export function registerFederationCommands(program: Command): void {
  const fed = program
    .command("federation")
    .description("Peer with other Layerboom installations: profile, invitations, peers, offers");

  fed
    .command("profile")
    .description("Show this installation's federation profile, or set it with the options")
    .option("--name <name>", "the name peers see")
    // Not --url: that is the program's own option (the controller the CLI talks to), which
    // commander takes wherever it appears.
    .option("--public-url <url>", "the base URL peers reach this controller at")
    .option("--jurisdiction <codes>", "ISO 3166 codes (CA, CA-QC), repeatable or comma-separated", repeatable)
    .option("--contact <contact>", "who peers write to")
    .action(
      async (
        opts: { name?: string; publicUrl?: string; jurisdiction?: string[]; contact?: string },
        cmd: Command,
      ) => {
        const api = await connect(flags(cmd));
        const changes = {
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.publicUrl !== undefined ? { url: opts.publicUrl } : {}),
          ...(opts.jurisdiction !== undefined ? { jurisdictions: opts.jurisdiction } : {}),
          ...(opts.contact !== undefined ? { contact: opts.contact } : {}),
        };
        const profile =
          Object.keys(changes).length === 0
            ? unwrap(await api.GET("/federation/profile"))
            : unwrap(await api.PATCH("/federation/profile", { body: changes }));
        print(flags(cmd).output, profile as Row, PROFILE_COLUMNS);
      },
    );

  fed
    .command("invite")
    .description("Issue a one-time invitation to peer; the token is printed once")
    .option("--note <note>", "a note for your records (who it is for)")
    .option("--expires-hours <hours>", "how long it can be redeemed (default 72)", (v) =>
      Number.parseInt(v, 10),
    )
    .action(async (opts: { note?: string; expiresHours?: number }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const invitation = unwrap(
        await api.POST("/federation/invitations", {
          body: {
            ...(opts.note !== undefined ? { note: opts.note } : {}),
            ...(opts.expiresHours !== undefined ? { expires_in_hours: opts.expiresHours } : {}),
          },
        }),
      );
      print(flags(cmd).output, invitation as Row, [
        ...INVITATION_COLUMNS.slice(0, 4),
        col("token (shown once)", "token"),
      ]);
      if (flags(cmd).output !== "json")
        cliIo().stderr.write(
          "\nThe other provider's admin runs: layerboom federation join <this controller's URL> <token>\n",
        );
    });

  fed.command("invitations").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/federation/invitations", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], INVITATION_COLUMNS);
  });

  fed
    .command("join <url> <token>")
    .description("Redeem another installation's invitation; both sides then approve each other")
    .action(async (url: string, token: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const peer = unwrap(await api.POST("/federation/join", { body: { url, token } })) as Row;
      print(flags(cmd).output, peer, PEER_COLUMNS);
      if (flags(cmd).output !== "json")
        cliIo().stderr.write(
          `\nCompare the fingerprint with ${String(peer["name"])}'s admin, then: layerboom federation approve ${String(peer["id"])} --fingerprint <fingerprint>\n`,
        );
    });

  fed.command("peers").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/federation/peers", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], PEER_COLUMNS);
  });

  fed
    .command("approve <peer-id>")
    .description("Approve a pending (or resume a suspended) peer, confirming its key fingerprint")
    .requiredOption("--fingerprint <fingerprint>", "the peer's fingerprint, as its admin reads it to you")
    .action(async (id: string, opts: { fingerprint: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const peer = unwrap(
        await api.POST("/federation/peers/{id}/approve", {
          params: { path: { id } },
          body: { fingerprint: opts.fingerprint },
        }),
      );
      print(flags(cmd).output, peer as Row, PEER_COLUMNS);
    });

  for (const change of ["suspend", "revoke"] as const) {
    fed
      .command(`${change} <peer-id>`)
      .description(
        change === "suspend"
          ? "Refuse a peer's signed requests until it is approved again"
          : "Refuse a peer's signed requests for good",
      )
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const api = await connect(flags(cmd));
        const path =
          change === "suspend" ? "/federation/peers/{id}/suspend" : "/federation/peers/{id}/revoke";
        print(
          flags(cmd).output,
          unwrap(await api.POST(path, { params: { path: { id } } })) as Row,
          PEER_COLUMNS,
        );
      });
  }

  fed
    .command("check <peer-id>")
    .description("Ask a peer, with a signed request, how it sees this installation")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const result = unwrap(await api.POST("/federation/peers/{id}/check", { params: { path: { id } } }));
      print(flags(cmd).output, { ...result.peer, remote_state: result.remote.state }, [
        ...PEER_COLUMNS.slice(0, 3),
        col("state there", "remote_state"),
        col("fingerprint", "fingerprint"),
      ]);
    });

  registerOfferCommands(fed);
  registerUsageCommands(fed);
}
