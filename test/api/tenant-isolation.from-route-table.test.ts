import { newId } from "@layerboom/core";
import type { IdKind } from "@layerboom/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/**
 * Every route that takes an id, read from the live OpenAPI document (which Fastify builds
 * from the route table). A new `{id}` route without an entry here fails the test, so
 * isolation is decided for every route, not only the ones someone remembered.
 */
const RESOURCES: Record<
  string,
  { kind: IdKind | (() => string); ownedByA: (w: World) => string } | { shared: true }
> = {
  accounts: { kind: "account", ownedByA: (w) => w.customer1.accountId },
  users: { kind: "user", ownedByA: (w) => w.a.memberUserId },
  invitations: { kind: "invitation", ownedByA: (w) => w.a.invitationId },
  tokens: { kind: "token", ownedByA: (w) => w.a.tokenId },
  // EC2 access keys are their user's alone; their ids are AWS-shaped (AKIA…), not ours.
  "ec2-credentials": { kind: () => "AKIAAAAAAAAAAAAAAAAA", ownedByA: () => ec2KeyId },
  "ssh-keys": { kind: "sshKey", ownedByA: (w) => w.a.sshKeyId },
  servers: { kind: "server", ownedByA: (w) => w.a.serverId },
  images: { kind: "image", ownedByA: (w) => w.a.imageId },
  "image-jobs": { kind: "job", ownedByA: (w) => w.a.jobId },
  // A ticket is seen by its customer and the handling account's staff (reseller 1), nobody else.
  tickets: { kind: "ticket", ownedByA: (w) => w.a.ticketId },
  webhooks: { kind: "webhook", ownedByA: (w) => w.a.webhookId },
  // An invoice is seen by its customer and its issuer's subtree above it, nobody else.
  invoices: { kind: "invoice", ownedByA: (w) => w.a.invoiceId },
  // Hosts are the provider's machines: to every other tenant they do not exist at all.
  hosts: { kind: "host", ownedByA: (w) => w.hostId },
  // So are a site's IPv4 pools (the provider's address plan).
  "ip-pools": { kind: "ipPool", ownedByA: () => poolId },
  // A portal domain claim (/branding/domains/{id}) is its reseller's and the provider's business only.
  branding: { kind: "portalDomain", ownedByA: () => portalDomainId },
  // Federation peers are the provider's business: to every other tenant they do not exist at all.
  federation: { kind: "federationPeer", ownedByA: () => peerId },
  // A server at a partner's site is its customer's, like a server (docs/federation.md, "A's mirror").
  "remote-servers": { kind: "remoteServer", ownedByA: () => remoteServerId },
  // The provider's catalogue is shared by design: everyone reads it, only provider admins change it.
  sites: { shared: true },
  plans: { shared: true },
};

const BODIES: Record<string, unknown> = {
  "PATCH /accounts/{id}": { name: "stolen" },
  "PATCH /users/{id}": { name: "stolen" },
  "PUT /accounts/{id}/two-factor": { required: false },
  "PATCH /plans/{id}": { active: false },
  "POST /images/{id}/exports": { format: "qcow2" },
  "PATCH /tickets/{id}": { status: "closed" },
  "POST /tickets/{id}/messages": { body: "stolen" },
  "POST /invoices/{id}/payments": { amount_minor: 1, method: "stolen" },
  "POST /invoices/{id}/credit-notes": { amount_minor: 1, reason: "stolen" },
  "PUT /servers/{id}/backups-enabled": { enabled: true },
  "POST /servers/{id}/restore": { backup_id: newId("backup") },
  "POST /servers/{id}/image": { name: "stolen" },
  "POST /branding/domains/{id}/verify": { method: "dns" },
  "POST /federation/peers/{id}/approve": { fingerprint: "sha256:stolen" },
  "POST /federation/peers/{id}/offer": { currency: "CAD", site_ids: [], plans: [] },
  "POST /remote-servers/{id}/actions": { action: "stop" },
};

/** Required query parameters, so that a probe reaches the id's check and not the schema's. */
const QUERIES: Record<string, string> = {
  "GET /federation/peers/{id}/reconciliation": "?month=2026-11",
};

/** Path parameters after `{id}`: each gets a value that exists nowhere. */
const OTHER_PARAMS: Record<string, () => string> = {
  backup_id: () => newId("backup"),
  address: () => "198.51.100.250",
};

let poolId = "";
let ec2KeyId = "";
let portalDomainId = "";
let peerId = "";
let remoteServerId = "";

describeOnEachDatabase("tenant isolation on %s", (kind) => {
  let c: TestController;
  let world: World;
  let routes: { method: string; path: string; resource: string }[] = [];

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
    // On a site of its own, so the world's servers keep private networking.
    const site = await world.provider.post("/sites", {
      name: "pooled",
      country_code: "CA",
      time_zone: "America/Toronto",
    });
    const pool = await world.provider.post(`/sites/${site.body.id}/ip-pools`, {
      cidr: "198.51.100.0/24",
      gateway: "198.51.100.1",
      bridge: "br-isolation",
    });
    expect(pool.status).toBe(201);
    poolId = pool.body.id;
    const claim = await world.reseller1.api.post("/branding/domains", { domain: "portal.isolation.test" });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    portalDomainId = claim.body.id;
    const key = await world.customer1.api.post("/ec2-credentials", { name: "isolation" });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    ec2KeyId = key.body.id;
    peerId = newId("federationPeer");
    await c.database.db
      .insertInto("federation_peers")
      .values({
        id: peerId,
        name: "Partner",
        url: "https://partner.example",
        public_key: "A".repeat(43),
        fingerprint: "sha256:isolation",
        origin: "joined",
      })
      .execute();
    // Tenant A's server at the partner's site, as a create through /remote-servers records it.
    const offerId = newId("federationOfferReceived");
    const versionId = newId("federationOfferVersion");
    remoteServerId = newId("remoteServer");
    await c.database.db
      .insertInto("federation_offers_received")
      .values({ id: offerId, peer_id: peerId, remote_offer_id: "offer_x", current_version: 1 })
      .execute();
    await c.database.db
      .insertInto("federation_offer_received_versions")
      .values({
        id: versionId,
        offer_id: offerId,
        version: 1,
        document: "{}",
        signature: "x",
        key_id: "sha256:isolation",
        received_via: "push",
      })
      .execute();
    await c.database.db
      .insertInto("remote_servers")
      .values({
        id: remoteServerId,
        account_id: world.customer1.accountId,
        name: "remote-a",
        peer_id: peerId,
        offer_version_id: versionId,
        remote_site_id: "site_x",
        remote_plan_id: "plan_x",
        image_id: world.a.imageId,
        currency: "CAD",
        retail_hourly_minor: 2,
        retail_monthly_cap_minor: 2,
        wholesale_hourly_minor: 1,
        wholesale_monthly_cap_minor: 1,
        desired_state: "running",
      })
      .execute();
    const doc = await world.provider.get("/openapi.json");
    routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.includes("{"))
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => ({
          method: method.toUpperCase(),
          path,
          resource: path.split("/")[1] ?? "",
        })),
      );
  });
  afterAll(async () => c?.close());

  it("finds the id routes in the OpenAPI document, each with a decision", async () => {
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) {
      expect(RESOURCES, `${r.method} ${r.path} needs an isolation decision`).toHaveProperty(r.resource);
      // The resource's id comes first; any other parameter must be one this test can fill.
      const params = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "");
      expect(params[0], `${r.method} ${r.path}: the first parameter must be {id}`).toBe("id");
      for (const param of params.slice(1))
        expect(OTHER_PARAMS, `${r.method} ${r.path}: add {${param}} to OTHER_PARAMS`).toHaveProperty(param);
    }
  });

  async function probe(api: ApiClient, method: string, path: string, id: string) {
    const key = `${method} ${path}`;
    return api.call(
      method,
      // A second id in the path (a server's backup) is one that exists nowhere.
      path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
        name === "id" ? id : (OTHER_PARAMS[name]?.() ?? name),
      ) + (QUERIES[key] ?? ""),
      method === "GET" || method === "DELETE" ? undefined : (BODIES[key] ?? {}),
    );
  }

  it("answers 404 to other tenants for tenant A's resources, exactly as for ids that do not exist", async () => {
    const outsiders = {
      "sibling customer": world.customer2,
      "sibling reseller": world.reseller2,
      "direct customer": world.customer3,
    };
    let checked = 0;
    for (const r of routes) {
      const decision = RESOURCES[r.resource];
      if (!decision || "shared" in decision) continue;
      const owned = decision.ownedByA(world);
      const missing = typeof decision.kind === "function" ? decision.kind() : newId(decision.kind);
      for (const [who, outsider] of Object.entries(outsiders)) {
        const res = await probe(outsider.api, r.method, r.path, owned);
        const ghost = await probe(outsider.api, r.method, r.path, missing);
        const label = `${who}: ${r.method} ${r.path}`;
        expect(res.status, label).toBe(404);
        expect(res.body.error.code, label).toBe(ghost.body.error.code);
        expect(res.body.error.message.replace(owned, "ID"), label).toBe(
          ghost.body.error.message.replace(missing, "ID"),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // And the owner still sees the server untouched.
    const mine = await world.customer1.api.get(`/servers/${world.a.serverId}`);
    expect(mine.status).toBe(200);
    expect(mine.body.desired_state).toBe("running");
  });

  it("lets the owning reseller and the provider see tenant A's resources", async () => {
    for (const api of [world.reseller1.api, world.provider]) {
      expect((await api.get(`/servers/${world.a.serverId}`)).status).toBe(200);
      expect((await api.get(`/accounts/${world.customer1.accountId}`)).status).toBe(200);
    }
  });

  it("shows other tenants none of tenant A's ids or its email in any list (every GET route without an id)", async () => {
    const doc = await world.provider.get("/openapi.json");
    const lists = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .filter(([path, ops]) => !path.includes("{") && "get" in ops && path !== "/openapi.json")
      .map(([path]) => path);
    const secrets = [world.customer1.accountId, world.customer1.email, ...Object.values(world.a)];
    let checked = 0;
    for (const outsider of [world.customer2, world.reseller2, world.customer3]) {
      for (const path of lists) {
        const res = await outsider.api.get(path);
        const text = JSON.stringify(res.body);
        for (const secret of secrets) expect(text, `${path} shows ${secret}`).not.toContain(secret);
        if (res.status === 200) checked++;
      }
    }
    expect(lists.length).toBeGreaterThan(20);
    expect(checked).toBeGreaterThan(30);
  });

  it("never shows a reseller its sibling's customers in lists", async () => {
    const accounts = await world.reseller2.api.get("/accounts?limit=200");
    const ids = (accounts.body.items as { id: string }[]).map((a) => a.id);
    expect(ids).toContain(world.customer2.accountId);
    expect(ids).not.toContain(world.customer1.accountId);
    expect(ids).not.toContain(world.reseller1.accountId);
    const servers = await world.reseller2.api.get("/servers?limit=200");
    expect(servers.body.items).toEqual([]);
    const users = await world.reseller2.api.get("/users?limit=200");
    expect((users.body.items as { email: string }[]).map((u) => u.email)).not.toContain(
      world.customer1.email,
    );
    const audit = await world.reseller2.api.get("/audit-log?limit=200");
    expect((audit.body.items as { resource_id: string }[]).map((e) => e.resource_id)).not.toContain(
      world.a.serverId,
    );
  });

  it("refuses a reseller that names a sibling's account as parent or owner", async () => {
    const res = await world.reseller2.api.post("/accounts", {
      kind: "customer",
      name: "x",
      parent_id: world.reseller1.accountId,
    });
    expect(res.status).toBe(404);
    const srv = await world.customer2.api.post("/servers", {
      name: "evil",
      site_id: world.siteId,
      plan_id: world.planId,
      image_id: world.imageId,
      ssh_key_ids: [world.a.sshKeyId],
    });
    expect(srv.status).toBe(400);
    expect(srv.body.error.details.field).toBe("ssh_key_ids");
    const img = await world.customer2.api.post("/servers", {
      name: "evil2",
      site_id: world.siteId,
      plan_id: world.planId,
      image_id: world.a.imageId,
    });
    expect(img.status).toBe(400);
    expect(img.body.error.details.field).toBe("image_id");
  });
});
