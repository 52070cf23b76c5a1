import { runBackupSchedule } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { buildWorld, createTenant } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

// The backups add-on without a real host (the idle host of the world keeps servers
// provisioning): the API's rules, the audit trail, the schedule and retention, and the
// invoice line. test/servers/backups.on-real-qemu.test.ts takes and restores real backups.

describeOnEachDatabase("backups add-on on %s", (kind) => {
  let c: TestController;
  let world: World;
  let planId: string;

  async function newServer(tenant: Tenant, name: string): Promise<string> {
    const res = await tenant.api.post("/servers", {
      name,
      site_id: world.siteId,
      plan_id: planId,
      image_id: world.imageId,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
    // 7 minor units an hour, capped at 3000 a month; backups at 25 %.
    const plan = await world.provider.post("/plans", {
      name: "backed",
      vcpus: 1,
      memory_mib: 256,
      disk_gib: 1,
      transfer_gib: 0,
      hourly_price_minor: 7,
      monthly_cap_minor: 3000,
      backups_price_percent: 25,
      currency: "CAD",
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    expect(plan.body.backups_price_percent).toBe(25);
    planId = plan.body.id;
  }, 120_000);

  afterAll(async () => c?.close());

  it("creates a server with backups on: the add-on is billed from the server's creation", async () => {
    const tenant = await createTenant(c, world.provider, "customer");
    const res = await tenant.api.post("/servers", {
      name: "backed-from-birth",
      site_id: world.siteId,
      plan_id: planId,
      image_id: world.imageId,
      backups_enabled: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.backups_enabled).toBe(true);
    const [usage, addons] = await Promise.all([
      c.database.db.selectFrom("usage_intervals").selectAll().where("server_id", "=", res.body.id).execute(),
      c.database.db.selectFrom("addon_intervals").selectAll().where("server_id", "=", res.body.id).execute(),
    ]);
    expect(addons).toHaveLength(1);
    expect(addons[0]).toMatchObject({ kind: "backups", ended_at: null, plan_id: planId });
    expect(addons[0]!.started_at.getTime()).toBe(usage[0]!.started_at.getTime());
    // Gone again, so the scheduling test below sees only its own servers.
    expect((await tenant.api.del(`/servers/${res.body.id}`)).status).toBe(200);
  });

  it("turns backups on and off with an add-on interval in the same transaction, audited", async () => {
    const tenant = await createTenant(c, world.provider, "customer");
    const id = await newServer(tenant, "toggled");
    const on = await tenant.api.put(`/servers/${id}/backups-enabled`, { enabled: true });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body.backups_enabled).toBe(true);
    // Turning it on twice opens one interval.
    expect((await tenant.api.put(`/servers/${id}/backups-enabled`, { enabled: true })).status).toBe(200);
    const open = await c.database.db
      .selectFrom("addon_intervals")
      .selectAll()
      .where("server_id", "=", id)
      .execute();
    expect(open).toEqual([
      expect.objectContaining({
        kind: "backups",
        plan_id: planId,
        account_id: tenant.accountId,
        ended_at: null,
      }),
    ]);
    expect(
      (await tenant.api.put(`/servers/${id}/backups-enabled`, { enabled: false })).body.backups_enabled,
    ).toBe(false);
    expect((await tenant.api.put(`/servers/${id}/backups-enabled`, { enabled: true })).status).toBe(200);
    // Deleting the server closes the open interval in its own transaction.
    expect((await tenant.api.del(`/servers/${id}`)).status).toBe(200);
    const all = await c.database.db
      .selectFrom("addon_intervals")
      .selectAll()
      .where("server_id", "=", id)
      .orderBy("started_at")
      .execute();
    expect(all).toHaveLength(2);
    expect(all.every((i) => i.ended_at !== null)).toBe(true);
    // The database refuses a second open interval of one kind for a server.
    const row = { server_id: id, account_id: tenant.accountId, plan_id: planId, kind: "backups" as const };
    await expect(
      c.database.db
        .insertInto("addon_intervals")
        .values([
          { ...row, id: "add_x1", started_at: new Date(), ended_at: null },
          { ...row, id: "add_x2", started_at: new Date(), ended_at: null },
        ])
        .execute(),
    ).rejects.toThrow();
    const audit = await tenant.api.get("/audit-log?limit=200");
    const actions = (audit.body.items as { action: string; resource_id: string }[])
      .filter((e) => e.resource_id === id)
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["server.backups.enable", "server.backups.disable"]));
  });

  it("takes one backup at a time, refuses to restore one that is not available, and deletes", async () => {
    const tenant = await createTenant(c, world.provider, "customer");
    const id = await newServer(tenant, "manual");
    const first = await tenant.api.post(`/servers/${id}/backups`);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ state: "pending", kind: "manual", size_bytes: null });
    const second = await tenant.api.post(`/servers/${id}/backups`);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(first.body.id);
    const restore = await tenant.api.post(`/servers/${id}/restore`, { backup_id: first.body.id });
    expect(restore.status).toBe(409);
    expect(restore.body.error.message).toMatch(/pending/);
    // Another server's backup id is not found through this server.
    const other = await newServer(tenant, "manual-2");
    expect((await tenant.api.post(`/servers/${other}/restore`, { backup_id: first.body.id })).status).toBe(
      404,
    );
    expect((await tenant.api.del(`/servers/${other}/backups/${first.body.id}`)).status).toBe(404);
    const deleted = await tenant.api.del(`/servers/${id}/backups/${first.body.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.state).toBe("deleting");
    const list = await tenant.api.get(`/servers/${id}/backups`);
    expect(list.body.items).toEqual([expect.objectContaining({ id: first.body.id, state: "deleting" })]);
    // A deleting backup is no longer pending: a new one may be taken.
    expect((await tenant.api.post(`/servers/${id}/backups`)).status).toBe(201);
    const actions = ((await tenant.api.get("/audit-log?limit=200")).body.items as any[])
      .filter((e) => e.resource_id === id)
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["server.backup.create", "server.backup.delete"]));
  });

  it("schedules one backup a day for servers with backups on and keeps the newest seven", async () => {
    const tenant = await createTenant(c, world.provider, "customer");
    const id = await newServer(tenant, "scheduled");
    const off = await newServer(tenant, "not-scheduled");
    await tenant.api.put(`/servers/${id}/backups-enabled`, { enabled: true });
    const day = 24 * 3_600_000;
    const start = Date.now() + 1_000 * day;
    const scheduled = async () =>
      (
        await c.database.db
          .selectFrom("backups")
          .selectAll()
          .where("server_id", "in", [id, off])
          .where("kind", "=", "scheduled")
          .orderBy("requested_at")
          .execute()
      ).map((b) => ({ ...b, server: b.server_id }));
    for (let d = 0; d < 9; d++) {
      const run = await runBackupSchedule(c.database, new Date(start + d * day));
      // Again the same day: nothing new (and the day's backup is still pending anyway).
      await runBackupSchedule(c.database, new Date(start + d * day + 3_600_000));
      expect(run.requested).toHaveLength(1);
      // The agent would complete it; here the test does.
      await c.database.db
        .updateTable("backups")
        .set({ state: "available", size_bytes: 1, completed_at: new Date() })
        .where("id", "=", run.requested[0]!)
        .execute();
    }
    const rows = await scheduled();
    expect(rows.every((b) => b.server === id)).toBe(true);
    expect(rows).toHaveLength(9);
    expect(rows.filter((b) => b.state === "available")).toHaveLength(7);
    // The two oldest are on their way out.
    expect(rows.slice(0, 2).map((b) => b.state)).toEqual(["deleting", "deleting"]);
  });

  it("bills a backups line per server: billed hours × price × percent, capped at the cap × percent", async () => {
    const tenant = await createTenant(c, world.provider, "customer");
    const partial = await newServer(tenant, "partial-month");
    const whole = await newServer(tenant, "whole-month");
    const none = await newServer(tenant, "no-backups");
    for (const id of [partial, whole])
      await tenant.api.put(`/servers/${id}/backups-enabled`, { enabled: true });
    const db = c.database.db;
    // Usage since before September 2026; backups on 10.5 h for one server, all month for the other.
    await db
      .updateTable("usage_intervals")
      .set({ started_at: new Date("2026-08-20T00:00:00Z") })
      .where("server_id", "in", [partial, whole, none])
      .execute();
    await db
      .updateTable("addon_intervals")
      .set({ started_at: new Date("2026-09-10T12:00:00Z"), ended_at: new Date("2026-09-10T22:30:00Z") })
      .where("server_id", "=", partial)
      .execute();
    await db
      .updateTable("addon_intervals")
      .set({ started_at: new Date("2026-08-01T00:00:00Z") })
      .where("server_id", "=", whole)
      .execute();
    // Usage shows it before the month is closed.
    const usage = await tenant.api.get("/billing/usage?period=2026-09");
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    expect(usage.body.addons).toEqual(
      expect.arrayContaining([
        // 11 hours × 7 = 77 × 25 % = 19.25 → 19.
        expect.objectContaining({ kind: "backups", serverId: partial, billedHours: 11, amountMinor: 19 }),
        // September: 720 h × 7 = 5040 × 25 % = 1260, capped at 25 % of 3000 = 750.
        expect.objectContaining({
          serverId: whole,
          billedHours: 720,
          uncappedMinor: 1260,
          amountMinor: 750,
          capped: true,
        }),
      ]),
    );
    expect(usage.body.addons).toHaveLength(2);

    const closed = await world.provider.post("/billing/close", { period: "2026-09" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const invoices = await tenant.api.get("/invoices");
    const invoice = (await tenant.api.get(`/invoices/${invoices.body.items[0].id}`)).body;
    const lines = invoice.lines.filter((l: any) => l.kind === "backups");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ server_id: partial, amount_minor: 19, quantity: "11 h" }),
        expect.objectContaining({ server_id: whole, amount_minor: 750, quantity: "720 h" }),
      ]),
    );
    expect(lines).toHaveLength(2);
    expect(lines.find((l: any) => l.server_id === whole).description).toMatch(/25%.*monthly cap/);
    // Three servers on the plan all month at the 3000 cap, plus the backups lines.
    const usageTotal = invoice.lines
      .filter((l: any) => l.kind === "usage")
      .reduce((a: number, l: any) => a + Number(l.amount_minor), 0);
    expect(usageTotal).toBe(3 * 3000);
    expect(invoice.subtotal_minor).toBe(3 * 3000 + 19 + 750);
  });

  it("bills a reseller its customers' backups at the provider's price on the wholesale invoice", async () => {
    const customer = await createTenant(c, world.reseller1.api, "customer");
    const server = await newServer(customer, "resold");
    expect((await customer.api.put(`/servers/${server}/backups-enabled`, { enabled: true })).status).toBe(
      200,
    );
    const db = c.database.db;
    await db
      .updateTable("usage_intervals")
      .set({ started_at: new Date("2026-09-25T00:00:00Z") })
      .where("server_id", "=", server)
      .execute();
    // Backups on for 10 hours in October.
    await db
      .updateTable("addon_intervals")
      .set({ started_at: new Date("2026-10-05T00:00:00Z"), ended_at: new Date("2026-10-05T10:00:00Z") })
      .where("server_id", "=", server)
      .execute();
    const closed = await world.provider.post("/billing/close", { period: "2026-10" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const wholesale = (await world.reseller1.api.get("/invoices?period=2026-10")).body.items.find(
      (i: any) => i.account_id === world.reseller1.accountId,
    );
    expect(wholesale, "the provider's invoice to reseller 1").toBeDefined();
    const lines = (await world.reseller1.api.get(`/invoices/${wholesale.id}`)).body.lines;
    // 10 h × 7 (the provider's price) = 70 × 25 % = 17.5, rounded half up once: 18.
    expect(lines.filter((l: any) => l.kind === "backups")).toEqual([
      expect.objectContaining({ plan_id: planId, quantity: "10 h", amount_minor: 18 }),
    ]);
    expect(lines.find((l: any) => l.kind === "backups").description).toBe("Backups on plan backed: 1 server");
  });
});
