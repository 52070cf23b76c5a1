import { requireProviderAdmin } from "@layerboom/core";
import type { ServiceContext } from "../base/context.js";
import type { SecretBox } from "../base/secret-box.js";
import { PeerAnswerError } from "./errors.js";
import { loadSigningIdentity } from "./identity.js";
import type { PeerClient } from "./peer-client.js";
import { getPeer } from "./peers.js";
import { requireMonth } from "./settlement-invoices.js";
import type { SettlementInvoiceView } from "./settlement-invoices.js";
import { usageStatus } from "./usage-records-received.js";

/** One server of the report: B's invoice line beside A's records of it, summed at wholesale. */
export interface ReconciledServer {
  /** B's id for the server (the records' vm_uuid, the invoice line's server). */
  remote_server_id: string;
  /** A's id for it (the records' local_server_id). */
  local_server_id: string | null;
  invoiced_minor: number | null;
  invoiced_records: number | null;
  records_minor: number;
  records: number;
  difference_minor: number;
  status: "match" | "differs" | "not_invoiced" | "no_records";
}

export interface ReconciliationReport {
  peer_id: string;
  month: string;
  currency: string | null;
  invoice: Pick<
    SettlementInvoiceView,
    "number" | "issued_at" | "subtotal_minor" | "tax_minor" | "total_minor"
  > | null;
  /** Why B's invoice could not be read (not issued yet, B unreachable); null when it was. */
  invoice_error: string | null;
  servers: ReconciledServer[];
  totals: { invoiced_minor: number; records_minor: number; difference_minor: number };
  differences: number;
  /** Records refused (a known number with other content, a bad signature): evidence kept. */
  flagged_records: { seq: number | null; reason: string; received_at: Date }[];
  gaps: { from: number; to: number }[];
}

/**
 * A's reconciliation of a peer's month (docs/federation.md, "Usage and settlement"): B's invoice,
 * fetched signed (`GET /federation/v1/invoices?month=`), against the records A holds for that
 * month, per server at wholesale; each difference flagged, with the records refused and the gaps.
 */
export async function reconcile(
  ctx: ServiceContext,
  deps: { secretBox: SecretBox; peers: PeerClient },
  peerId: string,
  monthInput: unknown,
): Promise<ReconciliationReport> {
  const month = requireMonth(monthInput);
  const peer = await getPeer(ctx, peerId);
  requireProviderAdmin(ctx.principal, "reconcile a partner's invoice");
  const { db } = ctx.database;
  let invoice: SettlementInvoiceView | null = null;
  let invoiceError: string | null = null;
  try {
    const { signing } = await loadSigningIdentity(db, deps.secretBox);
    const answer = await deps.peers.signed(
      signing,
      peer.url,
      { method: "GET", path: `/invoices?month=${month}` },
      peer,
    );
    if (answer.status === 200) invoice = (answer.body as { invoice: SettlementInvoiceView }).invoice;
    else {
      const message = (answer.body as { error?: { message?: string } } | undefined)?.error?.message;
      invoiceError = `${answer.status}: ${message ?? "refused"}`;
    }
  } catch (err) {
    if (!(err instanceof PeerAnswerError)) throw err;
    invoiceError = err.message;
  }
  const held = await db
    .selectFrom("federation_usage_records_received")
    .select(["remote_server_id", "local_server_id", "currency"])
    .select((eb) => [
      eb.fn.sum<string>("wholesale_cost_minor").as("minor"),
      eb.fn.countAll<string>().as("records"),
    ])
    .where("peer_id", "=", peer.id)
    .where("period", "=", month)
    .groupBy(["remote_server_id", "local_server_id", "currency"])
    .execute();
  const byServer = new Map<string, ReconciledServer>();
  for (const h of held)
    byServer.set(h.remote_server_id, {
      remote_server_id: h.remote_server_id,
      local_server_id: h.local_server_id,
      invoiced_minor: null,
      invoiced_records: null,
      records_minor: Number(h.minor),
      records: Number(h.records),
      difference_minor: 0,
      status: "not_invoiced",
    });
  for (const line of invoice?.lines ?? []) {
    if (line.kind !== "usage" || !line.server_id) continue;
    const s = byServer.get(line.server_id) ?? {
      remote_server_id: line.server_id,
      local_server_id:
        typeof line.details["local_server_id"] === "string" ? line.details["local_server_id"] : null,
      invoiced_minor: 0,
      invoiced_records: 0,
      records_minor: 0,
      records: 0,
      difference_minor: 0,
      status: "no_records" as const,
    };
    s.invoiced_minor = (s.invoiced_minor ?? 0) + line.amount_minor;
    const records = line.details["records"];
    s.invoiced_records = (s.invoiced_records ?? 0) + (typeof records === "number" ? records : 0);
    byServer.set(line.server_id, s);
  }
  const servers = [...byServer.values()].sort((a, b) => a.remote_server_id.localeCompare(b.remote_server_id));
  for (const s of servers) {
    s.difference_minor = (s.invoiced_minor ?? 0) - s.records_minor;
    if (s.invoiced_minor === null) s.status = "not_invoiced";
    else if (s.records === 0) s.status = "no_records";
    else s.status = s.difference_minor === 0 && s.invoiced_records === s.records ? "match" : "differs";
  }
  const invoicedMinor = servers.reduce((a, s) => a + (s.invoiced_minor ?? 0), 0);
  const recordsMinor = servers.reduce((a, s) => a + s.records_minor, 0);
  const flags = await db
    .selectFrom("federation_usage_flags")
    .select(["seq", "reason", "received_at"])
    .where("peer_id", "=", peer.id)
    .orderBy("id")
    .limit(1000)
    .execute();
  const status = await usageStatus(ctx, peer.id);
  return {
    peer_id: peer.id,
    month,
    currency: invoice?.currency ?? held[0]?.currency ?? null,
    invoice: invoice && {
      number: invoice.number,
      issued_at: invoice.issued_at,
      subtotal_minor: invoice.subtotal_minor,
      tax_minor: invoice.tax_minor,
      total_minor: invoice.total_minor,
    },
    invoice_error: invoiceError,
    servers,
    totals: {
      invoiced_minor: invoicedMinor,
      records_minor: recordsMinor,
      difference_minor: invoicedMinor - recordsMinor,
    },
    differences: servers.filter((s) => s.status !== "match").length,
    flagged_records: flags.map((f) => ({
      seq: f.seq === null ? null : Number(f.seq),
      reason: f.reason,
      received_at: f.received_at,
    })),
    gaps: status.received.gaps,
  };
}
