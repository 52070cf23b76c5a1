import { enqueueWebhookEvent } from "@layerboom/controller";
import type { WebhookEvent } from "@layerboom/controller";
import { startTestDnsServer } from "@layerboom/testkit";
import type { TestDnsServer } from "@layerboom/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { freePort, startReceiver } from "./receiver.js";
import type { Receiver } from "./receiver.js";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("signed webhooks on %s", (kind) => {
  let c: TestController;
  let world: World;
  let receiver: Receiver;
  let latePort: number;
  let dns: TestDnsServer;

  beforeAll(async () => {
    receiver = await startReceiver();
    latePort = await freePort();
    // Knows no names, so the World's endpoint (a name) fails at once, whatever this machine's DNS.
    dns = await startTestDnsServer({});
    c = await startTestController(kind, {
      webhooks: { pollMs: 20, backoffBaseMs: 40, backoffMaxMs: 200, maxAttempts: 6, timeoutMs: 2_000 },
      // Loopback receivers are not public: the provider allowlist names exactly these two.
      outbound: {
        allowlist: [`127.0.0.1:${receiver.port}`, `127.0.0.1:${latePort}`],
        dnsServers: [dns.address],
      },
    });
    world = await buildWorld(c);
  });
  afterAll(async () => {
    await c?.close();
    await receiver?.close();
    await dns?.close();
  });

  /** Registers an endpoint at `path` on the receiver and teaches the receiver its secret. */
  async function register(api: ApiClient, path: string, events: string[], on: Receiver = receiver) {
    const res = await api.post("/webhooks", { url: `${on.url}${path}`, events });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_/);
    on.secrets.set(path, res.body.secret as string);
    return res.body as { id: string; secret: string };
  }

  async function emit(event: WebhookEvent): Promise<string> {
    return c.database.db.transaction().execute((trx) => enqueueWebhookEvent(trx, event));
  }

  it("signs each delivery for the account's endpoints and its ancestors', and nobody else's", async () => {
    const reseller = await register(world.reseller1.api, "/reseller1", ["server.created", "invoice.paid"]);
    await register(world.customer1.api, "/customer1", ["server.created"]);
    await register(world.reseller2.api, "/reseller2", ["server.created"]);
    await register(world.provider, "/provider-invoices", ["invoice.paid"]);

    const listed = await world.reseller1.api.get("/webhooks");
    expect(listed.status).toBe(200);
    const mine = (listed.body.items as Record<string, unknown>[]).find((w) => w["id"] === reseller.id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty("secret");

    const eventId = await emit({
      accountId: world.customer1.accountId,
      type: "server.created",
      payload: { server_id: world.a.serverId, name: "web1" },
    });
    const got = await receiver.waitFor((r) => r.json.id === eventId, 2);
    await new Promise((r) => setTimeout(r, 200));
    const all = receiver.received.filter((r) => r.json.id === eventId);
    expect(all.map((r) => r.path).sort()).toEqual(["/customer1", "/reseller1"]);
    for (const r of got) {
      expect(r.verdict).toBeUndefined();
      expect(r.event).toBe("server.created");
      expect(r.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(r.json).toMatchObject({
        type: "server.created",
        account_id: world.customer1.accountId,
        data: { server_id: world.a.serverId, name: "web1" },
      });
    }
    const deliveries = await world.reseller1.api.get(`/webhooks/${reseller.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    const row = (deliveries.body.items as { id: string; event_id: string }[]).find(
      (d) => d.event_id === eventId,
    );
    expect(row).toMatchObject({ state: "delivered", attempts: 1, last_status: 204 });
    expect(got.find((r) => r.path === "/reseller1")!.delivery).toBe(row!.id);

    // invoice.paid of a reseller's customer reaches the reseller; the provider's endpoint too (an ancestor).
    const paid = await emit({
      accountId: world.customer1.accountId,
      type: "invoice.paid",
      payload: { n: 1 },
    });
    const paidGot = await receiver.waitFor((r) => r.json.id === paid, 2);
    expect(paidGot.map((r) => r.path).sort()).toEqual(["/provider-invoices", "/reseller1"]);
  });

  it("sends nothing for a rolled-back change", async () => {
    let eventId = "";
    await expect(
      c.database.db.transaction().execute(async (trx) => {
        eventId = await enqueueWebhookEvent(trx, {
          accountId: world.customer1.accountId,
          type: "server.created",
          payload: {},
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(eventId).toMatch(/^evt_/);
    const rows = await c.database.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("event_id", "=", eventId)
      .execute();
    expect(rows).toEqual([]);
  });

  it("retries an endpoint that refuses connections, then answers 500, until the event arrives", async () => {
    const port = latePort;
    const res = await world.customer3.api.post("/webhooks", {
      url: `http://127.0.0.1:${port}/late`,
      events: ["server.suspended"],
    });
    expect(res.status).toBe(201);
    const eventId = await emit({
      accountId: world.customer3.accountId,
      type: "server.suspended",
      payload: { reason: "unpaid" },
    });
    const deliveries = () => world.customer3.api.get(`/webhooks/${res.body.id}/deliveries`);
    // Wait for a refused attempt to be recorded before the receiver exists.
    for (let i = 0; i < 100; i++) {
      const d = (await deliveries()).body.items[0];
      if (d?.attempts >= 1 && d.last_error) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const refused = (await deliveries()).body.items[0];
    expect(refused.state).toBe("pending");
    // The same words for a closed port as for any failed connection: deliveries scan no ports.
    expect(refused.last_error).toBe("could not connect to 127.0.0.1");

    const late = await startReceiver(port, (_r, seen) => (seen <= 2 ? 500 : 200));
    late.secrets.set("/late", res.body.secret as string);
    try {
      const got = await late.waitFor((r) => r.json.id === eventId, 3);
      expect(new Set(got.map((r) => r.delivery)).size).toBe(1);
      expect(new Set(got.map((r) => r.body)).size).toBe(1);
      expect(got.every((r) => r.verdict === undefined)).toBe(true);
      let final = refused;
      for (let i = 0; i < 100 && final.state !== "delivered"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        final = (await deliveries()).body.items[0];
      }
      expect(final).toMatchObject({ state: "delivered", last_status: 200, last_error: null });
      expect(final.attempts).toBeGreaterThanOrEqual(4);
    } finally {
      await late.close();
    }
  });

  it("marks a delivery failed after the last attempt, with the reason", async () => {
    const eventId = await emit({
      accountId: world.customer1.accountId,
      type: "server.created",
      payload: { server_id: "srv_nowhere" },
    });
    // The World's own endpoint of customer 1 is a name that does not resolve.
    let row: { state: string; attempts: number; last_error: string } | undefined;
    for (let i = 0; i < 250; i++) {
      const list = await world.customer1.api.get(`/webhooks/${world.a.webhookId}/deliveries?state=failed`);
      row = (list.body.items as (typeof row & { event_id: string })[]).find((d) => d.event_id === eventId);
      if (row) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(row).toMatchObject({ state: "failed", attempts: 6 });
    expect(row!.last_error).toBe("could not resolve crm.customer1.test");
  });

  it("refuses bad endpoints with the field named, and keeps webhooks to admins and their own tenants", async () => {
    const ftp = await world.customer1.api.post("/webhooks", {
      url: "ftp://billing.test/x",
      events: ["invoice.paid"],
    });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error.details.field).toBe("url");
    expect(ftp.body.error.message).toContain("ftp");
    const relative = await world.customer1.api.post("/webhooks", { url: "/hooks", events: ["invoice.paid"] });
    expect(relative.status).toBe(400);
    expect(relative.body.error.details.field).toBe("url");
    const unknown = await world.customer1.api.post("/webhooks", {
      url: "https://billing.test/x",
      events: ["server.exploded"],
    });
    expect(unknown.status).toBe(400);
    const none = await world.customer1.api.post("/webhooks", { url: "https://billing.test/x", events: [] });
    expect(none.status).toBe(400);

    const member = await world.provider.post("/users", {
      account_id: world.customer1.accountId,
      email: `hook-member-${Date.now()}@example.test`,
      role: "customer-member",
      password: "correct horse battery staple",
    });
    expect(member.status).toBe(201);
    const login = await world.customer1.api.post("/auth/token", {
      email: member.body.email,
      password: "correct horse battery staple",
    });
    const memberApi = apiClient(c.url, login.body.token as string);
    const forbidden = await memberApi.post("/webhooks", {
      url: "https://billing.test/x",
      events: ["invoice.paid"],
    });
    expect(forbidden.status).toBe(403);

    for (const outsider of [world.customer2.api, world.reseller2.api, world.customer3.api]) {
      expect((await outsider.get(`/webhooks/${world.a.webhookId}/deliveries`)).status).toBe(404);
      expect((await outsider.del(`/webhooks/${world.a.webhookId}`)).status).toBe(404);
    }
    const temp = await world.customer1.api.post("/webhooks", {
      url: "https://billing.test/x",
      events: ["invoice.paid"],
    });
    expect((await world.reseller1.api.del(`/webhooks/${temp.body.id}`)).status).toBe(204);
    expect((await world.customer1.api.get(`/webhooks/${temp.body.id}/deliveries`)).status).toBe(404);
  });
});
