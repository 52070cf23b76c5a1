import { buildApp, enqueueWebhookEvent } from "@layerboom/controller";
import type { App, AppOptions } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { freePort, startReceiver } from "./receiver.js";
import { describeOnEachDatabase } from "../support/databases.js";

const WEBHOOKS: AppOptions["webhooks"] = {
  pollMs: 20,
  backoffBaseMs: 40,
  backoffMaxMs: 100,
  maxAttempts: 100,
  timeoutMs: 1_500,
};

describeOnEachDatabase("webhook delivery under trouble on %s", (kind) => {
  let c: TestController;
  let admin: ApiClient;
  let providerId: string;
  let restarted: App | undefined;
  let hungPort: number;
  let crmPort: number;
  let outbound: AppOptions["outbound"];

  beforeAll(async () => {
    hungPort = await freePort();
    crmPort = await freePort();
    // Loopback receivers are not public: the provider allowlist names exactly these two.
    outbound = { allowlist: [`127.0.0.1:${hungPort}`, `127.0.0.1:${crmPort}`] };
    c = await startTestController(kind, { webhooks: WEBHOOKS, outbound });
    admin = apiClient(c.url, c.adminToken);
    const provider = await c.database.db
      .selectFrom("accounts")
      .select("id")
      .where("kind", "=", "provider")
      .executeTakeFirstOrThrow();
    providerId = provider.id;
  });
  afterAll(async () => {
    await restarted?.close();
    await c?.close();
  });

  const emit = (type: "server.created" | "server.deleted", payload: Record<string, unknown>) =>
    c.database.db
      .transaction()
      .execute((trx) => enqueueWebhookEvent(trx, { accountId: providerId, type, payload }));

  it("keeps the API fast while a receiver never answers, and records the timeout", async () => {
    const hung = await startReceiver(hungPort, () => "hang");
    try {
      const hook = await admin.post("/webhooks", { url: `${hung.url}/hang`, events: ["server.deleted"] });
      expect(hook.status).toBe(201);
      for (let i = 0; i < 20; i++) await emit("server.deleted", { n: i });
      // Every request slot of the dispatcher is now stuck on the receiver.
      await hung.waitFor(() => true, 8);
      const started = Date.now();
      let slowest = 0;
      for (let i = 0; i < 20; i++) {
        const t = Date.now();
        const res = await admin.get("/webhooks");
        expect(res.status).toBe(200);
        slowest = Math.max(slowest, Date.now() - t);
      }
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(slowest).toBeLessThan(500);

      let timedOut: { last_error: string } | undefined;
      for (let i = 0; i < 200 && !timedOut; i++) {
        const list = await admin.get(`/webhooks/${hook.body.id}/deliveries?limit=200`);
        timedOut = (list.body.items as { last_error: string | null }[]).find((d) =>
          // A receiver that never answers reads like any failed connection.
          d.last_error?.includes("could not connect to 127.0.0.1"),
        ) as { last_error: string } | undefined;
        if (!timedOut) await new Promise((r) => setTimeout(r, 25));
      }
      expect(timedOut).toBeDefined();
      expect((await admin.del(`/webhooks/${hook.body.id}`)).status).toBe(204);
      const left = await admin.get(`/webhooks/${hook.body.id}/deliveries`);
      expect(left.status).toBe(404);
      const pending = await c.database.db
        .selectFrom("webhook_deliveries")
        .select("id")
        .where("endpoint_id", "=", hook.body.id)
        .where("state", "=", "pending")
        .execute();
      expect(pending).toEqual([]);
    } finally {
      await hung.close();
    }
  });

  it("delivers what was queued before a restart, once the receiver is up", async () => {
    const port = crmPort;
    const hook = await admin.post("/webhooks", {
      url: `http://127.0.0.1:${port}/crm`,
      events: ["server.created"],
    });
    expect(hook.status).toBe(201);
    const first = await emit("server.created", { server_id: "srv_before" });
    for (let i = 0; i < 100; i++) {
      const row = await c.database.db
        .selectFrom("webhook_deliveries")
        .select(["attempts", "last_error"])
        .where("event_id", "=", first)
        .executeTakeFirstOrThrow();
      if (row.attempts >= 1 && row.last_error) break;
      await new Promise((r) => setTimeout(r, 20));
    }

    await c.app.close();
    // Queued while no controller runs at all.
    const second = await emit("server.created", { server_id: "srv_between" });
    const receiver = await startReceiver(port);
    receiver.secrets.set("/crm", hook.body.secret as string);
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(receiver.received).toEqual([]);

      restarted = await buildApp({
        database: c.database,
        blobDir: c.blobDir,
        logger: false,
        webhooks: WEBHOOKS,
        outbound,
      });
      await restarted.ready();
      const got = await receiver.waitFor((r) => r.json.id === first || r.json.id === second, 2);
      expect(got.map((r) => r.json.data["server_id"]).sort()).toEqual(["srv_before", "srv_between"]);
      expect(got.every((r) => r.verdict === undefined)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(receiver.received).toHaveLength(2);
      const rows = await c.database.db
        .selectFrom("webhook_deliveries")
        .select(["event_id", "state", "attempts"])
        .where("event_id", "in", [first, second])
        .execute();
      expect(rows.every((r) => r.state === "delivered")).toBe(true);
      expect(rows.find((r) => r.event_id === first)!.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await receiver.close();
    }
  });
});
