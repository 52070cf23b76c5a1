import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningAgent } from "@layerboom/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  addIdleHost,
  catalogTiny,
  eventually,
  hostFolders,
  originOf,
  startTestAgent,
  sweepHost,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";

/** Opens the agent channel with a credential and reports how the controller answered. */
function channelAnswer(c: TestController, credential: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${originOf(c).replace("http", "ws")}/agent/v1`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    ws.once("open", () => {
      ws.close();
      resolve(101);
    });
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", () => resolve(0));
  });
}

describe("hosts: joining, heartbeats and removal", () => {
  let c: TestController;
  let provider: ApiClient;
  let folders: HostFolders;
  let agent: RunningAgent | undefined;
  let siteId: string;
  let hostId: string;
  let joinToken: string;

  beforeAll(async () => {
    c = await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 300, downAfterMs: 1_200, resyncIntervalMs: 300 },
    });
    provider = apiClient(c.url, c.adminToken);
    siteId = (await provider.get("/sites")).body.items[0].id;
    await catalogTiny(c);
    folders = await hostFolders();
    ({ hostId, joinToken } = await addHost(provider, siteId, "hv-life"));
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await sweepHost(folders);
    await c?.close();
  });

  it("refuses a host in an unknown site with a 400 that names the field, and hosts from non-providers", async () => {
    const res = await provider.post("/hosts", {
      name: "nowhere",
      site_id: "site_00000000000000000000000000",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.field).toBe("site_id");
    const customer = await createTenant(c, provider, "customer");
    expect((await customer.api.post("/hosts", { name: "mine", site_id: siteId })).status).toBe(403);
  });

  it("starts pending, and refuses malformed, unknown and reused join tokens", async () => {
    expect((await provider.get(`/hosts/${hostId}`)).body.state).toBe("pending");
    const join_ = (token: string) =>
      fetch(`${originOf(c)}/agent/v1/join`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ join_token: token }),
      });
    expect((await join_("not-a-token")).status).toBe(401);
    expect((await join_(joinToken.replace(/.$/, (ch) => (ch === "A" ? "B" : "A")))).status).toBe(401);
    agent = await startTestAgent(c, folders, { joinToken });
    await eventually("host up", async () =>
      (await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined,
    );
    const reused = await join_(joinToken);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as any).error.message).toMatch(/unknown, used or expired/);
  });

  it("stores the host credential only on the host, and the controller only its hash", async () => {
    const stored = JSON.parse(await readFile(join(folders.stateDir, "credential.json"), "utf8")) as {
      credential: string;
    };
    expect(stored.credential).toMatch(/^lbh_host_/);
    const row = await c.database.db
      .selectFrom("hosts")
      .selectAll()
      .where("id", "=", hostId)
      .executeTakeFirstOrThrow();
    expect(row.credential_hash).not.toContain(stored.credential.split(".")[1]);
    expect(JSON.stringify((await provider.get(`/hosts/${hostId}`)).body)).not.toMatch(/hash|lbh_/);
  });

  it("marks the host down when heartbeats stop, and up again when the agent returns", async () => {
    await agent?.stop();
    agent = undefined;
    await eventually(
      "host down",
      async () => ((await provider.get(`/hosts/${hostId}`)).body.state === "down" ? true : undefined),
      20_000,
    );
    agent = await startTestAgent(c, folders);
    await eventually(
      "host up again",
      async () => ((await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined),
      20_000,
    );
  });

  it("refuses to remove a host that carries servers", async () => {
    const busyHost = await addIdleHost(c, siteId, "busy");
    const customer = await createTenant(c, provider, "customer");
    const image = (await provider.get("/images?name=tiny")).body.items[0].id;
    const plan = (await provider.get("/plans")).body.items[0].id;
    // Fill the real host's site: the idle host wins with its larger capacity under spread.
    const server = await customer.api.post("/servers", {
      name: "pinned",
      site_id: siteId,
      plan_id: plan,
      image_id: image,
    });
    expect(server.body.host_id).toBe(busyHost);
    const res = await provider.del(`/hosts/${busyHost}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/still carries 1 server/);
  });

  it("removes a host: its credential is refused at once, and its agent is told so", async () => {
    const stored = JSON.parse(await readFile(join(folders.stateDir, "credential.json"), "utf8")) as {
      credential: string;
    };
    expect(await channelAnswer(c, stored.credential)).toBe(101);
    const running = agent;
    const removed = await provider.del(`/hosts/${hostId}`);
    expect(removed.status).toBe(200);
    // The live channel is closed with a reason the agent takes as final.
    await expect(running?.rejected).resolves.toMatch(/host was removed|refused the host credential/);
    expect(removed.body.state).toBe("removed");
    expect(await channelAnswer(c, stored.credential)).toBe(401);
    const blob = await fetch(`${originOf(c)}/agent/v1/blobs/${"0".repeat(64)}`, {
      headers: { authorization: `Bearer ${stored.credential}` },
    });
    expect(blob.status).toBe(401);
    expect((await provider.get(`/hosts/${hostId}`)).status).toBe(404);
    // The running agent's next reconnect is refused and it gives up with a clear reason.
    const restarted = await startTestAgent(c, folders);
    await expect(restarted.rejected).resolves.toMatch(/refused the host credential/);
    await restarted.stop();
  });

  it("refuses a user's API token on the agent channel, and a host credential on the REST API", async () => {
    expect(await channelAnswer(c, c.adminToken)).toBe(401);
    const stored = JSON.parse(await readFile(join(folders.stateDir, "credential.json"), "utf8")) as {
      credential: string;
    };
    expect((await apiClient(c.url, stored.credential).get("/servers")).status).toBe(401);
  });
});
