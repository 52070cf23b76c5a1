import { afterAll, beforeAll, expect, it } from "vitest";
import { signRequest, sweepNonces } from "@layerboom/controller";
import { describeOnDatabase } from "../support/databases.js";
import { peerThem, sendSigned, startTwoInstallations, strangerInstallation } from "../support/federation.js";
import type { TwoInstallations } from "../support/federation.js";

/**
 * B refuses hostile federation requests from A, peered and active, and from strangers, each with
 * a 401 that names the reason (docs/federation.md, "Signed requests"), and audits those that name
 * a peer's key. The test signs as A with A's own key (its secret key is the test's).
 */
describeOnDatabase("postgres", "signed federation requests refused between two installations", () => {
  let t: TwoInstallations;
  let peerOfA = ""; // B as recorded on A
  let peerOfB = ""; // A as recorded on B

  beforeAll(async () => {
    t = await startTwoInstallations();
    ({ peerOfA, peerOfB } = await peerThem(t));
  }, 120_000);
  afterAll(async () => t?.close());

  it("accepts A's signed request once, and refuses the replay", async () => {
    const first = await sendSigned(t.originB, t.signingA, "GET", "/peering");
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ state: "active", you: { fingerprint: t.profileA.fingerprint } });
    const again = await fetch(`${t.originB}/federation/v1/peering`, { headers: first.headers });
    expect(again.status).toBe(401);
    const body = (await again.json()) as any;
    expect(body.error.details.reason).toBe("replayed");
    expect(body.error.message).toContain("replay");
  });

  it("keeps a nonce for its signature's window only, then sweeps it", async () => {
    const kept = () =>
      t.b.database.db
        .selectFrom("federation_nonces")
        .select(["nonce", "expires_at"])
        .where("fingerprint", "=", t.profileA.fingerprint)
        .execute();
    const before = await kept();
    expect(before.length).toBeGreaterThan(0);
    for (const row of before) expect(row.expires_at.getTime()).toBeLessThan(Date.now() + 7 * 60_000);
    expect(await sweepNonces(t.b.database.db, new Date())).toBe(0);
    expect(await sweepNonces(t.b.database.db, new Date(Date.now() + 7 * 60_000))).toBe(before.length);
    expect(await kept()).toEqual([]);
  });

  it("refuses a stale and a future created timestamp, naming the clock", async () => {
    const stale = await sendSigned(t.originB, t.signingA, "GET", "/peering", {
      created: new Date(Date.now() - 600_000),
    });
    expect(stale.status).toBe(401);
    expect(stale.body.error.details.reason).toBe("stale");
    expect(stale.body.error.message).toContain("clock");
    const future = await sendSigned(t.originB, t.signingA, "GET", "/peering", {
      created: new Date(Date.now() + 600_000),
    });
    expect(future.status).toBe(401);
    expect(future.body.error.details.reason).toBe("future");
  });

  it("refuses a tampered body by its Content-Digest", async () => {
    const tampered = await sendSigned(t.originB, t.signingA, "POST", "/peerings", {
      body: { token: "fedinv_x.y", profile: t.profileA },
      edit: (r) => {
        r.body = r.body.replace("fedinv_x.y", "fedinv_x.z");
      },
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.details.reason).toBe("digest_mismatch");
  });

  it("refuses a key no peer has", async () => {
    const { identity } = strangerInstallation();
    const res = await sendSigned(t.originB, identity, "GET", "/peering");
    expect(res.status).toBe(401);
    expect(res.body.error.details).toMatchObject({ reason: "unknown_key", key_id: identity.keyId });
  });

  it("refuses a request signed for another installation's authority", async () => {
    const headers = await signRequest(t.signingA, {
      method: "GET",
      url: `${t.originA}/federation/v1/peering`,
      body: "",
    });
    const res = await fetch(`${t.originB}/federation/v1/peering`, { headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.details.reason).toBe("bad_signature");
  });

  it("refuses a peering whose profile claims another key than the one that signed it", async () => {
    const c = strangerInstallation();
    const impostor = strangerInstallation();
    const invite = await t.apiB.post("/federation/invitations", {});
    const forged = await sendSigned(t.originB, impostor.identity, "POST", "/peerings", {
      body: { token: invite.body.token, profile: c.profile },
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.details.reason).toBe("unknown_key");
    expect(forged.body.error.message).toContain("not with the key of the profile");
    const lying = await sendSigned(t.originB, c.identity, "POST", "/peerings", {
      body: { token: invite.body.token, profile: { ...c.profile, fingerprint: impostor.identity.keyId } },
    });
    expect(lying.status).toBe(400);
    expect(lying.body.error.details.field).toBe("profile");
    // Neither spent the invitation.
    const open = (await t.apiB.get("/federation/invitations")).body.items.find(
      (i: any) => i.id === invite.body.id,
    );
    expect(open.state).toBe("open");
  });

  it("answers garbage in the signature headers and bodies with a 4xx that names it, never a 500", async () => {
    const good = await sendSigned(t.originB, t.signingA, "GET", "/peering");
    const cases: Record<string, string>[] = [
      { "signature-input": "lb=", signature: "lb=:AAAA:" },
      {
        "signature-input": 'lb=("@method");created=1.5;keyid="k";alg="ed25519";nonce="aaaaaaaaaaaaaaaaaaaa"',
      },
      { "signature-input": String(good.headers["signature-input"]), signature: "lb=:not base64!:" },
      { "signature-input": String(good.headers["signature-input"]), signature: "lb=?1" },
      { ...good.headers, "content-digest": "sha-256=:AAAA:, " },
      { ...good.headers, "content-digest": "md5=:AAAA:" },
      { "signature-input": "a".repeat(10_000), signature: "b" },
    ];
    for (const headers of cases) {
      const res = await fetch(`${t.originB}/federation/v1/peering`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(((await res.json()) as any).error.details.reason).toMatch(
        /^(malformed|bad_signature|unsigned|replayed)$/,
      );
    }
    for (const body of ["{", "[]", '{"token":"x","profile":[]}', '{"token":"x"}']) {
      const res = await fetch(`${t.originB}/federation/v1/peerings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.status, body).toBe(400);
    }
  });

  it("has A refuse an answer that is not signed by the key it recorded for B", async () => {
    const ok = await t.apiA.post(`/federation/peers/${peerOfA}/check`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const recorded = t.a.database.db.updateTable("federation_peers").where("id", "=", peerOfA);
    await recorded.set({ public_key: strangerInstallation().profile.public_key }).execute();
    try {
      const refused = await t.apiA.post(`/federation/peers/${peerOfA}/check`);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain("answer");
      expect(refused.body.error.message).toContain("does not verify");
    } finally {
      await recorded.set({ public_key: t.profileB.public_key }).execute();
    }
  });

  it("refuses an unsigned request", async () => {
    const res = await fetch(`${t.originB}/federation/v1/peering`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.details.reason).toBe("unsigned");
  });

  it("refuses a reused invitation, an expired one, and one issued by another installation", async () => {
    const spent = (
      await t.b.database.db.selectFrom("federation_invitations").select("id").executeTakeFirstOrThrow()
    ).id;
    const c = strangerInstallation("Provider C");
    // The id of the invitation A redeemed, with a secret that is not its: unknown, not "used".
    const wrongSecret = await sendSigned(t.originB, c.identity, "POST", "/peerings", {
      body: { token: `${spent}.${"A".repeat(43)}`, profile: c.profile },
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error.details.reason).toBe("invitation_unknown");

    const fresh = await t.apiB.post("/federation/invitations", {});
    const first = await sendSigned(t.originB, c.identity, "POST", "/peerings", {
      body: { token: fresh.body.token, profile: c.profile },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.profile.fingerprint).toBe(t.profileB.fingerprint);
    const d = strangerInstallation("Provider D");
    const reused = await sendSigned(t.originB, d.identity, "POST", "/peerings", {
      body: { token: fresh.body.token, profile: d.profile },
    });
    expect(reused.status).toBe(401);
    expect(reused.body.error.details.reason).toBe("invitation_used");

    const late = await t.apiB.post("/federation/invitations", {});
    await t.b.database.db
      .updateTable("federation_invitations")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", late.body.id)
      .execute();
    const expired = await sendSigned(t.originB, d.identity, "POST", "/peerings", {
      body: { token: late.body.token, profile: d.profile },
    });
    expect(expired.status).toBe(401);
    expect(expired.body.error.details.reason).toBe("invitation_expired");
    const states = (await t.apiB.get("/federation/invitations")).body.items.map((i: any) => i.state);
    expect(states).toContain("expired");

    const ofA = await t.apiA.post("/federation/invitations", {});
    expect(ofA.status).toBe(201);
    // On A's PGlite too: A's invitation is spent once, by the first to redeem it there.
    const e = strangerInstallation("Provider E");
    const spentOfA = await t.apiA.post("/federation/invitations", {});
    const onA = await sendSigned(t.originA, e.identity, "POST", "/peerings", {
      body: { token: spentOfA.body.token, profile: e.profile },
    });
    expect(onA.status, JSON.stringify(onA.body)).toBe(201);
    const againOnA = await sendSigned(t.originA, d.identity, "POST", "/peerings", {
      body: { token: spentOfA.body.token, profile: d.profile },
    });
    expect(againOnA.body.error.details.reason).toBe("invitation_used");
    const foreign = await sendSigned(t.originB, d.identity, "POST", "/peerings", {
      body: { token: ofA.body.token, profile: d.profile },
    });
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.details.reason).toBe("invitation_unknown");
    expect(foreign.body.error.message).toContain("not issued by this installation");
    const peers = (await t.apiB.get("/federation/peers")).body.items.map((p: any) => p.fingerprint);
    expect(peers).toContain(c.identity.keyId);
    expect(peers).not.toContain(d.identity.keyId);
  });

  it("audits a flood of refusals naming A's public key id once a minute per reason, not once per request", async () => {
    const rows = async () =>
      (
        await t.b.database.db
          .selectFrom("audit_log")
          .select(["resource_id", "details"])
          .where("action", "=", "federation.request.refused")
          .execute()
      ).filter(
        (e) => e.resource_id === peerOfB && (e.details as { reason: string }).reason === "bad_signature",
      );
    const before = (await rows()).length;
    // A stranger cannot sign as A, but A's key id is public: each of these names it and fails.
    for (let i = 0; i < 30; i++) {
      const headers = await signRequest(t.signingA, {
        method: "GET",
        url: `${t.originA}/federation/v1/peering`,
        body: "",
      });
      const res = await fetch(`${t.originB}/federation/v1/peering`, { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.details.reason).toBe("bad_signature");
    }
    // At most one new row (when the earlier refusal's minute had passed), never thirty.
    expect((await rows()).length - before).toBeLessThanOrEqual(1);
  });

  it("refuses a suspended, then a revoked peer's signed requests, and audits every refusal naming A's key", async () => {
    await t.apiB.post(`/federation/peers/${peerOfB}/suspend`);
    const suspended = await sendSigned(t.originB, t.signingA, "GET", "/peering");
    expect(suspended.status).toBe(401);
    expect(suspended.body.error.details.reason).toBe("peer_suspended");
    await t.apiB.post(`/federation/peers/${peerOfB}/revoke`);
    const revoked = await sendSigned(t.originB, t.signingA, "GET", "/peering");
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.details.reason).toBe("peer_revoked");

    const audit = await t.b.database.db
      .selectFrom("audit_log")
      .select(["resource_id", "details"])
      .where("action", "=", "federation.request.refused")
      .execute();
    const reasons = audit
      .filter((e) => e.resource_id === peerOfB)
      .map((e) => (e.details as { reason: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "replayed",
        "stale",
        "future",
        "digest_mismatch",
        "bad_signature",
        "peer_suspended",
        "peer_revoked",
      ]),
    );
    // Refusals that named no peer's key (the stranger's, the unsigned one) went to the log only.
    expect(audit.every((e) => e.resource_id === peerOfB)).toBe(true);
  });
});
