import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningAgent } from "@layerboom/agent";
import { BlobStore, catalogImageFromFiles } from "@layerboom/controller";
import { runProgram } from "@layerboom/sys";
import { ensureDebianGuest, guestImageFiles } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  eventually,
  hostFolders,
  serverGone,
  serverReaches,
  startTestAgent,
  sweepHost,
  vmFilesOf,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { sshRun } from "../support/ssh.js";
import { createTenant } from "../support/tenants.js";

/**
 * Layerboom installs the customer's keys for root, as VPS providers do (DigitalOcean, Linode).
 * The `debian-12` image (debootstrap, cloud-init, openssh-server) in the catalog, a server
 * created through the API with the customer's SSH key, and a real SSH login through the
 * forwarded port: cloud-init in a real guest applied the key and the hostname.
 */
describe("a debian-12 server created through the API accepts its owner's SSH key", () => {
  let c: TestController;
  let folders: HostFolders;
  let agent: RunningAgent | undefined;
  let customer: ApiClient;
  let keyDir: string;
  let body: Record<string, string>;

  beforeAll(async () => {
    const guest = await ensureDebianGuest();
    c = (await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 1_000, resyncIntervalMs: 1_000 },
    }))!;
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
    const { hostId, joinToken } = await addHost(provider, siteId, "hv-debian");
    agent = await startTestAgent(c, folders, { joinToken });
    await eventually("host up", async () =>
      (await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined,
    );
    customer = (await createTenant(c, provider, "customer")).api;
    keyDir = await mkdtemp(join(tmpdir(), "lbk-"));
    await runProgram("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "owner@layerboom",
      "-f",
      join(keyDir, "id"),
    ]);
    body = { site_id: siteId, plan_id: plan.id, image_id: image.id };
  }, 1_500_000);

  afterAll(async () => {
    await agent?.stop();
    if (folders) await sweepHost(folders);
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
    await c?.close();
  });

  it("logs in with the key through the forwarded port; `hostname` prints the server's name", async () => {
    const key = await customer.post("/ssh-keys", {
      name: "owner",
      public_key: (await readFile(join(keyDir, "id.pub"), "utf8")).trim(),
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const created = await customer.post("/servers", {
      ...body,
      name: "deb-web1",
      ssh_key_ids: [key.body.id],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const server = await serverReaches(customer, id, "running", 180_000);
    const port = server.addresses.find((a: any) => a.kind === "ssh-forward").port as number;
    // cloud-init takes a while under TCG: ssh retries while sshd is not up or lacks the key yet.
    const out = await sshRun(port, "root", join(keyDir, "id"), ["hostname"], 300_000);
    expect(out.trim()).toBe("deb-web1");
    // A key that is not the owner's is refused.
    await runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keyDir, "other")]);
    await expect(sshRun(port, "root", join(keyDir, "other"), ["true"], 0)).rejects.toThrow();

    await customer.del(`/servers/${id}`);
    await serverGone(customer, id, 120_000);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 900_000);
});
