import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_METRICS_TOKEN, TEST_SSH_KEY, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("REST API over HTTP on %s", (kind) => {
  let c: TestController;
  let world: World;
  let admin: ApiClient;

  beforeAll(async () => {
    c = await startTestController(kind);
    admin = apiClient(c.url, c.adminToken);
    world = await buildWorld(c);
  });
  afterAll(async () => c?.close());

  it("runs a server's record through its lifecycle and audits every step", async () => {
    const api = world.customer1.api;
    const created = await api.post("/servers", {
      name: "db1",
      site_id: world.siteId,
      plan_id: world.planId,
      image_id: world.imageId,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "db1",
      desired_state: "running",
      observed_state: "provisioning",
      host_id: world.hostId,
    });
    const id = created.body.id as string;
    expect((await api.post(`/servers/${id}/stop`)).body.desired_state).toBe("stopped");
    expect((await api.post(`/servers/${id}/reboot`)).status).toBe(409);
    expect((await api.post(`/servers/${id}/start`)).body.desired_state).toBe("running");
    expect((await api.post(`/servers/${id}/reboot`)).status).toBe(200);
    expect((await api.del(`/servers/${id}`)).body.desired_state).toBe("deleted");
    // The record stays, marked for deletion, until the host's agent confirms the disk is gone.
    expect((await api.get(`/servers/${id}`)).body).toMatchObject({ desired_state: "deleted" });
    const late = await api.post(`/servers/${id}/start`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/being deleted/);
    const audit = await world.customer1.api.get(`/audit-log?resource_id=${id}`);
    expect((audit.body.items as { action: string }[]).map((e) => e.action).reverse()).toEqual([
      "server.create",
      "server.stop",
      "server.start",
      "server.reboot",
      "server.delete",
    ]);
  });

  it("pages through lists with a cursor and filters them", async () => {
    const api = world.customer1.api;
    for (let i = 0; i < 5; i++) {
      await api.post("/servers", {
        name: `page-${i}`,
        site_id: world.siteId,
        plan_id: world.planId,
        image_id: world.imageId,
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { name: string }[]; next_cursor: string | null } } = await api.get(
        `/servers?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((s) => s.name));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.filter((n) => n.startsWith("page-"))).toEqual([
      "page-0",
      "page-1",
      "page-2",
      "page-3",
      "page-4",
    ]);
    expect(new Set(seen).size).toBe(seen.length);
    const filtered = await api.get("/servers?name=page-3");
    expect(filtered.body.items.map((s: { name: string }) => s.name)).toEqual(["page-3"]);
    expect((await api.get("/servers?cursor=%%%")).status).toBe(400);
  });

  it("replays a create with the same Idempotency-Key and refuses the key with another body", async () => {
    const api = world.customer1.api;
    const body = { name: "idem", site_id: world.siteId, plan_id: world.planId, image_id: world.imageId };
    const first = await api.post("/servers", body, { "idempotency-key": "k-1" });
    const again = await api.post("/servers", body, { "idempotency-key": "k-1" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await api.post("/servers", { ...body, name: "idem2" }, { "idempotency-key": "k-1" });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("idempotency_key_conflict");
    const list = await api.get("/servers?name=idem");
    expect(list.body.items).toHaveLength(1);
    // Keys belong to a user: another user may use the same key for its own request.
    const elsewhere = await world.customer2.api.post(
      "/ssh-keys",
      { name: "k", public_key: TEST_SSH_KEY },
      { "idempotency-key": "k-1" },
    );
    expect(elsewhere.status).toBe(201);
  });

  it("answers bad input with 400/413 and a message that names the field", async () => {
    const api = world.customer1.api;
    const cases: [string, unknown, number, string | RegExp][] = [
      [
        "/servers",
        { name: "x", site_id: world.siteId, plan_id: world.planId, image_id: world.imageId, colour: "red" },
        400,
        /unknown field "colour"/,
      ],
      [
        "/servers",
        { name: 7, site_id: world.siteId, plan_id: world.planId, image_id: world.imageId },
        400,
        /"name" must be string/,
      ],
      [
        "/servers",
        { site_id: world.siteId, plan_id: world.planId, image_id: world.imageId },
        400,
        /missing the required field "name"/,
      ],
      [
        "/servers",
        { name: "Bad Name!", site_id: world.siteId, plan_id: world.planId, image_id: world.imageId },
        400,
        /hostname/,
      ],
      [
        "/servers",
        {
          name: "ok",
          site_id: "site_06h0000000000000000000000",
          plan_id: world.planId,
          image_id: world.imageId,
        },
        400,
        /Unknown site/,
      ],
      ["/ssh-keys", { name: "k", public_key: "ssh-rsa not-base64!" }, 400, /base64/],
      ["/ssh-keys", { name: "k", public_key: "-----BEGIN OPENSSH PRIVATE KEY-----" }, 400, /private key/],
      ["/servers", "{not json", 400, /not valid JSON/],
      ["/servers", { name: "x".repeat(300 * 1024) }, 413, /too large/],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await api.post(path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    const site = await admin.post("/sites", { name: "mars", country_code: "CA", time_zone: "Mars/Olympus" });
    expect(site.status).toBe(400);
    expect(site.body.error.details.field).toBe("time_zone");
    const deletedImage = await admin.post("/images", { name: "gone", visibility: "public" });
    await admin.del(`/images/${deletedImage.body.id}`);
    const onDeleted = await api.post("/servers", {
      name: "z",
      site_id: world.siteId,
      plan_id: world.planId,
      image_id: deletedImage.body.id,
    });
    expect(onDeleted.status).toBe(400);
    expect(onDeleted.body.error.details.field).toBe("image_id");
    // A plan's cap below its hourly price is refused on a change as on a create, and changes nothing.
    const before = (await admin.get(`/plans/${world.planId}`)).body;
    const lowCap = await admin.patch(`/plans/${world.planId}`, {
      monthly_cap_minor: before.hourly_price_minor - 1,
    });
    expect(lowCap.status).toBe(400);
    expect(lowCap.body.error.details.field).toBe("monthly_cap_minor");
    expect(lowCap.body.error.message).toMatch(/cannot be lower than the hourly price/);
    expect((await admin.get(`/plans/${world.planId}`)).body).toEqual(before);
  });

  it("refuses forbidden actions with 403 and conflicts with 409", async () => {
    const customer = world.customer1.api;
    expect((await customer.post("/sites", { name: "x", country_code: "CA", time_zone: "UTC" })).status).toBe(
      403,
    );
    expect((await customer.post("/accounts", { kind: "customer", name: "sub" })).status).toBe(403);
    expect((await customer.post("/images", { name: "pub", visibility: "public" })).status).toBe(403);
    expect((await customer.post("/users", { email: "x@y.test", role: "customer-member" })).status).toBe(403);
    expect((await customer.post("/invitations", { email: "x@y.test", role: "provider-admin" })).status).toBe(
      400,
    );
    // This controller has no SMTP server: an invitation nobody would receive is refused, and nothing is stored.
    const unsent = await customer.post("/invitations", { email: "x@y.test", role: "customer-member" });
    expect(unsent.status).toBe(409);
    expect(unsent.body.error.details.reason).toBe("no_mail");
    const dup = await customer.post("/servers", {
      name: "web1",
      site_id: world.siteId,
      plan_id: world.planId,
      image_id: world.imageId,
    });
    expect(dup.status).toBe(409);
    expect((await admin.post("/sites", { name: "local", country_code: "CA", time_zone: "UTC" })).status).toBe(
      409,
    );
  });

  it("serves OpenAPI 3.1, health, readiness, metrics and request ids", async () => {
    const base = c.url.replace(/\/api\/v1$/, "");
    const anon = apiClient(base);
    const doc = await apiClient(c.url).get("/openapi.json");
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/servers", "/servers/{id}", "/accounts"]),
    );
    expect((await anon.get("/healthz")).status).toBe(200);
    expect((await anon.get("/readyz")).body.status).toBe("ready");
    expect((await anon.get("/metrics")).status).toBe(401);
    const metrics = await anon.get("/metrics", { authorization: `Bearer ${TEST_METRICS_TOKEN}` });
    expect(metrics.body).toContain("layerboom_http_request_duration_seconds");
    const traced = await admin.get("/me", { "x-request-id": "trace-123" });
    expect(traced.headers.get("x-request-id")).toBe("trace-123");
    expect((await anon.get("/nowhere")).body.error.code).toBe("route_not_found");
  });
});
