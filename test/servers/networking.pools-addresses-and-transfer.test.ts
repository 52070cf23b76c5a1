import type { EnergySample } from "@layerboom/core";
import { tapForServer, vmIdForServer } from "@layerboom/core";
import { desiredServersForHost, ingestEnergySamples, recordObservations } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { addIdleHost } from "../support/hosts.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/**
 * A site's IPv4 pool through the API: servers get a primary address and extra ones in the
 * transaction that creates them, placement needs a host with the pool's bridge, the agent
 * receives the addresses, the pool runs out cleanly, addresses come back after a delete (into
 * quarantine), and the bytes agents report per tap are counted exactly once.
 */
describeOnEachDatabase("public IPv4 pools and transfer on %s", (kind) => {
  let c: TestController;
  let world: World;
  let provider: ApiClient;
  let customer: ApiClient;
  let siteId: string;
  let poolId: string;
  let hostId: string;

  const create = (name: string, extra?: number) =>
    customer.post("/servers", {
      name,
      site_id: siteId,
      plan_id: world.planId,
      image_id: world.imageId,
      ...(extra !== undefined ? { extra_ipv4: extra } : {}),
    });
  const ipv4Of = (server: { addresses: { kind: string; address: string; role?: string }[] }) =>
    server.addresses.filter((a) => a.kind === "ipv4").map((a) => `${a.address} ${a.role}`);

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
    provider = world.provider;
    customer = world.customer3.api;
    const site = await provider.post("/sites", {
      name: "public",
      country_code: "CA",
      time_zone: "America/Toronto",
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    siteId = site.body.id;
  });
  afterAll(async () => c?.close());

  it("refuses a malformed pool, naming the field, and one that overlaps another", async () => {
    const base = { cidr: "203.0.113.0/29", gateway: "203.0.113.1", bridge: "br-public" };
    const bad = [
      [{ ...base, cidr: "203.0.113.4/29" }, "cidr"],
      [{ ...base, gateway: "198.51.100.1" }, "gateway"],
      [{ ...base, last_address: "203.0.113.7" }, "last_address"],
      [{ ...base, bridge: "br public" }, "bridge"],
    ] as const;
    for (const [body, field] of bad) {
      const res = await provider.post(`/sites/${siteId}/ip-pools`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(JSON.stringify(res.body.error), field).toContain(field);
    }
    const pool = await provider.post(`/sites/${siteId}/ip-pools`, base);
    expect(pool.status, JSON.stringify(pool.body)).toBe(201);
    poolId = pool.body.id;
    expect(pool.body).toMatchObject({
      first_address: "203.0.113.1",
      last_address: "203.0.113.6",
      size: 5,
      in_use: 0,
    });
    const overlap = await provider.post(`/sites/${siteId}/ip-pools`, { ...base, cidr: "203.0.113.0/28" });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.message).toContain(poolId);
    // Customers see neither the site's pools nor a pool by id.
    expect((await customer.get(`/sites/${siteId}/ip-pools`)).status).toBe(403);
    expect((await customer.get(`/ip-pools/${poolId}`)).status).toBe(404);
  });

  it("places a server of a pooled site only on a host that offers the pool's bridge", async () => {
    hostId = await addIdleHost(c, siteId, "no-bridge");
    const refused = await create("nobridge");
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("bridge br-public");
    const addressesHeld = await c.database.db.selectFrom("ip_addresses").selectAll().execute();
    expect(addressesHeld).toEqual([]);
    await c.database.db
      .updateTable("hosts")
      .set({ bridges: JSON.stringify(["br-public"]) })
      .where("id", "=", hostId)
      .execute();
  });

  let serverId: string;
  /** The second server, pub2, which raced pub1 for the pool's last address. */
  let otherId: string;
  it("gives a new server its primary and extra addresses, and its host's agent the network", async () => {
    const res = await create("pub1", 1);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    serverId = res.body.id;
    expect(ipv4Of(res.body)).toEqual(["203.0.113.2 primary", "203.0.113.3 extra"]);
    const desired = (await desiredServersForHost(c.database, hostId)).find((s) => s.server_id === serverId);
    expect(desired?.network).toEqual({
      bridge: "br-public",
      tap: tapForServer(serverId),
      ipv4: ["203.0.113.2/29", "203.0.113.3/29"],
      gateway4: "203.0.113.1",
      nameservers: [],
    });
    // The extra address is billed from the server's creation.
    const intervals = await c.database.db
      .selectFrom("addon_intervals")
      .select(["kind", "ref", "ended_at"])
      .where("server_id", "=", serverId)
      .execute();
    expect(intervals).toEqual([{ kind: "ipv4", ref: "203.0.113.3", ended_at: null }]);
  });

  it("adds and releases extra addresses; the primary one stays; outsiders get 404", async () => {
    const before = (await customer.get(`/servers/${serverId}`)).body.generation;
    const added = await customer.post(`/servers/${serverId}/ipv4`, {});
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ address: "203.0.113.4", applies_on_reboot: true });
    expect((await customer.get(`/servers/${serverId}`)).body.generation).toBeGreaterThan(before);

    const primary = await customer.del(`/servers/${serverId}/ipv4/203.0.113.2`);
    expect(primary.status).toBe(409);
    expect(primary.body.error.message).toContain("primary");
    const notMine = await customer.del(`/servers/${serverId}/ipv4/203.0.113.5`);
    expect(notMine.status).toBe(404);
    const released = await customer.del(`/servers/${serverId}/ipv4/203.0.113.3`);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.addresses.map((a: { address: string }) => a.address)).toEqual([
      "203.0.113.2",
      "203.0.113.4",
    ]);
    const intervals = await c.database.db
      .selectFrom("addon_intervals")
      .select(["ref", "ended_at"])
      .where("server_id", "=", serverId)
      .orderBy("ref")
      .execute();
    expect(intervals.map((i) => [i.ref, i.ended_at === null])).toEqual([
      ["203.0.113.3", false],
      ["203.0.113.4", true],
    ]);
    for (const outsider of [world.customer1.api, world.reseller2.api]) {
      expect((await outsider.post(`/servers/${serverId}/ipv4`, {})).status).toBe(404);
      expect((await outsider.del(`/servers/${serverId}/ipv4/203.0.113.4`)).status).toBe(404);
      expect((await outsider.get(`/servers/${serverId}/transfer`)).status).toBe(404);
    }
  });

  it("hands out the last address once when two requests race, and then says the pool is full", async () => {
    // Free now: .5 and .6 (.3 is in quarantine).
    const other = await create("pub2");
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    expect(ipv4Of(other.body)).toEqual(["203.0.113.5 primary"]);
    otherId = other.body.id;
    const race = await Promise.all([
      customer.post(`/servers/${serverId}/ipv4`, {}),
      customer.post(`/servers/${other.body.id}/ipv4`, {}),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = race.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe("insufficient_capacity");
    expect(loser.body.error.message).toContain("no free IPv4 address");

    const serversBefore = await c.database.db.selectFrom("servers").select("id").execute();
    const full = await create("pub3");
    expect(full.status).toBe(409);
    expect(full.body.error.details.short).toEqual(["ipv4"]);
    // Nothing half-created.
    expect(await c.database.db.selectFrom("servers").select("id").execute()).toHaveLength(
      serversBefore.length,
    );
    const pool = await provider.get(`/ip-pools/${poolId}`);
    expect(pool.body.in_use).toBe(4);
    expect((await provider.del(`/ip-pools/${poolId}`)).status).toBe(409);
  });

  it("counts the bytes an agent reports for a server's tap once, even when the frame is resent", async () => {
    const vm = vmIdForServer(serverId);
    const now = Date.now();
    const sample = (seq: number, out: number, inn: number): EnergySample => ({
      seq,
      start_ms: now - 20_000 + seq * 1000,
      end_ms: now - 19_000 + seq * 1000,
      source: "model",
      estimated: true,
      host_energy_uj: 1_000_000,
      idle_energy_uj: 500_000,
      host_cpus: 2,
      vms: [
        {
          vm_id: vm,
          cpu_time_us: 1000,
          vcpus: 1,
          present_us: 1_000_000,
          net_out_bytes: out,
          net_in_bytes: inn,
        },
      ],
    });
    const frame = [sample(1, 1_500_000, 20_000), sample(2, 500_000, 5_000)];
    await ingestEnergySamples(c.database, hostId, "boot-a", 0, frame);
    await ingestEnergySamples(c.database, hostId, "boot-a", 0, frame);
    const transfer = await customer.get(`/servers/${serverId}/transfer`);
    expect(transfer.status, JSON.stringify(transfer.body)).toBe(200);
    expect(transfer.body).toMatchObject({ server_id: serverId, out_bytes: 2_000_000, in_bytes: 25_000 });
    expect(transfer.body.days.reduce((a: number, d: { out_bytes: number }) => a + d.out_bytes, 0)).toBe(
      2_000_000,
    );
    expect(transfer.body.allowance_bytes).toBeGreaterThan(0);
    expect(transfer.body.allowance_bytes).toBeLessThan(2 ** 30 * 2000);
    const future = await customer.get(`/servers/${serverId}/transfer?month=2999-01`);
    expect(future.status).toBe(400);
    expect(future.body.error.message).toContain("2999-01");
  });

  it("keeps a deleted server's addresses until its agent confirms, then quarantines them", async () => {
    const deleted = await customer.del(`/servers/${serverId}`);
    expect(deleted.status).toBe(200);
    expect((await provider.get(`/ip-pools/${poolId}`)).body.in_use).toBe(4);
    await recordObservations(c.database, hostId, [{ server_id: serverId, state: "deleted", generation: 99 }]);
    // What is left in use is pub2's: one address, or two when it won the race for the last one.
    const otherHolds = ipv4Of((await customer.get(`/servers/${otherId}`)).body).length;
    expect(otherHolds).toBeGreaterThanOrEqual(1);
    expect((await provider.get(`/ip-pools/${poolId}`)).body.in_use).toBe(otherHolds);
    // Quarantined: a new server cannot have them yet, so the site is still full.
    const again = await create("pub4");
    expect(again.status).toBe(409);
    expect(again.body.error.details.short).toEqual(["ipv4"]);
  });
});
