import { afterAll, beforeAll, expect, it } from "vitest";
import {
  FEDERATION_PROTOCOL,
  OutboundGuard,
  OutboundRefusedError,
  SecretBox,
  fingerprintOf,
  generateKeyPair,
  loadSigningIdentity,
  privateKeyFromPkcs8,
  signRequest,
} from "@layerboom/controller";
import type { SigningIdentity } from "@layerboom/controller";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { describeOnDatabase } from "../support/databases.js";
import { originOf, runCli } from "../support/hosts.js";

/**
 * Two independent installations on loopback: A on PGlite, B on PostgreSQL, each with its own
 * database, secret key and Ed25519 identity, peering over real HTTP (docs/federation.md).
 * The outbound guard of each refuses loopback; the peers reach each other only through the
 * allowance that peering gives.
 */
describeOnDatabase("postgres", "federation peering between two installations", () => {
  const keyA = SecretBox.generateKey();
  let a: TestController;
  let b: TestController;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let originA = "";
  let originB = "";
  let signingA: SigningIdentity;
  let profileA: { fingerprint: string; public_key: string };
  let profileB: { fingerprint: string; public_key: string };
  let peerOfA = ""; // B as recorded on A
  let peerOfB = ""; // A as recorded on B

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestController("pglite", { secretKey: keyA }),
      startTestController("postgres"),
    ]);
    apiA = apiClient(a.url, a.adminToken);
    apiB = apiClient(b.url, b.adminToken);
    originA = originOf(a);
    originB = originOf(b);
    const setA = await apiA.patch("/federation/profile", {
      name: "Provider A (Ontario)",
      url: originA,
      jurisdictions: ["CA", "CA-ON"],
      contact: "noc@a.test",
    });
    expect(setA.status, JSON.stringify(setA.body)).toBe(200);
    const setB = await apiB.patch("/federation/profile", {
      name: "Provider B (Québec)",
      url: `${originB}/`,
      jurisdictions: ["CA", "CA-QC"],
      contact: "noc@b.test",
    });
    expect(setB.status, JSON.stringify(setB.body)).toBe(200);
    expect(setB.body.url).toBe(originB);
    signingA = (await loadSigningIdentity(a.database.db, new SecretBox(keyA))).signing;
  }, 120_000);
  afterAll(async () => Promise.all([a?.close(), b?.close()]));

  /** A request signed as `identity`, sent to B's protocol endpoint at `path`, as built by the signer. */
  async function sendSigned(
    identity: SigningIdentity,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    edit: (r: { headers: Record<string, string>; body: string }) => void = () => undefined,
    created?: Date,
  ) {
    const url = `${originB}/federation/v1${path}`;
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers = await signRequest(identity, { method, url, body: text, ...(created ? { created } : {}) });
    const request = {
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: text,
    };
    edit(request);
    const res = await fetch(url, {
      method,
      headers: request.headers,
      ...(method === "POST" ? { body: request.body } : {}),
    });
    return {
      status: res.status,
      body: (await res.json()) as any,
      headers: request.headers,
      text: request.body,
    };
  }

  it("serves each installation's public profile without authentication, its private key sealed", async () => {
    const [resA, resB] = await Promise.all([
      fetch(`${originA}/federation/v1/profile`),
      fetch(`${originB}/federation/v1/profile`),
    ]);
    expect(resA.status).toBe(200);
    profileA = (await resA.json()) as typeof profileA;
    profileB = (await resB.json()) as typeof profileB;
    expect(profileA).toMatchObject({
      protocol: FEDERATION_PROTOCOL,
      name: "Provider A (Ontario)",
      url: originA,
      jurisdictions: ["CA", "CA-ON"],
      contact: "noc@a.test",
    });
    expect(profileA.fingerprint).toBe(fingerprintOf(profileA.public_key));
    expect(profileB.fingerprint).not.toBe(profileA.fingerprint);
    expect(JSON.stringify(profileA)).not.toContain("private");
    // The key is made once and kept: the row is the same after any number of reads.
    const row = await a.database.db.selectFrom("federation_identity").selectAll().executeTakeFirstOrThrow();
    expect(row.fingerprint).toBe(profileA.fingerprint);
    expect(row.private_key_sealed).toMatch(/^v1\./);
    expect(row.private_key_sealed).not.toContain("MC4CAQAwBQYDK2Vw");
    expect(signingA.keyId).toBe(profileA.fingerprint);
  });

  it("refuses a profile URL with a path", async () => {
    const bad = await apiA.patch("/federation/profile", { url: `${originA}/somewhere` });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe("url");
  });

  it("does not reach a peer on loopback through the plain outbound guard", async () => {
    const err = await new OutboundGuard()
      .request(`${originB}/federation/v1/profile`, { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as OutboundRefusedError).rule).toBe("address");
  });

  it("peers by invitation through the CLI: B invites, A joins, each records the other pending with its fingerprint", async () => {
    const invited = await runCli(b, b.adminToken, [
      "-o",
      "json",
      "federation",
      "invite",
      "--note",
      "for A",
      "--expires-hours",
      "2",
    ]);
    expect(invited.code, invited.output).toBe(0);
    const invite = { body: JSON.parse(invited.output) as { token: string } };
    expect(invite.body.token).toMatch(/^fedinv_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/);
    const run = await runCli(a, a.adminToken, [
      "-o",
      "json",
      "federation",
      "join",
      originB,
      invite.body.token,
    ]);
    expect(run.code, run.output).toBe(0);
    const joined = { body: JSON.parse(run.output) as { id: string } };
    expect(joined.body).toMatchObject({
      name: "Provider B (Québec)",
      url: originB,
      state: "pending",
      origin: "joined",
      fingerprint: profileB.fingerprint,
      jurisdictions: ["CA", "CA-QC"],
    });
    peerOfA = joined.body.id;
    const onB = await apiB.get("/federation/peers");
    expect(onB.body.items).toHaveLength(1);
    expect(onB.body.items[0]).toMatchObject({
      name: "Provider A (Ontario)",
      url: originA,
      state: "pending",
      origin: "invited",
      fingerprint: profileA.fingerprint,
    });
    peerOfB = onB.body.items[0].id;
    const invitations = await apiB.get("/federation/invitations");
    expect(invitations.body.items[0]).toMatchObject({ note: "for A", state: "redeemed" });
    expect(JSON.stringify(invitations.body)).not.toContain(invite.body.token);
    // Only a hash of the token is kept.
    const stored = await b.database.db.selectFrom("federation_invitations").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(invite.body.token.split(".")[1]);
  });

  it("answers a pending peer's signed call with the pending state", async () => {
    const check = await apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.remote).toMatchObject({ state: "pending", fingerprint: profileB.fingerprint });
  });

  it("approves only with the peer's fingerprint, then both sides are active and a signed call succeeds", async () => {
    const wrong = await apiA.post(`/federation/peers/${peerOfA}/approve`, {
      fingerprint: profileA.fingerprint,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.field).toBe("fingerprint");
    expect(wrong.body.error.message).toContain(profileB.fingerprint);
    const onA = await apiA.post(`/federation/peers/${peerOfA}/approve`, {
      fingerprint: profileB.fingerprint,
    });
    expect(onA.status, JSON.stringify(onA.body)).toBe(200);
    expect(onA.body.state).toBe("active");
    const onB = await apiB.post(`/federation/peers/${peerOfB}/approve`, {
      fingerprint: profileA.fingerprint,
    });
    expect(onB.body.state).toBe("active");
    const fromA = await apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(fromA.body.remote).toMatchObject({ state: "active", name: "Provider B (Québec)" });
    const fromB = await apiB.post(`/federation/peers/${peerOfB}/check`);
    expect(fromB.status, JSON.stringify(fromB.body)).toBe(200);
    expect(fromB.body.remote).toMatchObject({ state: "active", fingerprint: profileA.fingerprint });
    expect((await apiB.get(`/federation/peers/${peerOfB}`)).body.last_seen_at).not.toBeNull();
  });

  it("refuses a replayed request: the same signature twice is accepted once", async () => {
    const first = await sendSigned(signingA, "GET", "/peering");
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await fetch(`${originB}/federation/v1/peering`, { headers: first.headers });
    expect(again.status).toBe(401);
    const body = (await again.json()) as any;
    expect(body.error.details.reason).toBe("replayed");
    expect(body.error.message).toContain("replay");
  });

  it("refuses a stale and a future created timestamp, naming the clock", async () => {
    const stale = await sendSigned(
      signingA,
      "GET",
      "/peering",
      undefined,
      undefined,
      new Date(Date.now() - 600_000),
    );
    expect(stale.status).toBe(401);
    expect(stale.body.error.details.reason).toBe("stale");
    expect(stale.body.error.message).toContain("clock");
    const future = await sendSigned(
      signingA,
      "GET",
      "/peering",
      undefined,
      undefined,
      new Date(Date.now() + 600_000),
    );
    expect(future.body.error.details.reason).toBe("future");
  });

  it("refuses a tampered body by its Content-Digest", async () => {
    const tampered = await sendSigned(
      signingA,
      "POST",
      "/peerings",
      { token: "fedinv_x.y", profile: profileA },
      (r) => {
        r.body = r.body.replace("fedinv_x.y", "fedinv_x.z");
      },
    );
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.details.reason).toBe("digest_mismatch");
  });

  it("refuses a key no peer has", async () => {
    const stranger = generateKeyPair();
    const identity = {
      keyId: fingerprintOf(stranger.publicKey),
      privateKey: privateKeyFromPkcs8(stranger.privateKeyPkcs8),
    };
    const res = await sendSigned(identity, "GET", "/peering");
    expect(res.status).toBe(401);
    expect(res.body.error.details).toMatchObject({ reason: "unknown_key", key_id: identity.keyId });
  });

  it("refuses a request signed for another installation's authority", async () => {
    const headers = await signRequest(signingA, {
      method: "GET",
      url: `${originA}/federation/v1/peering`,
      body: "",
    });
    const res = await fetch(`${originB}/federation/v1/peering`, { headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.details.reason).toBe("bad_signature");
  });

  /** A third installation C, played by the test: its own key, signing its own peering requests. */
  function stranger() {
    const pair = generateKeyPair();
    const identity = {
      keyId: fingerprintOf(pair.publicKey),
      privateKey: privateKeyFromPkcs8(pair.privateKeyPkcs8),
    };
    const profile = {
      protocol: FEDERATION_PROTOCOL,
      name: "Provider C",
      url: "http://127.0.0.1:9",
      public_key: pair.publicKey,
      fingerprint: identity.keyId,
      jurisdictions: ["FR"],
      contact: "",
    };
    return { identity, profile };
  }

  it("refuses a reused invitation, an expired one, and one issued by another installation", async () => {
    const used = (
      await b.database.db.selectFrom("federation_invitations").select("id").executeTakeFirstOrThrow()
    ).id;
    const c = stranger();
    // The token A redeemed: its id is known to B, but it is spent. (A token with the right id and a wrong secret is unknown.)
    const wrongSecret = await sendSigned(c.identity, "POST", "/peerings", {
      token: `${used}.${"A".repeat(43)}`,
      profile: c.profile,
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error.details.reason).toBe("invitation_unknown");

    const fresh = await apiB.post("/federation/invitations", {});
    const first = await sendSigned(c.identity, "POST", "/peerings", {
      token: fresh.body.token,
      profile: c.profile,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.profile.fingerprint).toBe(profileB.fingerprint);
    const d = stranger();
    const reused = await sendSigned(d.identity, "POST", "/peerings", {
      token: fresh.body.token,
      profile: d.profile,
    });
    expect(reused.status).toBe(401);
    expect(reused.body.error.details.reason).toBe("invitation_used");

    const late = await apiB.post("/federation/invitations", {});
    await b.database.db
      .updateTable("federation_invitations")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", late.body.id)
      .execute();
    const expired = await sendSigned(d.identity, "POST", "/peerings", {
      token: late.body.token,
      profile: d.profile,
    });
    expect(expired.status).toBe(401);
    expect(expired.body.error.details.reason).toBe("invitation_expired");
    expect((await apiB.get("/federation/invitations")).body.items.map((i: any) => i.state)).toContain(
      "expired",
    );

    const ofA = await apiA.post("/federation/invitations", {});
    expect(ofA.status).toBe(201);
    const foreign = await sendSigned(d.identity, "POST", "/peerings", {
      token: ofA.body.token,
      profile: d.profile,
    });
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.details.reason).toBe("invitation_unknown");
    expect(foreign.body.error.message).toContain("not issued by this installation");
    // Nothing of D was recorded.
    const peers = (await apiB.get("/federation/peers")).body.items.map((p: any) => p.fingerprint);
    expect(peers).not.toContain(d.identity.keyId);
  });

  it("refuses to join an installation it already peers with", async () => {
    const c = await apiA.post("/federation/join", {
      url: originB,
      token: "fedinv_00000000000000000000000000.x",
    });
    expect(c.status).toBe(409);
    expect(c.body.error.details).toMatchObject({ reason: "already_peered" });
  });

  it("refuses a suspended, then a revoked peer's signed requests, and audits them", async () => {
    const suspended = await apiB.post(`/federation/peers/${peerOfB}/suspend`);
    expect(suspended.body.state).toBe("suspended");
    const whileSuspended = await apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(whileSuspended.status).toBe(409);
    expect(whileSuspended.body.error.details).toMatchObject({
      reason: "peer_refused",
      peer_status: 401,
      peer_details: { reason: "peer_suspended" },
    });
    const resumed = await apiB.post(`/federation/peers/${peerOfB}/approve`, {
      fingerprint: profileA.fingerprint,
    });
    expect(resumed.body.state).toBe("active");
    expect((await apiA.post(`/federation/peers/${peerOfA}/check`)).status).toBe(200);

    const revoked = await apiB.post(`/federation/peers/${peerOfB}/revoke`);
    expect(revoked.body.state).toBe("revoked");
    const direct = await sendSigned(signingA, "GET", "/peering");
    expect(direct.status).toBe(401);
    expect(direct.body.error.details.reason).toBe("peer_revoked");
    // Revocation is final, and B no longer calls A.
    expect(
      (await apiB.post(`/federation/peers/${peerOfB}/approve`, { fingerprint: profileA.fingerprint })).status,
    ).toBe(409);
    expect((await apiB.post(`/federation/peers/${peerOfB}/check`)).status).toBe(409);

    const audit = await b.database.db
      .selectFrom("audit_log")
      .select(["action", "resource_id", "details"])
      .where("action", "=", "federation.request.refused")
      .execute();
    const reasons = audit
      .filter((e) => e.resource_id === peerOfB)
      .map((e) => (e.details as { reason: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining(["replayed", "stale", "future", "peer_suspended", "peer_revoked"]),
    );
  });

  it("drives profile, peers, check, approve, suspend and revoke from the CLI, with the API's reasons", async () => {
    const profile = await runCli(a, a.adminToken, ["federation", "profile"]);
    expect(profile.code, profile.output).toBe(0);
    expect(profile.output).toContain(profileA.fingerprint);
    const set = await runCli(a, a.adminToken, [
      "federation",
      "profile",
      "--contact",
      "peering@a.test",
      "--jurisdiction",
      "CA,CA-ON",
    ]);
    expect(set.output).toContain("peering@a.test");
    const peers = await runCli(a, a.adminToken, ["federation", "peers"]);
    expect(peers.output).toContain(peerOfA);
    expect(peers.output).toContain(profileB.fingerprint);
    const refused = await runCli(a, a.adminToken, ["federation", "check", peerOfA]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("revoked");
    const wrong = await runCli(a, a.adminToken, [
      "federation",
      "approve",
      peerOfA,
      "--fingerprint",
      "sha256:nope",
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain("field: fingerprint");
    const suspended = await runCli(a, a.adminToken, ["federation", "suspend", peerOfA]);
    expect(suspended.output).toMatch(/suspended/);
    const revoked = await runCli(a, a.adminToken, ["-o", "json", "federation", "revoke", peerOfA]);
    expect(JSON.parse(revoked.output)).toMatchObject({ id: peerOfA, state: "revoked" });
    const again = await runCli(a, a.adminToken, ["federation", "join", originB, "fedinv_x.y"]);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain("already a peer here, revoked");
  });

  it("answers the admin API only to callers who authenticate", async () => {
    const anonymous = apiClient(b.url);
    expect((await anonymous.get("/federation/peers")).status).toBe(401);
    expect((await anonymous.post("/federation/invitations", {})).status).toBe(401);
  });
});
