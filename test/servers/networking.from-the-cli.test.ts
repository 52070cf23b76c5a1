import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { addIdleHost, runCli } from "../support/hosts.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";

/**
 * Public networking through the real CLI: the provider gives a site of its own an IPv4 pool
 * (a bad CIDR is refused, naming the field), a customer creates a server there with an extra
 * address, adds one, releases one (not the primary: that is refused clearly), and reads the
 * month's transfer against the plan's allowance. Servers land on an idle host that offers the
 * pool's bridge; nothing boots.
 */
describe("public IPv4 and transfer through the CLI", () => {
  let c: TestController;
  let world: World;
  let siteId: string;

  beforeAll(async () => {
    c = await startTestController("pglite");
    world = await buildWorld(c);
    const site = await world.provider.post("/sites", {
      name: "public-cli",
      country_code: "CA",
      time_zone: "America/Toronto",
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    siteId = site.body.id;
    const hostId = await addIdleHost(c, siteId, "hv-bridged");
    await c.database.db
      .updateTable("hosts")
      .set({ bridges: JSON.stringify(["br-x"]) })
      .where("id", "=", hostId)
      .execute();
  }, 120_000);

  afterAll(async () => {
    await c?.close();
  });

  it("adds a pool, creates a server with an extra address, adds and releases one, and shows its transfer", async () => {
    const admin = (args: string[]) => runCli(c, c.adminToken, args);
    const customer = (args: string[]) => runCli(c, world.customer3.token, args);

    // A bad CIDR: the API's message, naming the field.
    const bad = await admin([
      "sites",
      "pools",
      "add",
      "public-cli",
      "--cidr",
      "203.0.113.4/29",
      "--gateway",
      "203.0.113.1",
      "--bridge",
      "br-x",
    ]);
    expect(bad.code, bad.output).not.toBe(0);
    expect(bad.output).toMatch(/^Error: .*\(field: cidr\)$/m);

    // The pool, by the site's name; its range defaults to the network's hosts.
    const added = await admin([
      "sites",
      "pools",
      "add",
      "public-cli",
      "--cidr",
      "203.0.113.0/29",
      "--gateway",
      "203.0.113.1",
      "--bridge",
      "br-x",
      "--nameserver",
      "9.9.9.9",
      "1.1.1.1",
    ]);
    expect(added.code, added.output).toBe(0);
    expect(added.output).toMatch(/^cidr\s+203\.0\.113\.0\/29$/m);
    expect(added.output).toMatch(/^range\s+203\.0\.113\.1-203\.0\.113\.6$/m);
    expect(added.output).toMatch(/^nameservers\s+9\.9\.9\.9,1\.1\.1\.1$/m);
    expect(added.output).toMatch(/^in use\s+0\/5$/m);
    const listed = await admin(["-o", "json", "sites", "pools", "list", siteId]);
    expect(listed.code, listed.output).toBe(0);
    const [pool] = JSON.parse(listed.output);
    expect(pool).toMatchObject({ cidr: "203.0.113.0/29", bridge: "br-x", in_use: 0, size: 5 });
    // Customers never see the provider's pools.
    const hidden = await customer(["sites", "pools", "list", siteId]);
    expect(hidden.code).not.toBe(0);

    // A server with one extra address: the primary one first.
    const created = await customer([
      "-o",
      "json",
      "servers",
      "create",
      "pub-cli",
      "--site",
      siteId,
      "--plan",
      world.planId,
      "--image",
      world.imageId,
      "--extra-ipv4",
      "1",
    ]);
    expect(created.code, created.output).toBe(0);
    const server = JSON.parse(created.output);
    expect(
      server.addresses.filter((a: any) => a.kind === "ipv4").map((a: any) => `${a.address} ${a.role}`),
    ).toEqual(["203.0.113.2 primary", "203.0.113.3 extra"]);
    const shown = await customer(["servers", "show", server.id]);
    expect(shown.output).toMatch(/^ssh\s+203\.0\.113\.2$/m);
    expect(shown.output).toMatch(/^ipv4\s+203\.0\.113\.2,203\.0\.113\.3$/m);
    const tooMany = await customer([
      "servers",
      "create",
      "x",
      "--site",
      siteId,
      "--plan",
      world.planId,
      "--image",
      world.imageId,
      "--extra-ipv4",
      "17",
    ]);
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.output).toContain("--extra-ipv4 takes a whole number from 0 to 16");

    // One more, then the first extra one back.
    const more = await customer(["servers", "ipv4", "add", server.id]);
    expect(more.code, more.output).toBe(0);
    expect(more.output).toMatch(/^added 203\.0\.113\.4$/m);
    expect(more.output).toMatch(/^203\.0\.113\.4\/29\s+extra\s+203\.0\.113\.1$/m);
    expect(more.output).toContain("at its next boot");
    const released = await customer(["servers", "ipv4", "release", server.id, "203.0.113.3"]);
    expect(released.code, released.output).toBe(0);
    expect(released.output).toMatch(/^released 203\.0\.113\.3$/m);
    expect(released.output).not.toMatch(/^203\.0\.113\.3\//m);
    const list = await customer(["servers", "ipv4", "list", server.id]);
    expect(list.output.trim().split("\n")).toEqual([
      expect.stringMatching(/^ADDRESS\s+ROLE$/),
      expect.stringMatching(/^203\.0\.113\.2\/29\s+primary$/),
      expect.stringMatching(/^203\.0\.113\.4\/29\s+extra$/),
    ]);

    // The primary address stays with the server: a clear refusal.
    const primary = await customer(["servers", "ipv4", "release", server.id, "203.0.113.2"]);
    expect(primary.code).not.toBe(0);
    expect(primary.output).toMatch(/^Error: 203\.0\.113\.2 is server \S+'s primary address; it stays until/m);
    const notAnAddress = await customer(["servers", "ipv4", "release", server.id, "nope"]);
    expect(notAnAddress.code).not.toBe(0);
    expect(notAnAddress.output).toContain('takes an IPv4 address, not "nope"');

    // The pool counts what is held.
    expect((await admin(["sites", "pools", "list", siteId])).output).toMatch(/\s2\/5$/m);

    // This month's transfer: nothing moved yet, against the plan's (prorated) allowance.
    const transfer = await customer(["servers", "transfer", server.id]);
    expect(transfer.code, transfer.output).toBe(0);
    expect(transfer.output).toMatch(/^month\s+\d{4}-\d{2}$/m);
    expect(transfer.output).toMatch(/^sent\s+0\.0 GiB$/m);
    expect(transfer.output).toMatch(/^received\s+0\.0 GiB \(free\)$/m);
    expect(transfer.output).toMatch(/^allowance\s+\d+\.\d GiB$/m);
    const days = await customer(["servers", "transfer", server.id, "--month", "2026-01", "--days"]);
    expect(days.code, days.output).toBe(0);
    const json = await customer(["-o", "json", "servers", "transfer", server.id]);
    expect(JSON.parse(json.output)).toMatchObject({ server_id: server.id, out_bytes: 0, in_bytes: 0 });
    const badMonth = await customer(["servers", "transfer", server.id, "--month", "2026-13"]);
    expect(badMonth.output).toContain('--month takes YYYY-MM, not "2026-13"');

    // A pool with addresses held cannot go; an empty one can.
    const busy = await admin(["sites", "pools", "remove", pool.id]);
    expect(busy.code).not.toBe(0);
    expect(busy.output).toMatch(/still has 2 address\(es\) held/);
    const spare = await admin([
      "-o",
      "json",
      "sites",
      "pools",
      "add",
      siteId,
      "--cidr",
      "198.51.100.0/30",
      "--gateway",
      "198.51.100.1",
      "--bridge",
      "br-x",
    ]);
    expect(spare.code, spare.output).toBe(0);
    const removed = await admin(["sites", "pools", "remove", JSON.parse(spare.output).id]);
    expect(removed.code, removed.output).toBe(0);
    expect(removed.output).toMatch(/^removed \S+ \(198\.51\.100\.0\/30\)$/m);
  }, 300_000);

  it("sets a plan's extra-address and overage prices", async () => {
    const updated = await runCli(c, c.adminToken, [
      "-o",
      "json",
      "plans",
      "update",
      world.planId,
      "--extra-ipv4-monthly",
      "450",
      "--transfer-overage-per-gib",
      "2",
    ]);
    expect(updated.code, updated.output).toBe(0);
    expect(JSON.parse(updated.output)).toMatchObject({
      extra_ipv4_monthly_minor: 450,
      transfer_overage_minor_per_gib: 2,
    });
    const created = await runCli(c, c.adminToken, [
      "plans",
      "create",
      "pub-small",
      "--vcpus",
      "1",
      "--memory-mib",
      "512",
      "--disk-gib",
      "10",
      "--hourly",
      "1",
      "--monthly-cap",
      "500",
      "--extra-ipv4-monthly",
      "250",
      "--transfer-overage-per-gib",
      "3",
    ]);
    expect(created.code, created.output).toBe(0);
    expect(created.output).toMatch(/^extra ipv4\/month\s+2\.50 CAD$/m);
    expect(created.output).toMatch(/^overage\/GiB\s+0\.03 CAD$/m);
  }, 60_000);
});
