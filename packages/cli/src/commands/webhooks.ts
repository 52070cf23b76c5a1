import type { Command } from "commander";
import { connect, expectOk, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { CliError } from "../errors.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { all } from "./lookup.js";

type Row = Record<string, unknown>;

const EVENTS = [
  "server.created",
  "server.suspended",
  "server.unsuspended",
  "server.deleted",
  "invoice.issued",
  "invoice.paid",
] as const;
type EventType = (typeof EVENTS)[number];

const WEBHOOK_COLUMNS: Column<Row>[] = [
  { header: "id", value: (r) => r["id"] },
  { header: "url", value: (r) => r["url"] },
  { header: "events", value: (r) => r["events"] },
  { header: "account", value: (r) => r["account_id"] },
];
const NEW_WEBHOOK_COLUMNS: Column<Row>[] = [
  ...WEBHOOK_COLUMNS,
  { header: "secret", value: (r) => r["secret"] },
];
const DELIVERY_COLUMNS: Column<Row>[] = [
  { header: "id", value: (r) => r["id"] },
  { header: "event", value: (r) => r["event_type"] },
  { header: "state", value: (r) => r["state"] },
  { header: "attempts", value: (r) => r["attempts"] },
  { header: "status", value: (r) => r["last_status"] },
  { header: "next attempt", value: (r) => (r["state"] === "pending" ? r["next_attempt_at"] : null) },
  { header: "error", value: (r) => r["last_error"] },
];

function flags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals<GlobalFlags>();
}

function parseEvents(list: string): EventType[] {
  const events = list
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const unknown = events.filter((e) => !(EVENTS as readonly string[]).includes(e));
  if (unknown.length > 0 || events.length === 0) {
    throw new CliError(
      `Unknown event ${unknown.join(", ") || "(none given)"}.`,
      `Events are ${EVENTS.join(", ")}.`,
    );
  }
  return events as EventType[];
}

export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command("webhooks")
    .description("Signed webhooks to a billing system or CRM (see docs/tickets-and-webhooks.md)");

  webhooks
    .command("add <url>")
    .description("Register an endpoint; its signing secret is printed once")
    .requiredOption("--events <list>", `comma-separated: ${EVENTS.join(",")}`)
    .option("--account <id>", "an account below yours (default: your own)")
    .action(async (url: string, o: { events: string; account?: string }, cmd: Command) => {
      const events = parseEvents(o.events);
      const api = await connect(flags(cmd));
      const hook = unwrap(
        await api.POST("/webhooks", {
          body: { url, events, ...(o.account ? { account_id: o.account } : {}) },
        }),
      ) as Row;
      print(flags(cmd).output, hook, NEW_WEBHOOK_COLUMNS);
      if (flags(cmd).output !== "json") {
        cliIo().stderr.write("Store the secret now: it is not shown again.\n");
      }
    });

  webhooks.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/webhooks", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], WEBHOOK_COLUMNS);
  });

  webhooks.command("remove <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    expectOk(await api.DELETE("/webhooks/{id}", { params: { path: { id } } }));
    cliIo().stdout.write(`removed ${id}\n`);
  });

  webhooks
    .command("deliveries <id>")
    .description("An endpoint's deliveries, newest first")
    .option("--state <state>", "pending, delivered or failed")
    .option("--limit <n>", "how many", "50")
    .action(
      async (id: string, o: { state?: "pending" | "delivered" | "failed"; limit: string }, cmd: Command) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
          throw new CliError(`--limit must be a whole number from 1 to 200, not ${o.limit}.`);
        }
        const api = await connect(flags(cmd));
        const page = unwrap(
          await api.GET("/webhooks/{id}/deliveries", {
            params: { path: { id }, query: { state: o.state, limit } },
          }),
        );
        print(flags(cmd).output, page.items as Row[], DELIVERY_COLUMNS);
      },
    );
}
