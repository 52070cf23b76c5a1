import { newId } from "@layerboom/core";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { buildWorld, createTenant } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** Bytes of a response (PDF) fetched with the tenant's token. */
async function fetchBytes(
  c: TestController,
  token: string,
  path: string,
): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await fetch(`${c.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: Buffer.from(await res.arrayBuffer()),
  };
}

describeOnEachDatabase("billing on %s", (kind) => {
  let c: TestController;
  let world: World;

  /** A customer of the provider with one server whose January–July 2026 usage is on record. */
  async function customerWithUsage(name: string): Promise<{ tenant: Tenant; serverId: string }> {
    const tenant = await createTenant(c, world.provider, "customer");
    const server = await tenant.api.post("/servers", {
      name,
      site_id: world.siteId,
      plan_id: world.planId,
      image_id: world.imageId,
    });
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    return { tenant, serverId: server.body.id as string };
  }

  /** Moves a server's open usage interval back to `iso` (the server "was created" then). */
  async function backdate(serverId: string, iso: string): Promise<void> {
    await c.database.db
      .updateTable("usage_intervals")
      .set({ started_at: new Date(iso) })
      .where("server_id", "=", serverId)
      .execute();
  }

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
  }, 120_000);

  afterAll(async () => c?.close());

  it("records usage in the same transaction as the lifecycle: one interval per server, closed by the delete", async () => {
    const { tenant, serverId } = await customerWithUsage("metered");
    const open = await c.database.db
      .selectFrom("usage_intervals")
      .selectAll()
      .where("server_id", "=", serverId)
      .execute();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ account_id: tenant.accountId, plan_id: world.planId, ended_at: null });
    expect((await tenant.api.del(`/servers/${serverId}`)).status).toBe(200);
    const closed = await c.database.db
      .selectFrom("usage_intervals")
      .selectAll()
      .where("server_id", "=", serverId)
      .execute();
    expect(closed).toHaveLength(1);
    expect(closed[0]!.ended_at).not.toBeNull();
    // The database itself refuses a second open interval for a server.
    await expect(
      c.database.db
        .insertInto("usage_intervals")
        .values([
          {
            id: newId("usageInterval"),
            server_id: world.a.serverId,
            account_id: world.customer1.accountId,
            plan_id: world.planId,
            started_at: new Date(),
            ended_at: null,
          },
          {
            id: newId("usageInterval"),
            server_id: world.a.serverId,
            account_id: world.customer1.accountId,
            plan_id: world.planId,
            started_at: new Date(),
            ended_at: null,
          },
        ])
        .execute(),
    ).rejects.toThrow();
  });

  it("shows this month so far: a server started 30 minutes ago has used 30 minutes, billed as one hour", async () => {
    const { tenant, serverId } = await customerWithUsage("so-far");
    const started = new Date(Date.now() - 30 * 60_000);
    await backdate(serverId, started.toISOString());
    // The billing month is the customer's own (America/Toronto by default); near its start the
    // 30 minutes may straddle two months, so ask for the month the server started in.
    const period = new Intl.DateTimeFormat("en-CA", {
      timeZone: "America/Toronto",
      year: "numeric",
      month: "2-digit",
    })
      .format(started)
      .slice(0, 7);
    const usage = await tenant.api.get(`/billing/usage?period=${period}`);
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    const charge = usage.body.charges.find((x: any) => x.serverId === serverId);
    expect(charge, JSON.stringify(usage.body)).toBeDefined();
    // Not the hours left until the end of the month: only what has run.
    expect(charge.usedSeconds).toBeGreaterThanOrEqual(30 * 60 - 5);
    expect(charge.usedSeconds).toBeLessThan(32 * 60);
    expect(charge.billedHours).toBe(1);
  });

  it("redeems GEO50 once, refuses bad codes with clear messages, and takes 50% off the first server for 6 months", async () => {
    const provider = world.provider;
    const geo = await provider.post("/codes", {
      code: "geo50",
      kind: "percent",
      value: 5000,
      scope: "first-server",
      duration_months: 6,
    });
    expect(geo.status, JSON.stringify(geo.body)).toBe(201);
    expect(geo.body.code).toBe("GEO50");
    await provider.post("/codes", {
      code: "OLD",
      kind: "percent",
      value: 1000,
      scope: "all-servers",
      duration_months: 1,
      expires_at: "2020-01-01T00:00:00Z",
    });
    await provider.post("/codes", {
      code: "ONCE",
      kind: "amount",
      value: 100,
      scope: "all-servers",
      duration_months: 1,
      max_redemptions: 1,
    });
    const otherPlan = (await provider.get("/plans")).body.items.find((p: any) => p.id !== world.planId).id;
    await provider.post("/codes", {
      code: "BIGONLY",
      kind: "percent",
      value: 1000,
      scope: "plans",
      plan_ids: [otherPlan],
      duration_months: 1,
    });

    const geoCustomer = await createTenant(c, provider, "customer");
    expect((await geoCustomer.api.post("/codes/redeem", { code: "GEO50" })).status).toBe(201);
    const again = await geoCustomer.api.post("/codes/redeem", { code: "geo50" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already redeemed GEO50/);
    expect((await geoCustomer.api.post("/codes/redeem", { code: "OLD" })).body.error.message).toMatch(
      /expired on 2020-01-01/,
    );
    expect((await world.customer3.api.post("/codes/redeem", { code: "ONCE" })).status).toBe(201);
    expect((await geoCustomer.api.post("/codes/redeem", { code: "ONCE" })).body.error.message).toMatch(
      /used up/,
    );
    expect(
      (await geoCustomer.api.post("/codes/redeem", { code: "BIGONLY", plan_id: world.planId })).body.error
        .message,
    ).toMatch(/not valid for plan/);
    expect((await geoCustomer.api.post("/codes/redeem", { code: "NOPE" })).status).toBe(404);
    // A reseller's customer cannot use the provider's code: it is not its issuer's.
    expect((await world.customer1.api.post("/codes/redeem", { code: "GEO50" })).status).toBe(404);

    // The first server after redemption gets the code; the second does not.
    const mk = async (name: string) =>
      (
        await geoCustomer.api.post("/servers", {
          name,
          site_id: world.siteId,
          plan_id: world.planId,
          image_id: world.imageId,
        })
      ).body.id as string;
    const first = await mk("geo-first");
    const second = await mk("geo-second");
    await c.database.db
      .updateTable("code_redemptions")
      .set({ redeemed_at: new Date("2026-01-15T12:00:00Z") })
      .where("account_id", "=", geoCustomer.accountId)
      .execute();
    await backdate(first, "2026-01-15T13:00:00Z");
    await backdate(second, "2026-01-20T13:00:00Z");

    const off: number[] = [];
    for (const period of ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]) {
      const closed = await provider.post("/billing/close", { period });
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      const mine = closed.body.issued.find((i: any) => i.account_id === geoCustomer.accountId);
      const invoice = (await geoCustomer.api.get(`/invoices/${mine.id}`)).body;
      const usage = invoice.lines.filter((l: any) => l.kind === "usage");
      const discounts = invoice.lines.filter((l: any) => l.kind === "discount");
      expect(usage.map((l: any) => l.server_id).sort()).toEqual([first, second].sort());
      expect(discounts.every((d: any) => d.server_id === first)).toBe(true);
      const firstUsage = usage.find((l: any) => l.server_id === first).amount_minor;
      const taken = discounts.reduce((a: number, d: any) => a + d.amount_minor, 0);
      if (period !== "2026-07") expect(taken).toBe(-Math.round(firstUsage / 2));
      off.push(taken);
    }
    expect(off[6]).toBe(0);
  });

  it("issues invoices with tax by region, an energy line that is always shown, HTML, CSV and a PDF that names the energy", async () => {
    const { tenant, serverId } = await customerWithUsage("taxed");
    expect((await tenant.api.put("/billing/profile", { tax_region: "CA-XX" })).body.error).toMatchObject({
      message: expect.stringMatching(/Unknown tax region CA-XX/),
    });
    expect((await tenant.api.put("/billing/profile", { tax_region: "CA-QC" })).status).toBe(200);
    await backdate(serverId, "2026-08-01T04:00:00Z");
    // 2 kWh measured for the server in August.
    await c.database.db
      .insertInto("server_energy")
      .values({
        server_id: serverId,
        bucket_start: new Date("2026-08-10T00:00:00Z"),
        bucket_seconds: 3600,
        host_id: world.hostId,
        energy_uj: 7_200_000_000_000,
        active_energy_uj: 3_600_000_000_000,
        cpu_time_us: 1_000_000,
        estimated: false,
        last_power_mw: 2_000_000,
        last_sample_at: new Date("2026-08-10T00:59:00Z"),
      })
      .execute();
    const closed = await world.provider.post("/billing/close", { period: "2026-08" });
    const id = closed.body.issued.find((i: any) => i.account_id === tenant.accountId).id as string;
    const invoice = (await tenant.api.get(`/invoices/${id}`)).body;
    const kinds = invoice.lines.map((l: any) => l.kind);
    expect(kinds).toEqual(["usage", "energy", "tax", "tax"]);
    const energy = invoice.lines.find((l: any) => l.kind === "energy");
    expect(energy.description).toMatch(/^Energy: 2\.000 kWh/);
    expect(energy.description).toMatch(/for information, not charged/);
    expect(energy.amount_minor).toBe(0);
    const usage = invoice.lines[0].amount_minor as number;
    expect(
      invoice.lines.filter((l: any) => l.kind === "tax").map((l: any) => [l.description, l.amount_minor]),
    ).toEqual([
      ["GST 5%", Math.floor((usage * 50_000 + 500_000) / 1_000_000)],
      ["QST 9.975%", Math.floor((usage * 99_750 + 500_000) / 1_000_000)],
    ]);
    expect(invoice.total_minor).toBe(invoice.subtotal_minor + invoice.tax_minor);

    const pdf = await fetchBytes(c, tenant.token, `/invoices/${id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    const text = (await new PDFParse({ data: new Uint8Array(pdf.body) }).getText()).text;
    expect(text).toContain(invoice.number);
    expect(text).toMatch(/Energy: 2\.000 kWh/);
    const html = await fetchBytes(c, tenant.token, `/invoices/${id}/html`);
    expect(html.body.toString()).toContain("Energy: 2.000 kWh");
    const csv = (await fetchBytes(c, tenant.token, `/invoices/${id}/csv`)).body.toString().trim().split("\n");
    expect(csv[0]).toBe(
      "invoice,period,position,kind,description,quantity,amount_minor,currency,server_id,plan_id",
    );
    expect(csv.at(-1)).toContain(`,total,Total,,${invoice.total_minor},`);

    // Issued means immutable: an edit is a 409 that points at credit notes, and the database agrees.
    const edit = await world.provider.patch(`/invoices/${id}`, {});
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toMatch(/credit note/);
    await expect(
      c.database.db
        .updateTable("invoice_lines")
        .set({ amount_minor: 0 })
        .where("invoice_id", "=", id)
        .execute(),
    ).rejects.toThrow(/immutable/);
    const note = await world.provider.post(`/invoices/${id}/credit-notes`, {
      amount_minor: 10,
      reason: "goodwill",
    });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body).toMatchObject({ kind: "credit-note", corrects_invoice_id: id, total_minor: -10 });
    // Closing the same month again issues nothing new.
    expect((await world.provider.post("/billing/close", { period: "2026-08" })).body.issued).toEqual([]);
  });

  it("numbers invoices without gaps while several closes run at once", async () => {
    const customers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => customerWithUsage(`gapless-${i}`)),
    );
    for (const cu of customers) await backdate(cu.serverId, "2026-09-03T00:00:00Z");
    const closes = await Promise.all(
      Array.from({ length: 4 }, () => world.provider.post("/billing/close", { period: "2026-09" })),
    );
    for (const r of closes) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const issued = closes.flatMap((r) => r.body.issued);
    const ours = issued.filter((i: any) => customers.some((cu) => cu.tenant.accountId === i.account_id));
    expect(ours).toHaveLength(8);
    const all = await c.database.db
      .selectFrom("invoices")
      .select("number")
      .where("issuer_account_id", "=", (await world.provider.get("/me")).body.account_id)
      .execute();
    const numbers = all.map((r) => Number(r.number.replace(/^INV-/, ""))).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it("suspends a customer past the grace period (servers stopped, not deleted) and a payment brings them back", async () => {
    const { tenant, serverId } = await customerWithUsage("late-payer");
    await backdate(serverId, "2026-10-02T00:00:00Z");
    await world.provider.put("/billing/settings", { payment_terms_days: 0, grace_days: 0 });
    const closed = await world.provider.post("/billing/close", { period: "2026-10" });
    const invoice = closed.body.issued.find((i: any) => i.account_id === tenant.accountId);
    expect(invoice.status).toBe("issued");
    await new Promise((r) => setTimeout(r, 50));
    const enforced = await world.provider.post("/billing/enforce", {});
    expect(enforced.body.suspended).toContain(tenant.accountId);
    const server = (await tenant.api.get(`/servers/${serverId}`)).body;
    expect(server.desired_state).toBe("stopped");
    const start = await tenant.api.post(`/servers/${serverId}/start`, {});
    expect(start.status).toBe(409);
    expect(start.body.error.message).toMatch(/suspended for an unpaid invoice/);
    // The customer cannot pay itself into good standing; its issuer records the payment.
    expect(
      (await tenant.api.post(`/invoices/${invoice.id}/payments`, { amount_minor: 1, method: "card" })).status,
    ).toBe(403);
    const paid = await world.provider.post(`/invoices/${invoice.id}/payments`, {
      amount_minor: invoice.amount_due_minor,
      method: "e-transfer",
      reference: "ET-1",
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.status).toBe("paid");
    expect((await tenant.api.get(`/servers/${serverId}`)).body.desired_state).toBe("running");
    // Both sides can read the payment back; another tenant gets 404, as for no invoice at all.
    const listed = await tenant.api.get(`/invoices/${invoice.id}/payments`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        amount_minor: invoice.amount_due_minor,
        method: "e-transfer",
        reference: "ET-1",
      }),
    ]);
    expect((await world.customer3.api.get(`/invoices/${invoice.id}/payments`)).status).toBe(404);
    const audit = await world.provider.get(`/audit-log?resource_id=${tenant.accountId}`);
    const payments = await world.provider.get(`/audit-log?resource_id=${invoice.id}`);
    const actions = [...audit.body.items, ...payments.body.items].map((e: any) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["account.suspend", "account.unsuspend", "invoice.payment"]),
    );
    await world.provider.put("/billing/settings", { payment_terms_days: 14, grace_days: 7 });
  });

  it("lets a reseller bill its own customers, and nobody else sees those invoices", async () => {
    const own = await world.reseller1.api.get("/invoices");
    expect(own.body.items.map((i: any) => i.id)).toContain(world.a.invoiceId);
    expect((await world.reseller2.api.get("/invoices")).body.items.map((i: any) => i.id)).not.toContain(
      world.a.invoiceId,
    );
    expect((await world.customer3.api.get(`/invoices/${world.a.invoiceId}`)).status).toBe(404);
    const invoice = (await world.customer1.api.get(`/invoices/${world.a.invoiceId}`)).body;
    expect(invoice.issuer_account_id).toBe(world.reseller1.accountId);
    expect(invoice.number).toBe("INV-000001");
  });
});
