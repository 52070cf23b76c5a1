import { newId } from "@layerboom/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { buildWorld, createTenant } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

interface PlanPrice {
  id: string;
  hourly_price_minor: number;
  monthly_cap_minor: number;
}

/** What a server's usage costs for `hours` whole hours in one month at a price. */
const cost = (p: { hourly: number; cap: number }, hours: number) => Math.min(hours * p.hourly, p.cap);

describeOnEachDatabase("resellers in billing on %s", (kind) => {
  let c: TestController;
  let world: World;
  let plan: PlanPrice;
  let providerId: string;
  const retail = { hourly: 0, cap: 0 };

  /** A server of `tenant` with `hours` of usage on record from `startIso`. */
  async function serverWithUsage(tenant: Tenant, startIso: string, hours: number): Promise<string> {
    const server = await tenant.api.post("/servers", {
      name: `s-${Math.random().toString(36).slice(2, 8)}`,
      site_id: world.siteId,
      plan_id: plan.id,
      image_id: world.imageId,
    });
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    const start = new Date(startIso);
    await c.database.db
      .insertInto("usage_intervals")
      .values({
        id: newId("usageInterval"),
        server_id: server.body.id,
        account_id: tenant.accountId,
        plan_id: plan.id,
        started_at: start,
        ended_at: new Date(start.getTime() + hours * 3_600_000),
      })
      .execute();
    return server.body.id as string;
  }

  async function invoiceOf(api: ApiClient, accountId: string, period: string) {
    const list = await api.get(`/invoices?period=${period}&account_id=${accountId}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const summary = list.body.items.find((i: any) => i.kind === "invoice");
    return summary ? (await api.get(`/invoices/${summary.id}`)).body : undefined;
  }

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
    plan = (await world.provider.get(`/plans/${world.planId}`)).body;
    providerId = (await world.provider.get("/me")).body.account_id;
    retail.hourly = Number(plan.hourly_price_minor) + 3;
    retail.cap = Number(plan.monthly_cap_minor) * 2;
  }, 120_000);

  afterAll(async () => c?.close());

  it("shows each customer only its own reseller's brand, validates brands, and serves the public login page", async () => {
    const set = await world.reseller1.api.put("/branding", {
      name: "Acme Cloud",
      support_email: "help@acme.test",
      primary_color: "#112233",
      accent_color: "#AABBCC",
      logo_url: "data:image/png;base64,iVBORw0KGgo=",
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ portal_domain: null, accent_color: "#aabbcc", is_default: false });
    // A portal domain is proven, or assigned by the provider (test/security/portal-domains.claims-need-proof).
    const assigned = await world.provider.post("/branding/domains", {
      domain: "Portal.Acme.test",
      account_id: world.reseller1.accountId,
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    expect((await world.reseller1.api.get("/branding")).body.portal_domain).toBe("portal.acme.test");
    expect(
      (await world.provider.put("/branding", { name: "Big Provider", support_email: "ops@provider.test" }))
        .status,
    ).toBe(200);

    const bad: [Record<string, unknown>, string][] = [
      [{ name: "x", primary_color: "red" }, "primary_color"],
      [{ name: "x", logo_url: "http://logo.example/logo.png" }, "logo_url"],
      [{ name: "x", logo_url: `data:image/png;base64,${"A".repeat(70_000)}` }, "logo_url"],
      [{ name: "x", logo_url: "data:image/svg+xml;base64,PHN2Zz4=" }, "logo_url"],
      [{ name: "x", support_email: "not-mail" }, "support_email"],
      // The brand no longer takes a portal domain at all.
      [{ name: "x", portal_domain: "portal.acme.test" }, "portal_domain"],
      [{ name: " " }, "name"],
    ];
    for (const [body, field] of bad) {
      const res = await world.reseller2.api.put("/branding", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.field).toBe(field);
    }
    const taken = await world.reseller2.api.post("/branding/domains", { domain: "portal.acme.test" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/portal\.acme\.test/);

    const seen = async (t: Tenant) => (await t.api.get("/branding/effective")).body;
    expect(await seen(world.customer1)).toMatchObject({
      name: "Acme Cloud",
      account_id: world.reseller1.accountId,
    });
    // Reseller 2 set no brand (its attempts failed): a neutral default with its own name, not the provider's.
    const other = await seen(world.customer2);
    expect(other).toMatchObject({
      account_id: world.reseller2.accountId,
      is_default: true,
      support_email: null,
    });
    expect(other.name).not.toMatch(/Acme|Big Provider/);
    expect(await seen(world.customer3)).toMatchObject({
      name: "Big Provider",
      support_email: "ops@provider.test",
    });
    expect((await world.customer1.api.get("/branding")).status).toBe(403);
    expect((await world.customer1.api.put("/branding", { name: "Mine" })).status).toBe(403);

    const anonymous = apiClient(c.url);
    const page = await anonymous.get("/branding/by-domain?domain=PORTAL.acme.test");
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(Object.keys(page.body).sort()).toEqual(["accent_color", "logo_url", "name", "primary_color"]);
    expect(page.body.name).toBe("Acme Cloud");
    expect((await anonymous.get("/branding/by-domain?domain=nowhere.test")).status).toBe(404);
    expect((await anonymous.get("/branding/effective")).status).toBe(401);

    // Customer 1's invoice comes from reseller 1's brand, never the provider's.
    const html = await world.customer1.api.get(`/invoices/${world.a.invoiceId}/html`);
    expect(html.status).toBe(200);
    expect(html.body).toContain("From Acme Cloud (help@acme.test)");
    expect(html.body).not.toContain("Big Provider");
  });

  it("bills a reseller's customers at its retail prices, which only they see", async () => {
    const list = await world.reseller1.api.get("/prices");
    expect(list.status).toBe(200);
    expect(list.body.items.find((p: any) => p.plan_id === plan.id)).toMatchObject({
      wholesale_hourly_minor: Number(plan.hourly_price_minor),
      retail_hourly_minor: null,
    });
    const wrong = await world.reseller1.api.put("/prices", {
      prices: [{ plan_id: plan.id, hourly_price_minor: 10, monthly_cap_minor: 5 }],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.field).toBe("prices[0].monthly_cap_minor");
    const unknown = await world.reseller1.api.put("/prices", {
      prices: [{ plan_id: "plan_nope", hourly_price_minor: 1, monthly_cap_minor: 5 }],
    });
    expect(unknown.body.error.details.field).toBe("prices[0].plan_id");
    const set = await world.reseller1.api.put("/prices", {
      prices: [{ plan_id: plan.id, hourly_price_minor: retail.hourly, monthly_cap_minor: retail.cap }],
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.items.find((p: any) => p.plan_id === plan.id).retail_hourly_minor).toBe(retail.hourly);
    expect((await world.customer1.api.put("/prices", { prices: [] })).status).toBe(403);
    expect((await world.provider.put("/prices", { prices: [] })).status).toBe(403);
    expect((await world.customer1.api.get("/prices")).status).toBe(403);

    const shown = async (t: Tenant) =>
      (await t.api.get("/plans")).body.items.find((p: any) => p.id === plan.id) as PlanPrice;
    expect(await shown(world.customer1)).toMatchObject({
      hourly_price_minor: retail.hourly,
      monthly_cap_minor: retail.cap,
    });
    expect((await world.customer1.api.get(`/plans/${plan.id}`)).body.hourly_price_minor).toBe(retail.hourly);
    expect((await shown(world.customer2)).hourly_price_minor).toBe(Number(plan.hourly_price_minor));
    expect((await shown(world.customer3)).hourly_price_minor).toBe(Number(plan.hourly_price_minor));

    const buyer = await createTenant(c, world.reseller1.api, "customer");
    await serverWithUsage(buyer, "2026-04-10T00:00:00Z", 24);
    const closed = await world.reseller1.api.post("/billing/close", { period: "2026-04" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const invoice = await invoiceOf(buyer.api, buyer.accountId, "2026-04");
    const usage = invoice.lines.filter((l: any) => l.kind === "usage");
    expect(usage).toHaveLength(1);
    expect(usage[0].amount_minor).toBe(cost(retail, 24));
    expect(usage[0].amount_minor).not.toBe(
      cost({ hourly: plan.hourly_price_minor, cap: plan.monthly_cap_minor }, 24),
    );
  });

  it("bills each reseller wholesale for all its customers' usage, idempotently, and reports revenue", async () => {
    const wholesale = { hourly: Number(plan.hourly_price_minor), cap: Number(plan.monthly_cap_minor) };
    expect((await world.reseller1.api.put("/billing/profile", { tax_region: "CA-QC" })).status).toBe(200);
    const r1a = await createTenant(c, world.reseller1.api, "customer");
    const r1b = await createTenant(c, world.reseller1.api, "customer");
    const r2a = await createTenant(c, world.reseller2.api, "customer");
    const direct = await createTenant(c, world.provider, "customer");
    await serverWithUsage(r1a, "2026-05-03T00:00:00Z", 48);
    await serverWithUsage(r1a, "2026-05-10T00:00:00Z", 5);
    await serverWithUsage(r1b, "2026-05-05T00:00:00Z", 300);
    await serverWithUsage(r2a, "2026-05-04T00:00:00Z", 7);
    await serverWithUsage(direct, "2026-05-04T00:00:00Z", 11);

    const closed = await world.provider.post("/billing/close", { period: "2026-05" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const toR1 = closed.body.issued.find((i: any) => i.account_id === world.reseller1.accountId);
    const toR2 = closed.body.issued.find((i: any) => i.account_id === world.reseller2.accountId);
    expect(toR1.issuer_account_id).toBe(providerId);
    expect(closed.body.issued.some((i: any) => i.account_id === direct.accountId)).toBe(true);
    // Reseller 1's customers' servers: 48 h + 5 h, and 300 h.
    const expectedR1 = cost(wholesale, 48) + cost(wholesale, 5) + cost(wholesale, 300);
    const invoice = (await world.reseller1.api.get(`/invoices/${toR1.id}`)).body;
    const usage = invoice.lines.filter((l: any) => l.kind === "usage");
    expect(usage.reduce((a: number, l: any) => a + l.amount_minor, 0)).toBe(expectedR1);
    expect(usage.every((l: any) => l.plan_id === plan.id && l.server_id === null)).toBe(true);
    expect(usage[0].details).toMatchObject({ site_id: world.siteId, servers: 3 });
    expect(invoice.lines.some((l: any) => l.kind === "energy")).toBe(true);
    expect(invoice.lines.filter((l: any) => l.kind === "tax").map((l: any) => l.description)).toEqual([
      "GST 5%",
      "QST 9.975%",
    ]);
    expect(invoice.subtotal_minor).toBe(expectedR1);
    expect(invoice.total_minor).toBe(invoice.subtotal_minor + invoice.tax_minor);
    expect(toR2.total_minor).toBe(cost(wholesale, 7));
    // The wholesale invoice is the reseller's business: its customers and its sibling see nothing.
    expect((await world.customer1.api.get(`/invoices/${toR1.id}`)).status).toBe(404);
    expect((await world.reseller2.api.get(`/invoices/${toR1.id}`)).status).toBe(404);
    const html = await world.reseller1.api.get(`/invoices/${toR1.id}/html`);
    expect(html.body).toContain("From Big Provider");

    const again = await world.provider.post("/billing/close", { period: "2026-05" });
    expect(again.body.issued).toEqual([]);
    const numbers = (
      await c.database.db
        .selectFrom("invoices")
        .select("number")
        .where("issuer_account_id", "=", providerId)
        .execute()
    )
      .map((r) => Number(r.number.replace(/^INV-/, "")))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));

    // Reseller 1 bills its customers at retail; the margin is retail minus wholesale.
    expect((await world.reseller1.api.post("/billing/close", { period: "2026-05" })).status).toBe(200);
    const retailTotals = await Promise.all(
      [r1a, r1b].map(
        async (t) => (await invoiceOf(world.reseller1.api, t.accountId, "2026-05")).total_minor as number,
      ),
    );
    const paid = await world.provider.post(`/invoices/${toR1.id}/payments`, {
      amount_minor: invoice.total_minor,
      method: "wire",
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);

    const report = await world.provider.get("/billing/revenue?period=2026-05");
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const byReseller = report.body.by_reseller.find((r: any) => r.account_id === world.reseller1.accountId);
    expect(byReseller).toMatchObject({
      wholesale_invoiced_minor: invoice.total_minor,
      wholesale_paid_minor: invoice.total_minor,
      retail_invoiced_minor: retailTotals[0]! + retailTotals[1]!,
    });
    const usageTotal = expectedR1 + cost(wholesale, 7) + cost(wholesale, 11);
    expect(report.body.by_plan.find((r: any) => r.key === plan.id).invoiced_minor).toBe(usageTotal);
    expect(report.body.by_site.find((r: any) => r.key === world.siteId).invoiced_minor).toBe(usageTotal);
    expect(report.body.by_site.find((r: any) => r.key === world.siteId).paid_minor).toBe(expectedR1);
    const allInvoices = closed.body.issued.reduce((a: number, i: any) => a + i.total_minor, 0);
    expect(report.body.totals[0].invoiced_minor).toBe(allInvoices);

    const mine = await world.reseller1.api.get("/billing/revenue?period=2026-05");
    expect(mine.status).toBe(200);
    expect(mine.body.by_reseller).toEqual([]);
    expect(mine.body.by_site).toEqual([]);
    expect(mine.body.totals[0].invoiced_minor).toBe(retailTotals[0]! + retailTotals[1]!);
    expect(mine.body.by_plan[0]).toMatchObject({
      key: plan.id,
      invoiced_minor: cost(retail, 48) + cost(retail, 5) + cost(retail, 300),
    });
    expect(mine.body.wholesale).toMatchObject({ invoice_id: toR1.id, total_minor: invoice.total_minor });
    expect((await world.customer1.api.get("/billing/revenue?period=2026-05")).status).toBe(403);
    expect((await world.provider.get("/billing/revenue?period=2026-13")).status).toBe(400);
  });
});
