import { afterAll, beforeAll, expect, it } from "vitest";
import { describeOnDatabase } from "../support/databases.js";
import { eventually } from "../support/hosts.js";
import { RETAIL, WHOLESALE, remoteServerWorld } from "../support/remote-servers.js";
import type { RemoteServerWorld } from "../support/remote-servers.js";

/**
 * Usage and settlement for a server made the real way (docs/federation.md, "Usage and
 * settlement"): A's customer creates it through A's API (POST /remote-servers), B places it in the
 * account that represents A and opens its usage interval in the create's transaction. Its
 * interval is then moved back to 20:00Z on 30 November, as the billing tests move theirs: B's
 * records of November's last 9 hours, its invoice to A, A's customer's line and the report agree.
 */
describeOnDatabase("postgres", "settlement of a server created through the remote-server API", () => {
  let w: RemoteServerWorld;
  let onA = "";
  let onB = "";

  beforeAll(async () => {
    w = await remoteServerWorld();
  }, 180_000);
  afterAll(async () => w?.t.close());

  it("B's records of the server, its invoice to A, A's customer's line and the report agree to the cent", async () => {
    const created = await w.customer.api.post("/remote-servers", {
      name: "web-1",
      site_id: w.siteB,
      plan_id: w.planB,
      image_id: w.imageA,
      ssh_key_ids: [w.sshKeyId],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    onA = created.body.id;
    onB = await eventually("B's answer to the create", async () => {
      const view = (await w.customer.api.get(`/remote-servers/${onA}`)).body;
      return view.remote_server_id ?? undefined;
    });
    await w.t.b.database.db
      .updateTable("usage_intervals")
      .set({ started_at: new Date("2026-11-30T20:00:00Z") })
      .where("server_id", "=", onB)
      .execute();

    const pushed = await w.t.apiB.post(`/federation/peers/${w.peerOfB}/usage/push`, {
      through: "2026-12-01T05:00:00Z",
    });
    expect(pushed.body, JSON.stringify(pushed.body)).toMatchObject({
      made: 9,
      last_seq: 9,
      acked_through: 9,
    });
    const held = await w.t.a.database.db
      .selectFrom("federation_usage_records_received")
      .selectAll()
      .orderBy("seq")
      .execute();
    expect(held.map((r) => [r.local_server_id, r.remote_server_id, r.period])).toEqual(
      Array(9).fill([onA, onB, "2026-11"]),
    );

    const closedB = await w.t.apiB.post("/billing/close", { period: "2026-11" });
    expect(closedB.status, JSON.stringify(closedB.body)).toBe(200);
    const toA = closedB.body.issued.find((i: any) => i.account_id === w.representedByB);
    const invoice = (await w.t.apiB.get(`/invoices/${toA.id}`)).body;
    expect(invoice.lines.map((l: any) => [l.kind, l.server_id, l.amount_minor])).toEqual([
      ["usage", onB, 9 * WHOLESALE.hourly],
      ["energy", null, 0],
    ]);

    const closedA = await w.t.apiA.post("/billing/close", { period: "2026-11" });
    const mine = closedA.body.issued.find((i: any) => i.account_id === w.customer.accountId);
    const customerInvoice = (await w.customer.api.get(`/invoices/${mine.id}`)).body;
    expect(
      customerInvoice.lines
        .filter((l: any) => l.kind === "remote-server")
        .map((l: any) => [l.server_id, l.amount_minor]),
    ).toEqual([[onA, 9 * RETAIL.hourly]]);

    const report = (await w.t.apiA.get(`/federation/peers/${w.peerOfA}/reconciliation?month=2026-11`)).body;
    expect(report).toMatchObject({
      differences: 0,
      totals: { difference_minor: 0, invoiced_minor: 9 * WHOLESALE.hourly },
    });
  });
});
