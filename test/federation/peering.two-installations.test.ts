import { afterAll, beforeAll, expect, it } from "vitest";
import {
  FEDERATION_PROTOCOL,
  OutboundGuard,
  OutboundRefusedError,
  fingerprintOf,
} from "@layerboom/controller";
import { apiClient } from "../support/controller.js";
import { describeOnDatabase } from "../support/databases.js";
import { startTwoInstallations } from "../support/federation.js";
import type { TwoInstallations } from "../support/federation.js";
import { runCli } from "../support/hosts.js";

/**
 * Two independent installations on loopback: A on PGlite, B on PostgreSQL, each with its own
 * database, secret key and Ed25519 identity, peering over real HTTP (docs/federation.md). The
 * outbound guard of each refuses loopback; the peers reach each other only through the
 * allowance that peering gives. The refusals of signed requests: signed-requests.refused-….
 */
describeOnDatabase("postgres", "federation peering between two installations", () => {
  let t: TwoInstallations;
  let peerOfA = ""; // B as recorded on A
  let peerOfB = ""; // A as recorded on B

  beforeAll(async () => {
    t = await startTwoInstallations();
  }, 120_000);
  afterAll(async () => t?.close());

  it("serves each installation's public profile without authentication, its private key sealed", async () => {
    const [resA, resB] = await Promise.all([
      fetch(`${t.originA}/federation/v1/profile`),
      fetch(`${t.originB}/federation/v1/profile`),
    ]);
    expect(resA.status).toBe(200);
    const profileA = (await resA.json()) as { fingerprint: string; public_key: string };
    const profileB = (await resB.json()) as { fingerprint: string; url: string };
    expect(profileA).toMatchObject({
      protocol: FEDERATION_PROTOCOL,
      name: "Provider A (Ontario)",
      url: t.originA,
      jurisdictions: ["CA", "CA-ON"],
      contact: "noc@a.test",
      fingerprint: t.profileA.fingerprint,
    });
    // B's admin gave its URL with a trailing slash: the profile keeps the origin.
    expect(profileB.url).toBe(t.originB);
    expect(profileA.fingerprint).toBe(fingerprintOf(profileA.public_key));
    expect(profileB.fingerprint).not.toBe(profileA.fingerprint);
    expect(JSON.stringify(profileA)).not.toContain("private");
    const row = await t.a.database.db.selectFrom("federation_identity").selectAll().executeTakeFirstOrThrow();
    expect(row.fingerprint).toBe(profileA.fingerprint);
    expect(row.private_key_sealed).toMatch(/^v1\./);
    // PKCS#8 DER of an Ed25519 key starts with these bytes, base64: the sealed form never shows them.
    expect(row.private_key_sealed).not.toContain("MC4CAQAwBQYDK2Vw");
    expect(t.signingA.keyId).toBe(profileA.fingerprint);
  });

  it("refuses a profile URL with a path", async () => {
    const bad = await t.apiA.patch("/federation/profile", { url: `${t.originA}/somewhere` });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe("url");
  });

  it("does not reach a peer on loopback through the plain outbound guard", async () => {
    const err = await new OutboundGuard()
      .request(`${t.originB}/federation/v1/profile`, { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as OutboundRefusedError).rule).toBe("address");
  });

  it("peers by invitation through the CLI: B invites, A joins, each records the other pending with its fingerprint", async () => {
    const invited = await runCli(t.b, t.b.adminToken, [
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
    const token = (JSON.parse(invited.output) as { token: string }).token;
    expect(token).toMatch(/^fedinv_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/);
    const run = await runCli(t.a, t.a.adminToken, ["-o", "json", "federation", "join", t.originB, token]);
    expect(run.code, run.output).toBe(0);
    const joined = JSON.parse(run.output) as { id: string };
    expect(joined).toMatchObject({
      name: "Provider B (Québec)",
      url: t.originB,
      state: "pending",
      origin: "joined",
      fingerprint: t.profileB.fingerprint,
      jurisdictions: ["CA", "CA-QC"],
    });
    peerOfA = joined.id;
    const onB = await t.apiB.get("/federation/peers");
    expect(onB.body.items).toHaveLength(1);
    expect(onB.body.items[0]).toMatchObject({
      name: "Provider A (Ontario)",
      url: t.originA,
      state: "pending",
      origin: "invited",
      fingerprint: t.profileA.fingerprint,
    });
    peerOfB = onB.body.items[0].id;
    const invitations = await t.apiB.get("/federation/invitations");
    expect(invitations.body.items[0]).toMatchObject({ note: "for A", state: "redeemed" });
    expect(JSON.stringify(invitations.body)).not.toContain(token);
    // Only a hash of the token's secret is kept.
    const stored = await t.b.database.db.selectFrom("federation_invitations").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token.split(".")[1]);
  });

  it("answers a pending peer's signed call with the pending state", async () => {
    const check = await t.apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.remote).toMatchObject({ state: "pending", fingerprint: t.profileB.fingerprint });
  });

  it("lets a pending peering be joined again with a new invitation, refreshing both records, no duplicate", async () => {
    await t.apiB.patch("/federation/profile", { contact: "peering@b.test" });
    const invite = await t.apiB.post("/federation/invitations", { note: "again" });
    const again = await t.apiA.post("/federation/join", { url: t.originB, token: invite.body.token });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body).toMatchObject({ id: peerOfA, state: "pending", contact: "peering@b.test" });
    const onA = (await t.apiA.get("/federation/peers")).body.items;
    const onB = (await t.apiB.get("/federation/peers")).body.items;
    expect(onA.map((p: { id: string }) => p.id)).toEqual([peerOfA]);
    expect(onB.map((p: { id: string }) => p.id)).toEqual([peerOfB]);
    const spent = (await t.apiB.get("/federation/invitations")).body.items.filter(
      (i: { state: string }) => i.state === "redeemed",
    );
    expect(spent).toHaveLength(2);
  });

  it("approves only with the peer's fingerprint, then both sides are active and a signed call succeeds", async () => {
    const wrong = await t.apiA.post(`/federation/peers/${peerOfA}/approve`, {
      fingerprint: t.profileA.fingerprint,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.field).toBe("fingerprint");
    expect(wrong.body.error.message).toContain(t.profileB.fingerprint);
    const onA = await t.apiA.post(`/federation/peers/${peerOfA}/approve`, {
      fingerprint: t.profileB.fingerprint,
    });
    expect(onA.status, JSON.stringify(onA.body)).toBe(200);
    expect(onA.body.state).toBe("active");
    const onB = await t.apiB.post(`/federation/peers/${peerOfB}/approve`, {
      fingerprint: t.profileA.fingerprint,
    });
    expect(onB.body.state).toBe("active");
    const fromA = await t.apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(fromA.body.remote).toMatchObject({ state: "active", name: "Provider B (Québec)" });
    const fromB = await t.apiB.post(`/federation/peers/${peerOfB}/check`);
    expect(fromB.status, JSON.stringify(fromB.body)).toBe(200);
    expect(fromB.body.remote).toMatchObject({ state: "active", fingerprint: t.profileA.fingerprint });
    expect((await t.apiB.get(`/federation/peers/${peerOfB}`)).body.last_seen_at).not.toBeNull();
  });

  it("refuses to join an installation it already peers with", async () => {
    const again = await t.apiA.post("/federation/join", {
      url: t.originB,
      token: "fedinv_00000000000000000000000000.x",
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ reason: "already_peered" });
  });

  it("suspends, resumes and revokes: the other side's calls are refused with the state named", async () => {
    expect((await t.apiB.post(`/federation/peers/${peerOfB}/suspend`)).body.state).toBe("suspended");
    const whileSuspended = await t.apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(whileSuspended.status).toBe(409);
    expect(whileSuspended.body.error.details).toMatchObject({
      reason: "peer_refused",
      peer_status: 401,
      peer_details: { reason: "peer_suspended" },
    });
    const resumed = await t.apiB.post(`/federation/peers/${peerOfB}/approve`, {
      fingerprint: t.profileA.fingerprint,
    });
    expect(resumed.body.state).toBe("active");
    expect((await t.apiA.post(`/federation/peers/${peerOfA}/check`)).status).toBe(200);
    expect((await t.apiB.post(`/federation/peers/${peerOfB}/revoke`)).body.state).toBe("revoked");
    const afterRevoke = await t.apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(afterRevoke.body.error.details.peer_details.reason).toBe("peer_revoked");
    // Revocation is final, and B no longer calls A.
    const reapprove = await t.apiB.post(`/federation/peers/${peerOfB}/approve`, {
      fingerprint: t.profileA.fingerprint,
    });
    expect(reapprove.status).toBe(409);
    expect((await t.apiB.post(`/federation/peers/${peerOfB}/check`)).status).toBe(409);
    const audit = await t.b.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("resource_id", "=", peerOfB)
      .execute();
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "federation.peer.record",
        "federation.peer.approve",
        "federation.peer.suspend",
        "federation.peer.revoke",
      ]),
    );
  });

  it("drives profile, peers, check, approve, suspend and revoke from the CLI, with the API's reasons", async () => {
    const profile = await runCli(t.a, t.a.adminToken, ["federation", "profile"]);
    expect(profile.code, profile.output).toBe(0);
    expect(profile.output).toContain(t.profileA.fingerprint);
    const set = await runCli(t.a, t.a.adminToken, [
      "federation",
      "profile",
      "--contact",
      "peering@a.test",
      "--jurisdiction",
      "CA,CA-ON",
    ]);
    expect(set.output).toContain("peering@a.test");
    const peers = await runCli(t.a, t.a.adminToken, ["federation", "peers"]);
    expect(peers.output).toContain(peerOfA);
    expect(peers.output).toContain(t.profileB.fingerprint);
    const refused = await runCli(t.a, t.a.adminToken, ["federation", "check", peerOfA]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("revoked");
    const wrong = await runCli(t.a, t.a.adminToken, [
      "federation",
      "approve",
      peerOfA,
      "--fingerprint",
      "sha256:nope",
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain("field: fingerprint");
    const suspended = await runCli(t.a, t.a.adminToken, ["federation", "suspend", peerOfA]);
    expect(suspended.output).toMatch(/suspended/);
    const revoked = await runCli(t.a, t.a.adminToken, ["-o", "json", "federation", "revoke", peerOfA]);
    expect(JSON.parse(revoked.output)).toMatchObject({ id: peerOfA, state: "revoked" });
    const again = await runCli(t.a, t.a.adminToken, ["federation", "join", t.originB, "fedinv_x.y"]);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain("already a peer here, revoked");
  });

  it("answers the admin API only to callers who authenticate", async () => {
    const anonymous = apiClient(t.b.url);
    expect((await anonymous.get("/federation/peers")).status).toBe(401);
    expect((await anonymous.post("/federation/invitations", {})).status).toBe(401);
  });
});
