import { ingestEnergySamples } from "@layerboom/controller";
import type { EnergySample } from "@layerboom/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { addHost, addIdleHost } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** One minute of host energy from the power model: 6 kJ in 60 s is 100 W (PUE 1). */
function sample(seq: number, startMs: number): EnergySample {
  return {
    seq,
    start_ms: startMs,
    end_ms: startMs + 60_000,
    source: "model",
    estimated: true,
    host_energy_uj: 6_000_000_000,
    idle_energy_uj: 2_700_000_000,
    host_cpus: 4,
    vms: [],
  };
}

describeOnEachDatabase("GET /dashboard on %s", (kind) => {
  let c: TestController;
  let provider: ApiClient;
  let freshSite: string;
  let staleSite: string;
  let freshHost: string;
  let staleHost: string;
  let pendingHost: string;
  let silentHost: string;
  let reseller: Tenant;
  let resellerCustomer: Tenant;
  let directCustomer: Tenant;
  let serverOfReseller: string;

  beforeAll(async () => {
    c = await startTestController(kind);
    provider = apiClient(c.url, c.adminToken);
    freshSite = (await provider.get("/sites")).body.items[0].id;
    const made = await provider.post("/sites", {
      name: "stale-site",
      country_code: "CA",
      time_zone: "America/Toronto",
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    staleSite = made.body.id;

    freshHost = await addIdleHost(c, freshSite, "fresh-host");
    staleHost = await addIdleHost(c, staleSite, "stale-host");
    pendingHost = (await addHost(provider, freshSite, "never-joined")).hostId;
    silentHost = await addIdleHost(c, staleSite, "silent-host");
    await c.database.db
      .updateTable("hosts")
      .set({ state: "down", last_heartbeat_at: new Date(Date.now() - 3600_000), connected_at: new Date() })
      .where("id", "=", silentHost)
      .execute();

    // A sample a minute old on one host, one from an hour ago on the other.
    const now = Date.now();
    await ingestEnergySamples(c.database, freshHost, "boot-a", 0, [sample(1, now - 120_000)]);
    await ingestEnergySamples(c.database, staleHost, "boot-b", 0, [sample(1, now - 3600_000)]);

    reseller = await createTenant(c, provider, "reseller");
    resellerCustomer = await createTenant(c, reseller.api, "customer");
    directCustomer = await createTenant(c, provider, "customer");

    const plan = (await provider.get("/plans")).body.items[0];
    const image = await provider.post("/images", {
      name: "dash-tiny",
      visibility: "public",
      format: "kernel+initrd",
    });
    expect(image.status, JSON.stringify(image.body)).toBe(201);
    const create = (who: Tenant, name: string) =>
      who.api.post("/servers", { name, site_id: freshSite, plan_id: plan.id, image_id: image.body.id });
    const mine = await create(resellerCustomer, "reseller-web");
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    serverOfReseller = mine.body.id;
    const theirs = await create(directCustomer, "direct-web");
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);

    const ticket = await resellerCustomer.api.post("/tickets", { subject: "help", body: "please" });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const direct = await directCustomer.api.post("/tickets", { subject: "help too", body: "please" });
    expect(direct.status, JSON.stringify(direct.body)).toBe(201);
  });
  afterAll(async () => c?.close());

  it("shows the provider each site's power now from recent samples, and null for stale ones", async () => {
    const res = await provider.get("/dashboard");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.scope).toBe("provider");

    const fresh = res.body.hosts.find((h: { id: string }) => h.id === freshHost);
    expect(fresh).toMatchObject({ power_w: 100, power_estimated: true, site_id: freshSite });
    expect(fresh.last_sample_at).not.toBeNull();
    const stale = res.body.hosts.find((h: { id: string }) => h.id === staleHost);
    expect(stale.power_w).toBeNull();
    expect(stale.power_estimated).toBe(false);
    expect(Date.parse(stale.last_sample_at)).toBeLessThan(Date.now() - 50 * 60_000);

    const site = res.body.sites.find((s: { id: string }) => s.id === freshSite);
    expect(site).toMatchObject({ power_w: 100, power_estimated: true, hosts_reporting: 1 });
    expect(site.hosts).toEqual({ total: 2, up: 1, down: 1 });
    expect(site.server_count).toBe(2);
    expect(site.capacity.used_vcpus).toBeGreaterThan(0);
    expect(site.capacity.cpu_cores).toBeGreaterThanOrEqual(site.capacity.used_vcpus);
    const staleTile = res.body.sites.find((s: { id: string }) => s.id === staleSite);
    expect(staleTile).toMatchObject({ power_w: null, power_estimated: false, hosts_reporting: 0 });

    expect(res.body.customers).toBe(2);
    expect(res.body.servers.total).toBe(2);
    // The provider answers the tickets of its direct customers, not the reseller's.
    expect(res.body.open_tickets).toBe(1);
  });

  it("lists the hosts that are not up: never joined, or silent", async () => {
    const res = await provider.get("/dashboard");
    const down = res.body.hosts_down as { id: string; state: string; reason: string }[];
    expect(down.map((h) => h.id).sort()).toEqual([pendingHost, silentHost].sort());
    expect(down.find((h) => h.id === pendingHost)).toMatchObject({ state: "pending" });
    expect(down.find((h) => h.id === silentHost)).toMatchObject({ state: "down" });
    expect(down.every((h) => h.reason.length > 0)).toBe(true);
    // A removed host is gone from every list.
    const removed = await provider.del(`/hosts/${pendingHost}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const after = await provider.get("/dashboard");
    expect(after.body.hosts_down.map((h: { id: string }) => h.id)).toEqual([silentHost]);
    expect(after.body.hosts.some((h: { id: string }) => h.id === pendingHost)).toBe(false);
  });

  it("shows a reseller only its own subtree, and no hosts or sites", async () => {
    const res = await reseller.api.get("/dashboard");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      scope: "reseller",
      sites: [],
      hosts: [],
      hosts_down: [],
      customers: 1,
      open_tickets: 1,
    });
    expect(res.body.servers.total).toBe(1);
    const server = await reseller.api.get(`/servers/${serverOfReseller}`);
    expect(res.body.servers.by_state).toEqual([{ state: server.body.observed_state, count: 1 }]);
    expect(res.body.revenue_this_month.by_currency).toEqual([]);
  });

  it("counts this month's invoices of the caller, by currency", async () => {
    const { db } = c.database;
    const base = {
      issuer_account_id: reseller.accountId,
      account_id: resellerCustomer.accountId,
      period: "2026-01",
      corrects_invoice_id: null,
      currency: "CAD",
      subtotal_minor: 1000,
      tax_minor: 130,
      total_minor: 1130,
      amount_due_minor: 1130,
      due_at: new Date(),
    };
    await db
      .insertInto("invoices")
      .values([
        { ...base, id: "inv_dash_1", number: "DASH-1" },
        {
          ...base,
          id: "inv_dash_2",
          number: "DASH-2",
          period: "2026-02",
          amount_due_minor: 0,
          status: "paid",
        },
      ])
      .execute();
    const res = await reseller.api.get("/dashboard");
    expect(res.body.revenue_this_month.by_currency).toEqual([
      { currency: "CAD", invoices: 2, invoiced_minor: 2260, credited_minor: 0, paid_minor: 1130 },
    ]);
    const mine = await provider.get("/dashboard");
    expect(mine.body.revenue_this_month.by_currency.some((r: { invoices: number }) => r.invoices > 0)).toBe(
      false,
    );
  });

  it("refuses customers", async () => {
    const res = await directCustomer.api.get("/dashboard");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBeDefined();
    const anonymous = await apiClient(c.url).get("/dashboard");
    expect(anonymous.status).toBe(401);
  });
});
