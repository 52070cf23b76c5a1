import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { cliIo } from "../cli-io.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { col, flags, money } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";

const gapsText = (gaps: unknown): string =>
  (gaps as { from: number; to: number }[])
    .map((g) => (g.from === g.to ? `${g.from}` : `${g.from}-${g.to}`))
    .join(", ") || "none";

const USAGE_COLUMNS: Column<Row>[] = [
  { header: "records held", value: (r) => (r["received"] as Row)["records"] },
  { header: "acked through", value: (r) => (r["received"] as Row)["acked_through"] },
  { header: "highest seq", value: (r) => (r["received"] as Row)["highest_seq"] },
  { header: "gaps", value: (r) => gapsText((r["received"] as Row)["gaps"]) },
  { header: "refused", value: (r) => (r["received"] as Row)["flagged"] },
  { header: "last received", value: (r) => (r["received"] as Row)["last_received_at"] ?? "" },
  { header: "made for it", value: (r) => (r["made"] as Row | null)?.["last_seq"] ?? "" },
  { header: "it acked", value: (r) => (r["made"] as Row | null)?.["acked_through"] ?? "" },
  { header: "push error", value: (r) => (r["made"] as Row | null)?.["push_error"] ?? "" },
];

/**
 * `layerboom federation usage|reconcile` (docs/federation.md, "Usage and settlement"): the usage
 * records held from a peer, and a partner's invoice checked against them.
 */
export function registerUsageCommands(fed: Command): void {
  fed
    .command("usage <peer-id>")
    .description("Usage records held from a peer (acknowledged, gaps, refused) and made for it")
    .option("--pull", "first ask the peer again for the records after the last contiguous one held")
    .option(
      "--push",
      "first make the records of the hours closed so far and push them (the peer's servers run here)",
    )
    .action(async (id: string, o: { pull?: boolean; push?: boolean }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const params = { params: { path: { id } } };
      if (o.push) unwrap(await api.POST("/federation/peers/{id}/usage/push", { ...params, body: {} }));
      const status = o.pull
        ? unwrap(await api.POST("/federation/peers/{id}/usage/pull", params))
        : unwrap(await api.GET("/federation/peers/{id}/usage", params));
      print(flags(cmd).output, status as Row, USAGE_COLUMNS);
    });

  fed
    .command("reconcile <peer-id>")
    .description("Compare a partner's invoice for a month with the usage records held, per server")
    .requiredOption("--month <YYYY-MM>", "the month of the partner's invoice")
    .action(async (id: string, o: { month: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const report = unwrap(
        await api.GET("/federation/peers/{id}/reconciliation", {
          params: { path: { id }, query: { month: o.month } },
        }),
      ) as Row;
      const format = flags(cmd).output;
      if (format === "json") return print("json", report, []);
      const currency = report["currency"] ?? "";
      const invoice = report["invoice"] as Row | null;
      const { stdout } = cliIo();
      stdout.write(
        invoice
          ? `Invoice ${String(invoice["number"])} of ${String(report["month"])}: ${money(invoice["total_minor"], currency)}\n`
          : `No invoice for ${String(report["month"])}: ${String(report["invoice_error"])}\n`,
      );
      print(format, report["servers"] as Row[], [
        col("server there", "remote_server_id"),
        col("server here", "local_server_id"),
        {
          header: "invoiced",
          value: (r) => (r["invoiced_minor"] === null ? "" : money(r["invoiced_minor"], currency)),
        },
        {
          header: "records",
          value: (r) => `${String(r["records"])} = ${money(r["records_minor"], currency)}`,
        },
        { header: "difference", value: (r) => money(r["difference_minor"], currency) },
        col("status", "status"),
      ]);
      const totals = report["totals"] as Row;
      stdout.write(
        `Total invoiced ${money(totals["invoiced_minor"], currency)}, records ${money(totals["records_minor"], currency)}, difference ${money(totals["difference_minor"], currency)}; ${String(report["differences"])} difference(s), ${(report["flagged_records"] as unknown[]).length} refused record(s), gaps: ${gapsText(report["gaps"])}\n`,
      );
    });
}
