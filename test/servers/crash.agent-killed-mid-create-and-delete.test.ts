import type { ChildProcess } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { vmIdForServer } from "@layerboom/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  catalogTiny,
  eventually,
  hostFolders,
  openConsole,
  qemuProcessesUnder,
  serverGone,
  serverReaches,
  spawnAgentProcess,
  sweepHost,
  vmFilesOf,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";

const READY = /LAYERBOOM-READY [^\r\n]*\r?\n/g;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function killHard(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/**
 * The agent runs as its own process (`layerboom agent`) and is killed with SIGKILL in the
 * middle of a create and in the middle of a delete. Restarted, it must converge: one QEMU
 * for the server, then none, and no overlay, seed or runtime folder left behind.
 */
describe("kill -9 of the agent during create and during delete", () => {
  let c: TestController;
  let folders: HostFolders;
  let agent: (ChildProcess & { output: () => string }) | undefined;
  let provider: ApiClient;
  let customer: ApiClient;
  let customerToken: string;
  let siteId: string;
  let planId: string;
  let imageId: string;
  let hostId: string;

  /**
   * Restarts the agent and waits until it is connected again. The killed agent's connection
   * time may be only milliseconds old, so this waits for a newer one, not for a recent one.
   */
  async function restartAgent(): Promise<void> {
    const killedAgentConnectedAt = (await provider.get(`/hosts/${hostId}`)).body.connected_at;
    agent = spawnAgentProcess(c, folders);
    await eventually(
      "the agent to reconnect",
      async () => {
        const host = (await provider.get(`/hosts/${hostId}`)).body;
        return host.connected_at && host.connected_at !== killedAgentConnectedAt ? true : undefined;
      },
      90_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${agent?.output()}`);
    });
  }

  beforeAll(async () => {
    c = await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 },
    });
    provider = apiClient(c.url, c.adminToken);
    siteId = (await provider.get("/sites")).body.items[0].id;
    planId = (await provider.get("/plans")).body.items.find((p: any) => p.name === "nano").id;
    imageId = (await catalogTiny(c)).imageId;
    folders = await hostFolders();
    const added = await addHost(provider, siteId, "crashy");
    hostId = added.hostId;
    const joinToken = added.joinToken;
    agent = spawnAgentProcess(c, folders, joinToken);
    await eventually(
      "the agent process to join",
      async () => ((await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined),
      90_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${agent?.output()}`);
    });
    const tenant = await createTenant(c, provider, "customer");
    customer = tenant.api;
    customerToken = tenant.token;
  }, 300_000);

  afterAll(async () => {
    await killHard(agent);
    await sweepHost(folders);
    await c?.close();
  });

  it("converges after a kill during create: one QEMU, a running server, no duplicate boot", async () => {
    const created = await customer.post("/servers", {
      name: "crash-create",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const dataDir = join(folders.stateDir, "vms", vmIdForServer(id));
    // Kill the agent as soon as it has started making the server (its disk folder exists).
    await eventually(
      "the agent to start creating",
      async () => ((await exists(dataDir)) ? true : undefined),
      60_000,
    );
    await killHard(agent);

    await restartAgent();
    await serverReaches(customer, id, "running", 120_000);
    const pids = await qemuProcessesUnder(folders.runDir);
    expect(pids).toHaveLength(1);
    const console = await openConsole(c, customerToken, id);
    await console.waitFor(/LAYERBOOM-READY/, 60_000);
    // Give a duplicate start, if any, time to show; then count boots on the one console.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(console.text().match(READY)?.length).toBe(1);
    console.close();
    expect(await qemuProcessesUnder(folders.runDir)).toEqual(pids);
  }, 300_000);

  it("converges after a kill during delete: nothing of the server is left", async () => {
    const list = await customer.get("/servers?name=crash-create");
    const id = list.body.items[0].id as string;
    expect((await customer.del(`/servers/${id}`)).status).toBe(200);
    // Kill the agent once it has begun the delete (the server reports `deleting`) or right away.
    await eventually(
      "the delete to begin",
      async () => {
        const res = await customer.get(`/servers/${id}`);
        return res.status === 404 || res.body.observed_state === "deleting" ? true : undefined;
      },
      60_000,
    );
    await killHard(agent);
    await restartAgent();
    await serverGone(customer, id, 120_000);
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 300_000);

  it("keeps a server running while the agent is down, and does not restart it when the agent returns", async () => {
    const created = await customer.post("/servers", {
      name: "survivor",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
    });
    const id = created.body.id as string;
    await serverReaches(customer, id, "running", 120_000);
    const before = await qemuProcessesUnder(folders.runDir);
    expect(before).toHaveLength(1);
    await killHard(agent);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await qemuProcessesUnder(folders.runDir)).toEqual(before);
    await restartAgent();
    const console = await openConsole(c, customerToken, id);
    await console.waitFor(/LAYERBOOM-READY/, 60_000);
    expect(console.text().match(READY)?.length).toBe(1);
    console.close();
    expect(await qemuProcessesUnder(folders.runDir)).toEqual(before);
    await customer.del(`/servers/${id}`);
    await serverGone(customer, id, 120_000);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 300_000);
});
