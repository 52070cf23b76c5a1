import { dirname, join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDebianHost } from "../support/debian-host.js";
import type { DebianHost } from "../support/debian-host.js";
import { serverGone, serverReaches, vmFilesOf } from "../support/hosts.js";
import { sshRun } from "../support/ssh.js";

/**
 * Layerboom installs the customer's keys for root, as VPS providers do (DigitalOcean, Linode).
 * The `debian-12` image (debootstrap, cloud-init, openssh-server) in the catalog, a server
 * created through the API with the customer's SSH key, and a real SSH login through the
 * forwarded port: cloud-init in a real guest applied the key and the hostname.
 */
describe("a debian-12 server created through the API accepts its owner's SSH key", () => {
  let h: DebianHost;

  beforeAll(async () => {
    h = await startDebianHost("hv-debian");
  }, 1_500_000);

  afterAll(async () => h?.close());

  it("logs in with the key through the forwarded port; `hostname` prints the server's name", async () => {
    const { customer } = h;
    const created = await customer.post("/servers", {
      ...h.body,
      name: "deb-web1",
      ssh_key_ids: [h.ownerKeyId],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const server = await serverReaches(customer, id, "running", 180_000);
    const port = server.addresses.find((a: any) => a.kind === "ssh-forward").port as number;
    // cloud-init takes a while under TCG: ssh retries while sshd is not up or lacks the key yet.
    const out = await sshRun(port, "root", h.privateKey, ["hostname"], 300_000);
    expect(out.trim()).toBe("deb-web1");
    // A key that is not the owner's is refused.
    const other = join(dirname(h.privateKey), "other");
    await runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    await expect(sshRun(port, "root", other, ["true"], 0)).rejects.toThrow();

    await customer.del(`/servers/${id}`);
    await serverGone(customer, id, 120_000);
    expect(await vmFilesOf(h.folders)).toEqual([]);
  }, 900_000);
});
