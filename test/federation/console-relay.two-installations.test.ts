import { newId } from "@layerboom/core";
import type { RunningAgent } from "@layerboom/agent";
import { parseTinyReadyLine } from "@layerboom/testkit";
import { representativeAccount, signRequest } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_PASSWORD, apiClient } from "../support/controller.js";
import { describeOnDatabase } from "../support/databases.js";
import { peerThem, startTwoInstallations } from "../support/federation.js";
import type { TwoInstallations } from "../support/federation.js";
import {
  addHost,
  catalogTiny,
  eventually,
  hostFolders,
  serverReaches,
  startTestAgent,
  sweepHost,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

const READY = /LAYERBOOM-READY [^\r\n]*\r?\n/;

/** An id shaped like A's remote server ids (`rsv_…`, the create's idempotency key). */
const remoteServerId = () => newId("server").replace(/^srv_/, "rsv_");

/** A WebSocket's first outcome: opened (with what it receives from then on), or refused with a status. */
async function connect(
  url: string,
  headers: Record<string, string>,
): Promise<{
  socket?: WebSocket;
  status?: number;
  text: () => string;
  closed: Promise<{ code: number; reason: string }>;
}> {
  const socket = new WebSocket(url, { headers });
  let seen = "";
  socket.on("message", (d: Buffer) => (seen += d.toString("utf8")));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve({ socket, text: () => seen, closed }));
    socket.once("unexpected-response", (req, res) => {
      res.resume();
      req.destroy();
      resolve({ status: res.statusCode ?? 0, text: () => seen, closed });
    });
    socket.once("error", reject);
  });
}

function wsUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/**
 * The console of a server B runs for A, relayed to A's customer (docs/federation.md "The image
 * and the console"): B has a real agent and one tiny QEMU guest; A's customer opens
 * /api/v1/remote-servers/{id}/console and reads the guest's readiness line through A and B.
 *
 * Setup, documented: the server at B and A's remote_servers row are made directly (the create
 * path is the remote-servers work's, tested in its own files): B's server is an ordinary create in
 * the account that represents A, recorded in federation_served_servers; A's row points at it, under
 * an offer version inserted as received.
 */
describeOnDatabase("postgres", "a partner's console relayed from B to A's customer", () => {
  let t: TwoInstallations;
  let peerOfA = "";
  let peerOfB = "";
  let folders: HostFolders | undefined;
  let agent: RunningAgent | undefined;
  let customer: Tenant;
  let stranger: Tenant;
  let serverOnB = "";
  let remoteId = "";

  beforeAll(async () => {
    t = await startTwoInstallations();
    ({ peerOfA, peerOfB } = await peerThem(t));

    // B: a host with a real agent, the tiny image, and a server in the account that represents A.
    const siteId = (await t.apiB.get("/sites")).body.items[0].id as string;
    const planId = (await t.apiB.get("/plans")).body.items.find((p: any) => p.name === "nano").id as string;
    const { imageId } = await catalogTiny(t.b);
    folders = await hostFolders();
    const added = await addHost(t.apiB, siteId, "hv-b");
    agent = await startTestAgent(t.b, folders, { joinToken: added.joinToken });
    const represents = await representativeAccount(t.b.database, { id: peerOfB });
    const email = `peer-a-${Date.now()}@example.test`;
    const user = await t.apiB.post("/users", {
      email,
      role: "customer-admin",
      password: ADMIN_PASSWORD,
      account_id: represents.id,
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const login = await apiClient(t.b.url).post("/auth/token", { email, password: ADMIN_PASSWORD });
    const asA = apiClient(t.b.url, login.body.token as string);
    const created = await asA.post("/servers", {
      name: "relayed",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    serverOnB = created.body.id as string;
    remoteId = remoteServerId();
    await t.b.database.db
      .insertInto("federation_served_servers")
      .values({
        server_id: serverOnB,
        peer_id: peerOfB,
        idempotency_key: remoteId,
        request_digest: "test-setup",
        offer_version: 1,
        currency: "CAD",
        wholesale_hourly_minor: 1,
        wholesale_monthly_cap_minor: 500,
      })
      .execute();

    // A: the customer's remote_servers row pointing at B's server.
    customer = await createTenant(t.a, t.apiA, "customer");
    stranger = await createTenant(t.a, t.apiA, "customer");
    const aImage = await catalogTiny(t.a);
    const offerId = newId("federationOfferReceived");
    const versionId = newId("federationOfferVersion");
    await t.a.database.db
      .insertInto("federation_offers_received")
      .values({ id: offerId, peer_id: peerOfA, remote_offer_id: "offer_test", current_version: 1 })
      .execute();
    await t.a.database.db
      .insertInto("federation_offer_received_versions")
      .values({
        id: versionId,
        offer_id: offerId,
        version: 1,
        document: "{}",
        signature: "test-setup",
        key_id: t.profileB.fingerprint,
        received_via: "push",
      })
      .execute();
    await t.a.database.db
      .insertInto("remote_servers")
      .values({
        id: remoteId,
        account_id: customer.accountId,
        name: "relayed",
        peer_id: peerOfA,
        offer_version_id: versionId,
        remote_site_id: siteId,
        remote_plan_id: planId,
        image_id: aImage.imageId,
        currency: "CAD",
        retail_hourly_minor: 2,
        retail_monthly_cap_minor: 1000,
        wholesale_hourly_minor: 1,
        wholesale_monthly_cap_minor: 500,
        desired_state: "running",
        remote_server_id: serverOnB,
        remote_state: "provisioning",
        last_seen_at: null,
        last_error: null,
        deleted_at: null,
      })
      .execute();
    await serverReaches(asA, serverOnB, "running", 120_000);
  }, 300_000);

  afterAll(async () => {
    await agent?.stop();
    if (folders) await sweepHost(folders);
    await t?.close();
  });

  it("relays the guest's console from B to A's customer, both ways", async () => {
    const opened = await connect(wsUrl(`${t.a.url}/remote-servers/${remoteId}/console`), {
      authorization: `Bearer ${customer.token}`,
    });
    expect(opened.status).toBeUndefined();
    const ready = await eventually(
      "the readiness line through A",
      async () => READY.exec(opened.text()) ?? undefined,
      90_000,
    );
    expect(parseTinyReadyLine(ready[0])).toMatchObject({ hostname: "relayed" });
    // Keys typed at A reach the guest at B.
    const mark = opened.text().length;
    opened.socket?.send(Buffer.from("echo relayed-$((6*7))\n"));
    await eventually(
      "the guest's answer",
      async () => (/relayed-42/.test(opened.text().slice(mark)) ? true : undefined),
      30_000,
    );
    opened.socket?.close();
    expect((await opened.closed).code).toBe(1005);
  });

  it("A answers another tenant's id, and an unknown one, as not found", async () => {
    for (const [token, id] of [
      [stranger.token, remoteId],
      [customer.token, remoteServerId()],
    ] as const) {
      const refused = await connect(wsUrl(`${t.a.url}/remote-servers/${id}/console`), {
        authorization: `Bearer ${token}`,
      });
      expect(refused.status).toBe(404);
    }
    // A servers:read token may not type into a server.
    const readOnly = await customer.api.post("/tokens", { name: "ro", scopes: ["servers:read"] });
    expect(readOnly.status, JSON.stringify(readOnly.body)).toBe(201);
    const refused = await connect(wsUrl(`${t.a.url}/remote-servers/${remoteId}/console`), {
      authorization: `Bearer ${readOnly.body.token}`,
    });
    expect(refused.status).toBe(403);
  });

  it("B refuses an unsigned upgrade (401), and one for a server it runs for another peer or none (404)", async () => {
    const path = `/federation/v1/servers/${serverOnB}/console`;
    const unsigned = await connect(wsUrl(`${t.originB}${path}`), {});
    expect(unsigned.status).toBe(401);

    const signedFor = async (id: string) =>
      connect(
        wsUrl(`${t.originB}/federation/v1/servers/${id}/console`),
        await signRequest(t.signingA, {
          method: "GET",
          url: `${t.originB}/federation/v1/servers/${id}/console`,
          body: "",
        }),
      );
    // Signed by A for its own server: B opens it.
    const own = await signedFor(serverOnB);
    expect(own.status).toBeUndefined();
    own.socket?.close();
    // The same server, recorded as another peer's: B knows no such server of A's.
    const otherPeer = newId("federationPeer");
    await t.b.database.db
      .insertInto("federation_peers")
      .values({
        id: otherPeer,
        name: "Provider C",
        url: "https://c.example.test",
        public_key: "test-setup",
        fingerprint: `sha256:test-${otherPeer}`,
        jurisdictions: "[]",
        state: "active",
        origin: "invited",
        invitation_id: null,
        approved_by: null,
        approved_at: null,
        last_seen_at: null,
      })
      .execute();
    await t.b.database.db
      .updateTable("federation_served_servers")
      .set({ peer_id: otherPeer })
      .where("server_id", "=", serverOnB)
      .execute();
    try {
      expect((await signedFor(serverOnB)).status).toBe(404);
      expect((await signedFor(newId("server"))).status).toBe(404);
      // And A's customer is told the partner refused: the socket opens at A and closes with 4502.
      const relayed = await connect(wsUrl(`${t.a.url}/remote-servers/${remoteId}/console`), {
        authorization: `Bearer ${customer.token}`,
      });
      const closed = await relayed.closed;
      expect(closed.code).toBe(4502);
      expect(closed.reason).toContain("404");
    } finally {
      await t.b.database.db
        .updateTable("federation_served_servers")
        .set({ peer_id: peerOfB })
        .where("server_id", "=", serverOnB)
        .execute();
    }
  });
});
