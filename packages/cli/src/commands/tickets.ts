import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { print } from "../output.js";
import { readStdinText } from "../read-stdin.js";
import type { Column } from "../output.js";
import { all } from "./lookup.js";

type Row = Record<string, unknown>;

const TICKET_COLUMNS: Column<Row>[] = [
  { header: "id", value: (r) => r["id"] },
  { header: "status", value: (r) => r["status"] },
  { header: "subject", value: (r) => r["subject"] },
  { header: "account", value: (r) => r["account_id"] },
  { header: "server", value: (r) => r["server_id"] },
  { header: "updated", value: (r) => r["updated_at"] },
];

function flags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals<GlobalFlags>();
}

/** A message given on the command line, or `-` for standard input (for longer text). */
async function messageText(value: string): Promise<string> {
  return value === "-" ? readStdinText() : value;
}

/** Prints a ticket and, for people, its conversation below it. */
function printTicket(format: GlobalFlags["output"], ticket: Row): void {
  print(format, ticket, TICKET_COLUMNS);
  if (format === "json") return;
  for (const m of (ticket["messages"] as Row[] | undefined) ?? []) {
    cliIo().stdout.write(`\n--- ${String(m["side"])} ${String(m["created_at"])}\n${String(m["body"])}\n`);
  }
}

export function registerTicketCommands(program: Command): void {
  const tickets = program.command("tickets").description("Support tickets");

  tickets
    .command("list")
    .description("Your tickets, or those your account handles")
    .option("--status <status>", "open, pending or closed")
    .action(async (o: { status?: "open" | "pending" | "closed" }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api.GET("/tickets", { params: { query: { status: o.status, cursor, limit: 200 } } }).then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], TICKET_COLUMNS);
    });

  tickets.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    printTicket(flags(cmd).output, unwrap(await api.GET("/tickets/{id}", { params: { path: { id } } })));
  });

  tickets
    .command("open <subject>")
    .description("Open a ticket with your account's support")
    .requiredOption("-m, --message <text>", "what is wrong (- reads standard input)")
    .option("--server <id>", "the server it is about")
    .action(async (subject: string, o: { message: string; server?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const body = await messageText(o.message);
      const ticket = unwrap(
        await api.POST("/tickets", {
          body: { subject, body, ...(o.server ? { server_id: o.server } : {}) },
        }),
      ) as Row;
      printTicket(flags(cmd).output, ticket);
    });

  tickets
    .command("reply <id> <message>")
    .description("Reply to a ticket (- reads the message from standard input)")
    .action(async (id: string, message: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const body = await messageText(message);
      const ticket = unwrap(
        await api.POST("/tickets/{id}/messages", { params: { path: { id } }, body: { body } }),
      ) as Row;
      printTicket(flags(cmd).output, ticket);
    });

  tickets.command("close <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const ticket = unwrap(
      await api.PATCH("/tickets/{id}", { params: { path: { id } }, body: { status: "closed" } }),
    ) as Row;
    print(flags(cmd).output, ticket, TICKET_COLUMNS);
  });
}
