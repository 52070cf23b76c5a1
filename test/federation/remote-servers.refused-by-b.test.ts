import { afterAll, beforeAll, expect, it } from "vitest";
import { describeOnDatabase } from "../support/databases.js";
import { TEST_SSH_KEY } from "../support/controller.js";
import { sendSigned, strangerInstallation } from "../support/federation.js";
import { WHOLESALE, remoteServerWorld } from "../support/remote-servers.js";
import type { RemoteServerWorld } from "../support/remote-servers.js";
import { createTenant } from "../support/tenants.js";

/**
 * What B refuses of remote-server requests (docs/federation.md, "Remote servers: the protocol"),
 * sent by the test signed with A's own key, as A would send them: each refusal with the
 * contract's status and reason, in the contract's order, and nothing created.
 */
describeOnDatabase("postgres", "remote servers: what B refuses", () => {
  let w: RemoteServerWorld;
  let created = ""; // B's id of the one server the offer's capacity (1) allows

  const body = (over: Record<string, unknown> = {}) => ({
    idempotency_key: "rsv_refusals00000000000000001",
    offer_id: offerIdOnB,
    offer_version: 1,
    site_id: w.siteB,
    plan_id: w.planB,
    name: "web-1",
    image_sha256: w.sha256,
    ssh_public_keys: [TEST_SSH_KEY],
    required_jurisdictions: ["CA"],
    ...over,
  });
  let offerIdOnB = "";
  const asA = (method: "GET" | "POST", path: string, payload?: unknown) =>
    sendSigned(w.t.originB, w.t.signingA, method, path, payload === undefined ? {} : { body: payload });
  const servedCount = async () =>
    Number(
      (
        await w.t.b.database.db
          .selectFrom("federation_served_servers")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    w = await remoteServerWorld({ maxServers: 1 });
    offerIdOnB = (
      await w.t.b.database.db.selectFrom("federation_offers_made").select("id").executeTakeFirstOrThrow()
    ).id;
  }, 180_000);
  afterAll(async () => w?.t.close());

  it("refuses a stale offer version, and a site or plan the offer does not hold", async () => {
    const stale = await asA("POST", "/servers", body({ offer_version: 2 }));
    expect(stale.status, JSON.stringify(stale.body)).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: "offer_version_stale",
      details: { reason: "offer_version_stale", current_version: 1 },
    });
    const otherOffer = await asA("POST", "/servers", body({ offer_id: "offer_00000000000000000000000000" }));
    expect(otherOffer.body.error.code).toBe("offer_version_stale");

    const site = await w.t.apiB.post("/sites", {
      name: "not-offered",
      country_code: "CA",
      time_zone: "America/Toronto",
      jurisdiction: "CA",
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    const notSite = await asA("POST", "/servers", body({ site_id: site.body.id }));
    expect(notSite.status).toBe(422);
    expect(notSite.body.error).toMatchObject({ code: "not_offered", details: { field: "site_id" } });
    const plan = await w.t.apiB.post("/plans", {
      name: "not-offered",
      vcpus: 1,
      memory_mib: 512,
      disk_gib: 10,
      transfer_gib: 100,
      hourly_price_minor: 10,
      monthly_cap_minor: 1000,
      currency: "CAD",
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const notPlan = await asA("POST", "/servers", body({ plan_id: plan.body.id }));
    expect(notPlan.status).toBe(422);
    expect(notPlan.body.error).toMatchObject({ code: "not_offered", details: { field: "plan_id" } });
    expect(await servedCount()).toBe(0);
  });

  it("checks residency again: a forged create requiring FR for B's CA site is refused", async () => {
    const forged = await asA("POST", "/servers", body({ required_jurisdictions: ["FR"] }));
    expect(forged.status, JSON.stringify(forged.body)).toBe(422);
    expect(forged.body.error).toMatchObject({
      code: "outside_residency",
      details: { site_jurisdiction: "CA" },
    });
    // A requirement the site meets, and a malformed code, which never reaches the check.
    const malformed = await asA("POST", "/servers", body({ required_jurisdictions: ["france"] }));
    expect(malformed.status).toBe(400);
    expect(await servedCount()).toBe(0);
  });

  it("refuses an image B does not hold for A", async () => {
    const unknown = await asA("POST", "/servers", body({ image_sha256: "0".repeat(64) }));
    expect(unknown.status).toBe(409);
    expect(unknown.body.error).toMatchObject({ code: "image_not_ready", details: { field: "image_sha256" } });
  });

  it("creates once per key: the same key again is the same server, other parameters a mismatch, and the capacity holds", async () => {
    const first = await asA("POST", "/servers", body());
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    created = first.body.server.id;
    expect(first.body.server).toMatchObject({
      idempotency_key: "rsv_refusals00000000000000001",
      desired_state: "running",
      state: "provisioning",
      site_id: w.siteB,
      plan_id: w.planB,
    });
    const again = await asA("POST", "/servers", body());
    expect(again.status).toBe(200);
    expect(again.body.server.id).toBe(created);
    const mismatch = await asA("POST", "/servers", body({ name: "web-2" }));
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error).toMatchObject({
      code: "idempotency_mismatch",
      details: { field: "idempotency_key" },
    });
    const full = await asA(
      "POST",
      "/servers",
      body({ idempotency_key: "rsv_refusals00000000000000002", name: "web-2" }),
    );
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: "offer_capacity", details: { max_servers: 1 } });
    expect(await servedCount()).toBe(1);
    const row = await w.t.b.database.db
      .selectFrom("federation_served_servers")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ wholesale_hourly_minor: WHOLESALE.hourly, offer_version: 1 });
    // A deleted server no longer counts against the capacity.
    const deleted = await asA("POST", `/servers/${created}/delete`, {});
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.server.desired_state).toBe("deleted");
    const next = await asA(
      "POST",
      "/servers",
      body({ idempotency_key: "rsv_refusals00000000000000003", name: "web-3" }),
    );
    expect(next.status, JSON.stringify(next.body)).toBe(201);
  });

  it("answers 404 for another peer's server and for a server of B's own customers", async () => {
    // Provider C peers with B (pending), and B's admin approves it.
    const c = strangerInstallation("Provider C");
    const invite = await w.t.apiB.post("/federation/invitations", {});
    const peered = await sendSigned(w.t.originB, c.identity, "POST", "/peerings", {
      body: { token: invite.body.token, profile: c.profile },
    });
    expect(peered.status, JSON.stringify(peered.body)).toBe(201);
    const pending = await sendSigned(w.t.originB, c.identity, "GET", "/servers");
    expect(pending.status).toBe(401);
    expect(pending.body.error.details.reason).toBe("peer_pending");
    const peerC = (await w.t.apiB.get("/federation/peers")).body.items.find(
      (p: any) => p.fingerprint === c.identity.keyId,
    ).id;
    const approved = await w.t.apiB.post(`/federation/peers/${peerC}/approve`, {
      fingerprint: c.identity.keyId,
    });
    expect(approved.body.state).toBe("active");

    // A server of a customer of B's own, and (as test setup) the same server recorded as run for C.
    const local = await createTenant(w.t.b, w.t.apiB, "customer");
    const own = await w.t.apiB.post("/servers", {
      name: "own-1",
      account_id: local.accountId,
      site_id: w.siteB,
      plan_id: w.planB,
      image_id: w.imageB,
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    for (const id of [own.body.id, "srv_00000000000000000000000000"]) {
      expect((await asA("GET", `/servers/${id}`)).status).toBe(404);
      expect((await asA("POST", `/servers/${id}/actions`, { action: "stop" })).status).toBe(404);
      expect((await asA("POST", `/servers/${id}/delete`, {})).status).toBe(404);
    }
    await w.t.b.database.db
      .insertInto("federation_served_servers")
      .values({
        server_id: own.body.id,
        peer_id: peerC,
        idempotency_key: "rsv_ofc",
        request_digest: "x",
        offer_version: 1,
        currency: "CAD",
        wholesale_hourly_minor: 1,
        wholesale_monthly_cap_minor: 1,
      })
      .execute();
    const ofC = await asA("GET", `/servers/${own.body.id}`);
    expect(ofC.status).toBe(404);
    expect(ofC.body.error.code).toBe("not_found");
    expect((await asA("POST", `/servers/${own.body.id}/actions`, { action: "stop" })).status).toBe(404);
    // C sees its own; A's list has only A's.
    expect((await sendSigned(w.t.originB, c.identity, "GET", `/servers/${own.body.id}`)).status).toBe(200);
    const listed = await asA("GET", "/servers");
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((s: any) => s.id)).not.toContain(own.body.id);
    expect(listed.body.items.map((s: any) => s.idempotency_key).sort()).toEqual([
      "rsv_refusals00000000000000001",
      "rsv_refusals00000000000000003",
    ]);
    // The deleted one is still listed (for a week), as deleted is what A must hear.
    expect(listed.body.items.find((s: any) => s.id === created).desired_state).toBe("deleted");
  });

  it("refuses a suspended and a revoked peer", async () => {
    await w.t.apiB.post(`/federation/peers/${w.peerOfB}/suspend`);
    const suspended = await asA("POST", "/servers", body());
    expect(suspended.status).toBe(401);
    expect(suspended.body.error.details.reason).toBe("peer_suspended");
    expect((await asA("GET", `/servers/${created}`)).body.error.details.reason).toBe("peer_suspended");
    await w.t.apiB.post(`/federation/peers/${w.peerOfB}/revoke`);
    const revoked = await asA("GET", "/servers");
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.details.reason).toBe("peer_revoked");
    // A's own endpoint for B's pushes is A's to refuse: B is still active there, and an empty
    // push applies nothing.
    const push = await sendSigned(w.t.originA, w.t.signingB, "POST", "/server-states", {
      body: { servers: [] },
    });
    expect(push.status).toBe(200);
    expect(push.body).toEqual({ applied: 0 });
  });
});
