import { existsSync } from "node:fs";
import { tapForServer } from "@layerboom/core";
import { DEBIAN_READY_PATTERN } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDebianHost } from "../support/debian-host.js";
import type { DebianHost } from "../support/debian-host.js";
import { eventually, openConsole, serverGone, serverReaches, vmFilesOf } from "../support/hosts.js";
import { networkSegment } from "../support/network-segment.js";
import { sshRun } from "../support/ssh.js";

/**
 * The whole public-networking path on a real guest: a site with an IPv4 pool, an agent that
 * offers the pool's bridge, a debian-12 server created through the API with an extra address.
 * cloud-init in the guest applies both addresses from the seed's network-config; a client in a
 * namespace on the same private segment logs in over SSH on each; the bytes the guest sends
 * come back through the agent's tap counters as the server's transfer; deleting the server
 * removes its tap and frees its addresses into quarantine.
 */
describe("a debian-12 server on a pooled site answers on its public addresses", () => {
  const segment = networkSegment("lbd", "203.0.113.1");
  let h: DebianHost;
  let poolId: string;

  beforeAll(async () => {
    await segment.build();
    h = await startDebianHost("hv-public", { bridges: [segment.bridge], energy: { intervalMs: 2_000 } });
    expect((await h.provider.get(`/hosts/${h.hostId}`)).body.bridges).toContain(segment.bridge);
    const pool = await h.provider.post(`/sites/${h.siteId}/ip-pools`, {
      cidr: "203.0.113.0/24",
      gateway: "203.0.113.1",
      first_address: "203.0.113.10",
      last_address: "203.0.113.20",
      bridge: segment.bridge,
      nameservers: ["203.0.113.1"],
    });
    expect(pool.status, JSON.stringify(pool.body)).toBe(201);
    poolId = pool.body.id;
  }, 1_500_000);

  afterAll(async () => {
    await h?.close();
    await segment.remove();
  });

  it("logs in on the primary and the extra address; what it sends is its transfer", async () => {
    const { c, customer, provider, privateKey } = h;
    const created = await customer.post("/servers", {
      ...h.body,
      name: "deb-pub1",
      ssh_key_ids: [h.ownerKeyId],
      extra_ipv4: 1,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const ipv4 = created.body.addresses.filter((a: any) => a.kind === "ipv4").map((a: any) => a.address);
    expect(ipv4).toEqual(["203.0.113.10", "203.0.113.11"]);
    await serverReaches(customer, id, "running", 180_000);
    const serial = await openConsole(c, c.adminToken, id);
    const tap = tapForServer(id);
    expect(existsSync(`/sys/class/net/${tap}/master`)).toBe(true);

    // cloud-init takes a while under TCG: ssh retries while sshd is not up or lacks the key yet.
    const primary = { netns: segment.netns, host: "203.0.113.10" };
    const extra = { netns: segment.netns, host: "203.0.113.11" };
    // cloud-init prints its final message once the network is online and sshd listens.
    await serial.waitFor(DEBIAN_READY_PATTERN, 600_000);
    const hostname = await sshRun(primary, "root", privateKey, ["hostname"], 180_000).catch(
      async (err: Error) => {
        // cloud-init's own tables (addresses, routes) come early in the boot; keep them whole.
        const consoleText = serial.text();
        const cloudInitTables = consoleText.split("\n").filter((l) => l.includes("ci-info:"));
        throw new Error(
          `${err.message}\nhost side:\n${await segment.diagnose()}\n` +
            `cloud-init's tables:\n${cloudInitTables.join("\n")}\nconsole:\n${consoleText.slice(-4000)}`,
        );
      },
    );
    serial.close();
    expect(hostname.trim()).toBe("deb-pub1");
    expect((await sshRun(extra, "root", privateKey, ["hostname"], 60_000)).trim()).toBe("deb-pub1");
    const addresses = await sshRun(primary, "root", privateKey, [
      "ip",
      "-4",
      "-o",
      "addr",
      "show",
      "scope",
      "global",
    ]);
    expect(addresses).toContain("203.0.113.10/24");
    expect(addresses).toContain("203.0.113.11/24");
    const route = await sshRun(primary, "root", privateKey, ["ip", "-4", "route", "show", "default"]);
    expect(route).toContain("via 203.0.113.1");

    // The guest sends 4 MiB to the client; its transfer counts at least that, through the agent.
    const before = (await customer.get(`/servers/${id}/transfer`)).body.out_bytes as number;
    const sent = await sshRun(primary, "root", privateKey, ["head", "-c", "4194304", "/dev/zero"]);
    expect(sent.length).toBe(4_194_304);
    const transfer = await eventually(
      "the transfer reaches the controller",
      async () => {
        const t = (await customer.get(`/servers/${id}/transfer`)).body;
        return t.out_bytes >= before + 4_194_304 ? t : undefined;
      },
      60_000,
    );
    expect(transfer.in_bytes).toBeGreaterThan(0);
    expect(transfer.allowance_bytes).toBeGreaterThan(0);

    await customer.del(`/servers/${id}`);
    await serverGone(customer, id, 120_000);
    expect(await vmFilesOf(h.folders)).toEqual([]);
    expect(existsSync(`/sys/class/net/${tap}`)).toBe(false);
    // Both addresses are free of the server (in quarantine, not handed out yet).
    expect((await provider.get(`/ip-pools/${poolId}`)).body.in_use).toBe(0);
  }, 1_200_000);
});
