import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentOptions, RunningAgent } from "@layerboom/agent";
import { BlobStore, catalogImageFromFiles } from "@layerboom/controller";
import { runProgram } from "@layerboom/sys";
import { ensureDebianGuest, guestImageFiles } from "@layerboom/testkit";
import { expect } from "vitest";
import { apiClient, startTestController } from "./controller.js";
import type { ApiClient, TestController } from "./controller.js";
import { addHost, eventually, hostFolders, startTestAgent, sweepHost } from "./hosts.js";
import type { HostFolders } from "./hosts.js";
import { createTenant } from "./tenants.js";

/**
 * A controller on PGlite with the `debian-12` image (debootstrap, cloud-init, openssh-server)
 * in its catalog, one real host with an agent, a customer, and an SSH key pair of the
 * customer's on disk: what the tests of real debian-12 servers share.
 */
export interface DebianHost {
  c: TestController;
  provider: ApiClient;
  customer: ApiClient;
  siteId: string;
  hostId: string;
  folders: HostFolders;
  /** The customer's private key; its public key is registered as `ownerKeyId`. */
  privateKey: string;
  ownerKeyId: string;
  /** site_id, plan_id (small) and image_id for POST /servers. */
  body: { site_id: string; plan_id: string; image_id: string };
  close(): Promise<void>;
}

export async function startDebianHost(
  hostName: string,
  agentOptions: Partial<AgentOptions> = {},
): Promise<DebianHost> {
  const guest = await ensureDebianGuest();
  const c = await startTestController("pglite", {
    agents: { heartbeatIntervalMs: 1_000, resyncIntervalMs: 1_000 },
  });
  let agent: RunningAgent | undefined;
  let folders: HostFolders | undefined;
  let keyDir: string | undefined;
  const close = async () => {
    await agent?.stop();
    if (folders) await sweepHost(folders);
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
    await c.close();
  };
  try {
    const provider = apiClient(c.url, c.adminToken);
    const image = await catalogImageFromFiles(c.database, new BlobStore(c.blobDir), {
      name: "debian-12",
      os: "debian",
      ...guestImageFiles(guest),
    });
    expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);
    const siteId = (await provider.get("/sites")).body.items[0].id as string;
    const plan = (await provider.get("/plans")).body.items.find((p: any) => p.name === "small");
    folders = await hostFolders();
    const { hostId, joinToken } = await addHost(provider, siteId, hostName);
    agent = await startTestAgent(c, folders, { joinToken, ...agentOptions });
    await eventually("host up", async () =>
      (await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined,
    );
    const customer = (await createTenant(c, provider, "customer")).api;
    keyDir = await mkdtemp(join(tmpdir(), "lbk-"));
    const privateKey = join(keyDir, "id");
    await runProgram("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "owner@layerboom",
      "-f",
      privateKey,
    ]);
    const key = await customer.post("/ssh-keys", {
      name: "owner",
      public_key: (await readFile(`${privateKey}.pub`, "utf8")).trim(),
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    return {
      c,
      provider,
      customer,
      siteId,
      hostId,
      folders,
      privateKey,
      ownerKeyId: key.body.id,
      body: { site_id: siteId, plan_id: plan.id, image_id: image.id },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
