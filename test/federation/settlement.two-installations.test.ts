import { afterAll, beforeAll, expect, it } from "vitest";
import { hourCharge, newId } from "@layerboom/core";
import { signUsageRecord } from "@layerboom/controller";
import { describeOnDatabase } from "../support/databases.js";
import { sendSigned, strangerInstallation } from "../support/federation.js";
import type { TwoInstallations } from "../support/federation.js";
import { runCli } from "../support/hosts.js";
import { H, NOV_END, NOV_START, RETAIL, WHOLESALE, settlementWorld } from "../support/settlement.js";
import type { SettledServer } from "../support/settlement.js";
import type { Tenant } from "../support/tenants.js";

/**
 * Usage and settlement between two installations (docs/federation.md, "Usage and settlement"): B
 * (PostgreSQL) runs two servers for A (PGlite) through November 2026, makes a signed record per
 * server and closed hour, and pushes them; one hour's push is lost while B cannot reach A, and
 * the gap fills once (A pulls it, B's next push sends it again). B closes November: its invoice to
 * A is the records summed; A closes November: its customer pays the records at A's retail price;
 * the reconciliation report finds no difference. A forged and a tampered record are refused and
 * flagged. The servers are set up as settlementWorld documents (rows made through each
 * installation's own code, not remote creates); everything else runs through the API and the CLI.
 */

/** The hour B cannot reach A. */
const LOST_HOUR = Date.parse("2026-11-20T00:00:00Z");

describeOnDatabase("postgres", "federation usage and settlement between two installations", () => {
  let t: TwoInstallations;
  let peerOfA = ""; // B as recorded on A
  let peerOfB = ""; // A as recorded on B
  let customer: Tenant;
  let represented = "";
  let servers: SettledServer[] = [];

  const push = (through: number) =>
    t.apiB.post(`/federation/peers/${peerOfB}/usage/push`, { through: new Date(through).toISOString() });
  const heldOnA = () =>
    t.a.database.db
      .selectFrom("federation_usage_records_received")
      .selectAll()
      .where("peer_id", "=", peerOfA)
      .orderBy("seq")
      .execute();
  const madeOnB = () =>
    t.b.database.db
      .selectFrom("federation_usage_records_made")
      .selectAll()
      .where("peer_id", "=", peerOfB)
      .orderBy("seq")
      .execute();

  /** Each server's November hours, as B bills its own: the expected wholesale and retail amounts. */
  function expectedMonth(s: SettledServer, price: typeof WHOLESALE): number {
    const end = s.to ?? NOV_END;
    let used = 0;
    let total = 0;
    for (let hour = NOV_START; hour < NOV_END; hour += H) {
      const inHour = Math.max(0, Math.min(end, hour + H) - Math.max(s.from, hour));
      if (inHour === 0) continue;
      total += hourCharge(used, inHour, price, "up").amountMinor;
      used += inHour;
    }
    return total;
  }

  beforeAll(async () => {
    ({ t, peerOfA, peerOfB, customer, represented, servers } = await settlementWorld());
  }, 180_000);
  afterAll(async () => t?.close());

  it("B makes a signed record per server and closed hour, numbered without gaps; A acknowledges them", async () => {
    const first = await push(LOST_HOUR);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.push_error).toBe("");
    // web-1: 1 Nov 04:00Z to 15 Nov 11:00Z; web-2: 3 Nov 12:00Z to 20 Nov 00:00Z.
    const web1 = (Date.parse("2026-11-15T11:00:00Z") - NOV_START) / H;
    const web2 = (LOST_HOUR - Date.parse("2026-11-03T12:00:00Z")) / H;
    expect(first.body).toMatchObject({
      made: web1 + web2,
      last_seq: web1 + web2,
      acked_through: web1 + web2,
    });
    const made = await madeOnB();
    expect(made.map((r) => Number(r.seq))).toEqual(Array.from({ length: web1 + web2 }, (_, i) => i + 1));
    const held = await heldOnA();
    expect(held.map((r) => [Number(r.seq), r.document, r.signature])).toEqual(
      made.map((r) => [Number(r.seq), r.document, r.signature]),
    );
    // APEL's fields, B's energy and what the hour adds under the cap.
    const hourOf = (server: number, iso: string) =>
      held.find((r) => r.local_server_id === servers[server]!.onA && r.hour_start.toISOString() === iso)!;
    const energetic = hourOf(1, "2026-11-10T01:00:00.000Z");
    expect(JSON.parse(energetic.document)).toMatchObject({
      type: "layerboom-usage/1",
      issuer: t.profileB.fingerprint,
      audience: t.profileA.fingerprint,
      vm_uuid: servers[1]!.onB,
      local_server_id: servers[1]!.onA,
      start_time: "2026-11-10T01:00:00.000Z",
      end_time: "2026-11-10T02:00:00.000Z",
      wall_duration: 3600,
      cpu_duration: 1800,
      energy_wh: 10,
      month: "2026-11",
      currency: "CAD",
      billed_ms: H,
      wholesale_cost_minor: 1234,
    });
    const partial = hourOf(1, "2026-11-03T12:00:00.000Z");
    expect(JSON.parse(partial.document)).toMatchObject({ wall_duration: 2700, billed_ms: H });

    const status = await t.apiA.get(`/federation/peers/${peerOfA}/usage`);
    expect(status.body.received).toMatchObject({
      records: web1 + web2,
      acked_through: web1 + web2,
      gaps: [],
    });
  });

  it("while B cannot reach A an hour's records wait; A pulls them, and B's next push fills nothing twice", async () => {
    const before = (await heldOnA()).length;
    const url = (
      await t.b.database.db
        .selectFrom("federation_peers")
        .select("url")
        .where("id", "=", peerOfB)
        .executeTakeFirstOrThrow()
    ).url;
    // B's record of A's address broken: its push cannot reach A.
    await t.b.database.db
      .updateTable("federation_peers")
      .set({ url: "http://127.0.0.1:9" })
      .where("id", "=", peerOfB)
      .execute();
    const lost = await push(LOST_HOUR + H);
    expect(lost.body.made).toBe(1); // web-2's hour; web-1 is gone
    expect(lost.body.push_error).not.toBe("");
    expect(lost.body.acked_through).toBe(before);
    expect((await heldOnA()).length).toBe(before);
    const onA = await t.apiA.get(`/federation/peers/${peerOfA}/usage`);
    expect(onA.body.received.acked_through).toBe(before);

    // A asks B for what follows its last record (A → B still works).
    const pulled = await runCli(t.a, t.a.adminToken, [
      "-o",
      "json",
      "federation",
      "usage",
      peerOfA,
      "--pull",
    ]);
    expect(pulled.code, pulled.output).toBe(0);
    expect(JSON.parse(pulled.output).received).toMatchObject({
      records: before + 1,
      acked_through: before + 1,
      gaps: [],
    });
    const filled = (await heldOnA()).at(-1)!;
    expect([Number(filled.seq), filled.received_via]).toEqual([before + 1, "pull"]);

    await t.b.database.db.updateTable("federation_peers").set({ url }).where("id", "=", peerOfB).execute();
    const back = await push(Date.now());
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.push_error).toBe("");
    expect(back.body.acked_through).toBe(back.body.last_seq);
    const held = await heldOnA();
    expect(held.map((r) => Number(r.seq))).toEqual(
      Array.from({ length: back.body.last_seq }, (_, i) => i + 1),
    );
    expect(held.map((r) => r.document)).toEqual((await madeOnB()).map((r) => r.document));
    // Pushing again makes and sends nothing new.
    const again = await push(Date.now());
    expect(again.body).toMatchObject({
      made: 0,
      last_seq: back.body.last_seq,
      acked_through: back.body.last_seq,
    });
    expect((await heldOnA()).length).toBe(back.body.last_seq);
  });

  it("B's invoice to A for November is the records summed, to the cent, and not its plans' prices", async () => {
    const closed = await t.apiB.post("/billing/close", { period: "2026-11" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const mine = closed.body.issued.filter((i: any) => i.account_id === represented);
    expect(mine).toHaveLength(1);
    const invoice = (await t.apiB.get(`/invoices/${mine[0].id}`)).body;
    const usage = invoice.lines.filter((l: any) => l.kind === "usage");
    expect(invoice.lines.map((l: any) => l.kind)).toEqual(["usage", "usage", "energy"]);
    const sums = new Map<string, number>();
    for (const r of await madeOnB())
      if (r.period === "2026-11")
        sums.set(r.server_id, (sums.get(r.server_id) ?? 0) + Number(r.wholesale_cost_minor));
    expect(new Map(usage.map((l: any) => [l.server_id, l.amount_minor]))).toEqual(sums);
    // Worked by hand: web-1 343 h × 12.34 = 4232.62; web-2 665 h × 12.34 = 8206.10, capped at 6000.00.
    expect(sums.get(servers[0]!.onB)).toBe(343 * 1234);
    expect(sums.get(servers[1]!.onB)).toBe(600_000);
    expect(expectedMonth(servers[0]!, WHOLESALE)).toBe(343 * 1234);
    expect(invoice.total_minor).toBe(343 * 1234 + 600_000);
    expect(invoice.lines.at(-1).description).toMatch(/0\.060 kWh/);
    // Closing again issues nothing new.
    const twice = await t.apiB.post("/billing/close", { period: "2026-11" });
    expect(twice.body.issued.filter((i: any) => i.account_id === represented)).toHaveLength(0);
  });

  it("A bills its customer the records at its retail price, with B's energy on the energy line", async () => {
    const closed = await t.apiA.post("/billing/close", { period: "2026-11" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const mine = closed.body.issued.find((i: any) => i.account_id === customer.accountId);
    const invoice = (await customer.api.get(`/invoices/${mine.id}`)).body;
    const remote = invoice.lines.filter((l: any) => l.kind === "remote-server");
    // web-1 343 h × 15.43 = 5292.49; web-2 665 h × 15.43 = 10260.95, capped at 7500.00.
    expect(remote.map((l: any) => [l.server_id, l.amount_minor])).toEqual(
      [
        [servers[0]!.onA, 343 * 1543],
        [servers[1]!.onA, 750_000],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(expectedMonth(servers[0]!, RETAIL)).toBe(343 * 1543);
    expect(expectedMonth(servers[1]!, RETAIL)).toBe(750_000);
    const energy = invoice.lines.find((l: any) => l.kind === "energy");
    expect(energy.details.remote_kwh).toBeCloseTo(0.06, 6);
    expect(energy.description).toMatch(/0\.060 kWh at partners' sites/);
  });

  it("the reconciliation report finds B's invoice and A's records equal, server by server", async () => {
    const report = await t.apiA.get(`/federation/peers/${peerOfA}/reconciliation?month=2026-11`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({
      month: "2026-11",
      currency: "CAD",
      invoice_error: null,
      differences: 0,
      totals: {
        invoiced_minor: 343 * 1234 + 600_000,
        records_minor: 343 * 1234 + 600_000,
        difference_minor: 0,
      },
      flagged_records: [],
      gaps: [],
    });
    expect(report.body.servers.map((s: any) => s.status)).toEqual(["match", "match"]);
    const cli = await runCli(t.a, t.a.adminToken, [
      "-o",
      "json",
      "federation",
      "reconcile",
      peerOfA,
      "--month",
      "2026-11",
    ]);
    expect(cli.code, cli.output).toBe(0);
    expect(JSON.parse(cli.output).differences).toBe(0);

    const bad = await t.apiA.get(`/federation/peers/${peerOfA}/reconciliation?month=2026-13`);
    expect([bad.status, bad.body.error.details?.field]).toEqual([400, "month"]);
    expect((await customer.api.get(`/federation/peers/${peerOfA}/reconciliation?month=2026-11`)).status).toBe(
      404,
    );
    expect((await t.apiA.get(`/federation/peers/${newId("federationPeer")}/usage`)).status).toBe(404);
  });

  it("a record altered under B's own key, or signed by another key, is refused, flagged and changes nothing", async () => {
    const [first] = await heldOnA();
    const altered = { ...JSON.parse(first!.document), wholesale_cost_minor: 99_999 };
    const tampered = signUsageRecord(t.signingB, altered);
    const forged = signUsageRecord(strangerInstallation().identity, { ...altered, seq: 999_999 });
    const sent = await sendSigned(t.originA, t.signingB, "POST", "/usage-records", {
      body: { records: [tampered, forged, { document: first!.document, signature: first!.signature }] },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.refused.map((r: any) => [r.seq, r.reason])).toEqual([
      [1, "seq_conflict"],
      [999_999, "bad_signature"],
    ]);
    expect(sent.body.duplicates).toBe(1);
    // One for another installation, one that is not a record, and a stranger's request.
    const elsewhere = signUsageRecord(t.signingB, {
      ...altered,
      seq: 999_998,
      audience: "sha256:someone-else",
    });
    const notJson = { document: "{not json", signature: signUsageRecord(t.signingB, altered).signature };
    const more = await sendSigned(t.originA, t.signingB, "POST", "/usage-records", {
      body: { records: [elsewhere, notJson] },
    });
    expect(more.body.refused.map((r: any) => r.reason)).toEqual(["wrong_audience", "bad_signature"]);
    const stranger = await sendSigned(
      t.originA,
      strangerInstallation().identity,
      "GET",
      "/usage-records?after=0",
    );
    expect([stranger.status, stranger.body.error.details.reason]).toEqual([401, "unknown_key"]);
    const malformed = await sendSigned(t.originA, t.signingB, "POST", "/usage-records", {
      body: { records: [{ document: 42 }] },
    });
    expect(malformed.status).toBe(400);
    expect((await heldOnA())[0]!.document).toBe(first!.document);
    const report = (await t.apiA.get(`/federation/peers/${peerOfA}/reconciliation?month=2026-11`)).body;
    expect(report.differences).toBe(0);
    expect(report.flagged_records.map((f: any) => [f.seq, f.reason])).toEqual([
      [1, "seq_conflict"],
      [999_999, "bad_signature"],
      [999_998, "wrong_audience"],
      [null, "bad_signature"],
    ]);
  });
});
