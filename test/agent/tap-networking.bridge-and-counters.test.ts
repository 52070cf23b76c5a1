import { randomBytes } from "node:crypto";
import { existsSync, readlinkSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import {
  EnergyMeter,
  QemuDriver,
  Reconciler,
  applyTapFilter,
  deleteTap,
  ensureTap,
  findPowerProfile,
  listFilteredTaps,
  macForServer,
  removeTapFilter,
  readTapCounters,
  silentLogger,
  tapIsAttached,
  type BlobFetcher,
  type PowerSource,
} from "@layerboom/agent";
import type { AgentMessage, EnergySample } from "@layerboom/core";
import { tapForServer } from "@layerboom/core";
import { runProgram } from "@layerboom/sys";
import { parseTinyReadyLine } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driverFixture, type DriverFixture } from "./tiny-vm.js";
import { networkSegment } from "../support/network-segment.js";

const segment = networkSegment("lbt", "203.0.113.1");
const BRIDGE = segment.bridge;
const ADDRESSES = ["203.0.113.10/24", "203.0.113.11/24"];
const GATEWAY = segment.gateway;
const VM_ID = "tap-1";

/** A server id's worth of randomness: the tap is named as the agent names a server's. */
function randomServerTap(): string {
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  const id = [...randomBytes(26)].map((b) => alphabet[b % 32]).join("");
  return tapForServer(`srv_${id}`);
}
const TAP = randomServerTap();
const SPARE_TAP = randomServerTap();
/** A filter whose tap never existed: the reconciler's sweep removes it. */
const STALE_TAP = randomServerTap();
/** A veth port on the bridge named as a server tap: a "guest" whose frames the test writes itself. */
const IMPOSTOR = randomServerTap();
const IMPOSTOR_NS = `${segment.netns}i`;
const IMPOSTOR_MAC = "52:54:00:0f:0f:01";

/** Runs a busybox applet inside the namespace. */
function inNamespace(args: string[], timeoutMs = 30_000): Promise<{ stdout: string }> {
  return segment.run("busybox", args, timeoutMs);
}

async function removeSegment(): Promise<void> {
  for (const tap of [TAP, SPARE_TAP]) await deleteTap(tap).catch(() => undefined);
  await runProgram("ip", ["netns", "del", IMPOSTOR_NS], { timeoutMs: 15_000 }).catch(() => undefined);
  if (existsSync(`/sys/class/net/${IMPOSTOR}`))
    await runProgram("ip", ["link", "del", "dev", IMPOSTOR], { timeoutMs: 15_000 }).catch(() => undefined);
  for (const tap of [IMPOSTOR, STALE_TAP]) await removeTapFilter(tap).catch(() => undefined);
  await segment.remove();
}

/** The agent's nftables table as `nft list` prints it. */
async function filterTable(): Promise<string> {
  return (await runProgram("nft", ["list", "table", "bridge", "layerboom"], { timeoutMs: 15_000 })).stdout;
}

/** Pings from the namespace; rejects (with busybox's output) when no reply comes. */
function ping(address: string, extra: string[] = []): Promise<{ stdout: string }> {
  return inNamespace(["ping", "-c", "3", "-W", "2", ...extra, address], 60_000);
}

/** The guest's port 22 banner as seen from the namespace, retrying while its listener starts. */
async function bannerFromNamespace(address: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const out = await inNamespace(["nc", "-w", "3", address, "22"], 10_000).catch((err: unknown) => ({
      stdout: String(err),
    }));
    if (out.stdout.includes("SSH-2.0-")) return out.stdout.trim();
    last = out.stdout;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no banner from ${address}:22 (last: ${last})`);
}

/** A fake power source: the meter needs one, this test only looks at transfer. */
const fakePowerSource: PowerSource = {
  kind: "model",
  read: async () => ({
    kind: "model",
    estimated: true,
    energyMicrojoules: 1,
    intervalMs: 1,
    atMs: Date.now(),
  }),
};

describe("a VM on a host bridge through its tap", () => {
  let fx: DriverFixture;
  let driver: QemuDriver;

  beforeAll(async () => {
    fx = await driverFixture();
    driver = new QemuDriver(fx.options);
    await segment.build();
  }, 300_000);

  afterAll(async () => {
    await fx?.cleanup([driver]).catch(() => undefined);
    await removeSegment();
  }, 60_000);

  it("answers on every seeded address, counts its bytes on the tap, keeps the tap while attached and removes it on delete", async () => {
    const spec = fx.spec(VM_ID);
    const bridged = {
      ...spec,
      network: { bridge: BRIDGE, tap: TAP },
      seed: { ...spec.seed!, network: { ipv4: ADDRESSES, gateway4: GATEWAY, nameservers: [] } },
    };
    const t0 = Date.now();
    const started = await driver.ensureRunning(bridged);
    expect(started).toMatchObject({ state: "running", known: true });
    expect(started.sshHostPort).toBeUndefined();

    // The tap exists, is on our bridge, and QEMU uses it instead of user networking.
    expect(basename(readlinkSync(`/sys/class/net/${TAP}/master`))).toBe(BRIDGE);
    const cmdline = readFileSync(`/proc/${started.pid}/cmdline`, "utf8").split("\0");
    expect(cmdline).toContain(`tap,id=net0,ifname=${TAP},script=no,downscript=no`);
    expect(cmdline.join(" ")).not.toContain("hostfwd");

    const console = await driver.console(VM_ID);
    const ready = await console.waitFor(fx.guest.readyPattern, { timeoutMs: 60_000 });
    expect(parseTinyReadyLine(ready[0])).toMatchObject({ hostname: `host-${VM_ID}`, ip: "203.0.113.10" });
    process.stdout.write(`bridged tiny guest ready ${Date.now() - t0} ms after ensureRunning\n`);
    expect(tapIsAttached(TAP)).toBe(true);

    // Anti-spoofing: the driver pinned the tap to the guest's MAC and both addresses before
    // QEMU started. Narrowed to .10, the guest still has .11 configured, but what it sends from
    // .11 (ARP and replies) is dropped on the bridge, so .11 stops answering; widened, it does.
    const mac = macForServer(VM_ID);
    expect(await listFilteredTaps()).toContain(TAP);
    const table = await filterTable();
    expect(table).toContain(`ether saddr != ${mac} drop`);
    expect(table).toMatch(/ip saddr \{ 203\.0\.113\.10, 203\.0\.113\.11 \} accept/);
    const tf = Date.now();
    await applyTapFilter(TAP, mac, ["203.0.113.10/24"]);
    expect((await ping("203.0.113.10")).stdout).toMatch(/3 packets received/);
    await expect(ping("203.0.113.11")).rejects.toThrow();
    await applyTapFilter(TAP, mac, ADDRESSES);
    expect((await ping("203.0.113.11")).stdout).toMatch(/3 packets received/);
    process.stdout.write(`anti-spoofing narrow/widen checks took ${Date.now() - tf} ms\n`);

    // Both addresses answer from the gateway's side, and port 22 at the second one.
    expect((await ping("203.0.113.10")).stdout).toMatch(/3 packets received/);
    expect((await ping("203.0.113.11")).stdout).toMatch(/3 packets received/);
    expect(await bannerFromNamespace("203.0.113.11")).toBe("SSH-2.0-LayerboomTiny");
    // An address not seeded does not answer: the replies above came from the seed, not luck.
    await expect(inNamespace(["ping", "-c", "1", "-W", "1", "203.0.113.12"])).rejects.toThrow();

    // Transfer: 20 pings of 1400 bytes each way; the tap counts at least that, and the
    // energy meter charges it to this VM in its next sample.
    const samples: EnergySample[] = [];
    const meter = await EnergyMeter.open({
      hostId: "host_test",
      profile: findPowerProfile("generic-1s-entry"),
      processes: () => driver.processes(),
      send: (m: AgentMessage) => {
        if (m.type === "energy") samples.push(...m.samples);
        return true;
      },
      logger: silentLogger,
      source: fakePowerSource,
    });
    const before = readTapCounters(TAP)!;
    await inNamespace(["ping", "-c", "20", "-i", "0.1", "-s", "1400", "-W", "2", "203.0.113.10"], 60_000);
    const after = readTapCounters(TAP)!;
    const pushed = 20 * 1400;
    expect(after.rxBytes - before.rxBytes).toBeGreaterThanOrEqual(pushed);
    expect(after.txBytes - before.txBytes).toBeGreaterThanOrEqual(pushed);
    await meter.sampleOnce();
    await meter.stop();
    const entry = samples[0]?.vms.find((v) => v.vm_id === VM_ID);
    expect(entry?.net_out_bytes).toBeGreaterThanOrEqual(pushed);
    expect(entry?.net_in_bytes).toBeGreaterThanOrEqual(pushed);

    // New addresses go into the running VM's seed in place (no restart: same spec hash) and
    // apply at the guest's next boot, even one that keeps the same QEMU (a reset).
    const more = {
      ...bridged,
      seed: {
        ...bridged.seed,
        network: { ...bridged.seed.network, ipv4: [...ADDRESSES, "203.0.113.12/24"] },
      },
    };
    expect((await driver.ensureRunning(more)).pid).toBe(started.pid);
    const mark = console.offset;
    await driver.reboot(VM_ID);
    const again = await console.waitFor(fx.guest.readyPattern, { timeoutMs: 60_000, since: mark });
    expect(parseTinyReadyLine(again[0])).toMatchObject({ boots: "2", ip: "203.0.113.10" });
    expect((await ping("203.0.113.12")).stdout).toMatch(/3 packets received/);

    // A resync with no desired server (e.g. a restarted agent facing a controller that lost
    // the server): the idle spare tap goes, the tap a live QEMU holds stays.
    await ensureTap(SPARE_TAP, BRIDGE);
    await applyTapFilter(SPARE_TAP, "52:54:00:00:00:02", ["203.0.113.20"]);
    await applyTapFilter(STALE_TAP, "52:54:00:00:00:03", ["203.0.113.21"]);
    const reconciler = new Reconciler({
      driver,
      // No server is desired, so nothing is fetched: a fake that fails loudly if it were.
      blobs: new Proxy({} as BlobFetcher, {
        get: () => () => Promise.reject(new Error("fake blob fetcher: nothing should be fetched")),
      }),
      stateFile: join(fx.root, "applied.json"),
      report: () => undefined,
      logger: silentLogger,
      orphanGraceMs: 3_600_000,
      bridges: [BRIDGE],
      listTaps: () => [TAP, SPARE_TAP].filter((t) => existsSync(`/sys/class/net/${t}`)),
    });
    reconciler.setDesired([]);
    const deadline = Date.now() + 20_000;
    while (existsSync(`/sys/class/net/${SPARE_TAP}`) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await reconciler.stop();
    expect(existsSync(`/sys/class/net/${SPARE_TAP}`)).toBe(false);
    expect(existsSync(`/sys/class/net/${TAP}`)).toBe(true);
    expect((await ping("203.0.113.10")).stdout).toMatch(/3 packets received/);
    // The spare tap's filter went with it, and the sweep removed the one whose tap never existed.
    const filtered = await listFilteredTaps();
    expect(filtered).toContain(TAP);
    expect(filtered).not.toContain(SPARE_TAP);
    expect(filtered).not.toContain(STALE_TAP);

    // Deleting the server removes its tap and its filter with it.
    await driver.destroy(VM_ID);
    expect(existsSync(`/sys/class/net/${TAP}`)).toBe(false);
    expect(await filterTable()).not.toContain(TAP);
    await driver.destroy(VM_ID);
  }, 240_000);

  it("drops frames from a filtered port with another source MAC or IPv4 address", async () => {
    // A veth named as a server tap, its other end in a namespace of its own: frames the test
    // sends from there enter the bridge through the filtered port, as a guest's would.
    const ipArgs = (args: string[]) => runProgram("ip", args, { timeoutMs: 15_000 });
    const peer = `${IMPOSTOR.slice(0, 12)}p`;
    await ipArgs(["netns", "add", IMPOSTOR_NS]);
    await ipArgs(["link", "add", IMPOSTOR, "type", "veth", "peer", "name", peer]);
    await applyTapFilter(IMPOSTOR, IMPOSTOR_MAC, ["203.0.113.30/24"]);
    await ipArgs(["link", "set", "dev", peer, "netns", IMPOSTOR_NS]);
    await ipArgs(["link", "set", "dev", IMPOSTOR, "master", BRIDGE]);
    await ipArgs(["link", "set", "dev", IMPOSTOR, "up"]);
    const inImpostor = (args: string[]) => ipArgs(["-n", IMPOSTOR_NS, ...args]);
    await inImpostor(["link", "set", "dev", peer, "address", IMPOSTOR_MAC]);
    await inImpostor(["addr", "add", "203.0.113.30/24", "dev", peer]);
    await inImpostor(["link", "set", "dev", peer, "up"]);
    const pingGateway = () =>
      runProgram("ip", ["netns", "exec", IMPOSTOR_NS, "busybox", "ping", "-c", "2", "-W", "2", GATEWAY], {
        timeoutMs: 30_000,
        input: "",
      });
    const flush = () => inImpostor(["neigh", "flush", "dev", peer]);

    // Its own MAC and address: through. The bridge may need a moment after the port comes up.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ok = await pingGateway().then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error("the filtered port's own MAC and address do not pass");
    }
    // Another source MAC, same address: dropped.
    await inImpostor(["link", "set", "dev", peer, "address", "52:54:00:0f:0f:02"]);
    await flush();
    await expect(pingGateway()).rejects.toThrow();
    // Its MAC again, but another customer's address: dropped.
    await inImpostor(["link", "set", "dev", peer, "address", IMPOSTOR_MAC]);
    await inImpostor(["addr", "flush", "dev", peer]);
    await inImpostor(["addr", "add", "203.0.113.31/24", "dev", peer]);
    await flush();
    await expect(pingGateway()).rejects.toThrow();
    // Allowed again: through, so the drops above were the filter's doing.
    await applyTapFilter(IMPOSTOR, IMPOSTOR_MAC, ["203.0.113.30/24", "203.0.113.31/24"]);
    await flush();
    await expect(pingGateway()).resolves.toMatchObject({
      stdout: expect.stringMatching(/2 packets received/),
    });
  }, 120_000);
});
