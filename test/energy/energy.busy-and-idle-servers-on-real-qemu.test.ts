import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { RunningAgent } from "@layerboom/agent";
import {
  attributeEnergy,
  carbonOfBucket,
  compileCarbon,
  compileTariff,
  ontarioTouTariff,
  priceBucket,
  pueMilli,
  serverIdForVm,
} from "@layerboom/core";
import { EnergyMetrics } from "@layerboom/controller";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_METRICS_TOKEN, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  catalogTiny,
  eventually,
  hostFolders,
  originOf,
  runCli,
  serverReaches,
  startTestAgent,
  sweepHost,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";

const WINDOW_MS = 25_000;

/** utime + stime of a process, in microseconds (USER_HZ 100). Synchronous: read inside a metrics hook. */
function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Sums of what is stored for the two servers and the host, read straight from the buckets. */
async function snapshot(c: TestController, hostId: string, busyId: string, idleId: string) {
  const servers = await c.database.db
    .selectFrom("server_energy")
    .select(["server_id", "energy_uj", "active_energy_uj", "cpu_time_us"])
    .where("server_id", "in", [busyId, idleId])
    .execute();
  const host = await c.database.db
    .selectFrom("host_energy")
    .selectAll()
    .where("host_id", "=", hostId)
    .execute();
  const of = (id: string, key: "energy_uj" | "active_energy_uj" | "cpu_time_us") =>
    servers.filter((r) => r.server_id === id).reduce((a, r) => a + r[key], 0);
  const hostSum = (key: "it_energy_uj" | "facility_energy_uj" | "allocated_uj" | "unallocated_uj") =>
    host.reduce((a, r) => a + r[key], 0);
  return {
    busy: {
      energy: of(busyId, "energy_uj"),
      active: of(busyId, "active_energy_uj"),
      cpu: of(busyId, "cpu_time_us"),
    },
    idle: {
      energy: of(idleId, "energy_uj"),
      active: of(idleId, "active_energy_uj"),
      cpu: of(idleId, "cpu_time_us"),
    },
    it: hostSum("it_energy_uj"),
    facility: hostSum("facility_energy_uj"),
    allocated: hostSum("allocated_uj"),
    unallocated: hostSum("unallocated_uj"),
  };
}

describe("energy of two tiny servers on one host under real QEMU", () => {
  let c: TestController;
  let folders: HostFolders;
  let agent: RunningAgent | undefined;
  let provider: ApiClient;
  let customer: ApiClient;
  let customerToken: string;
  let hostId: string;
  let siteId: string;
  let busyId: string;
  let idleId: string;

  beforeAll(async () => {
    c = (await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 },
    }))!;
    provider = apiClient(c.url, c.adminToken);
    siteId = (await provider.get("/sites")).body.items[0].id;
    const settings = await provider.patch(`/sites/${siteId}/energy-settings`, {
      pue: "1.4",
      tariff: { kind: "ontario-tou", from_year: 2026, to_year: 2027 },
      carbon: { kind: "annual", g_per_kwh: 30 },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const planId = (await provider.get("/plans")).body.items.find((p: any) => p.name === "nano").id;
    const idleImage = (await catalogTiny(c)).imageId;
    const busyImage = (await catalogTiny(c, { name: "tiny-busy", extraAppend: "layerboom.busy=1" })).imageId;
    folders = await hostFolders();
    const added = await addHost(provider, siteId, "hv-energy");
    hostId = added.hostId;
    agent = await startTestAgent(c, folders, { joinToken: added.joinToken, energy: { intervalMs: 1000 } });
    const tenant = await createTenant(c, provider, "customer");
    customer = tenant.api;
    customerToken = tenant.token;
    const create = async (name: string, image: string) => {
      const res = await customer.post("/servers", {
        name,
        site_id: siteId,
        plan_id: planId,
        image_id: image,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    busyId = await create("busy", busyImage);
    idleId = await create("idle", idleImage);
    await serverReaches(customer, busyId, "running");
    await serverReaches(customer, idleId, "running");
  }, 300_000);

  afterAll(async () => {
    await agent?.stop();
    await sweepHost(folders);
    await c?.close();
  });

  it("attributes at least 5x the active energy to the busy server over 25 s, and the parts add up", async () => {
    // Let both boots finish, so the window holds steady-state load only.
    await new Promise((r) => setTimeout(r, 5_000));
    await eventually("samples to arrive for both servers", async () => {
      const s = await snapshot(c, hostId, busyId, idleId);
      return s.busy.energy > 0 && s.idle.energy > 0 ? s : undefined;
    });
    const before = await snapshot(c, hostId, busyId, idleId);
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const after = await snapshot(c, hostId, busyId, idleId);
    const d = (pick: (s: typeof before) => number) => pick(after) - pick(before);

    const busyActive = d((s) => s.busy.active);
    const idleActive = d((s) => s.idle.active);
    console.log(
      `energy window ${WINDOW_MS} ms: busy active ${busyActive} µJ (cpu ${d((s) => s.busy.cpu)} µs), ` +
        `idle active ${idleActive} µJ (cpu ${d((s) => s.idle.cpu)} µs), host IT ${d((s) => s.it)} µJ, ` +
        `facility ${d((s) => s.facility)} µJ, unallocated ${d((s) => s.unallocated)} µJ`,
    );
    expect(busyActive).toBeGreaterThan(0);
    expect(busyActive).toBeGreaterThanOrEqual(5 * idleActive);
    // A busy loop keeps a core busy when it can have one. On a host whose cores other processes
    // keep busy too (issue 13's loaded run: two sha256sum beside the suite) it gets its share of
    // them, so the check asks for a quarter of a core: enough that the 5x above is about real load.
    expect(d((s) => s.busy.cpu)).toBeGreaterThan(0.25 * WINDOW_MS * 1000);

    // Conservation, exactly: servers + unallocated = facility energy = host energy × PUE (rounded per sample).
    expect(d((s) => s.allocated)).toBe(d((s) => s.busy.energy) + d((s) => s.idle.energy));
    expect(d((s) => s.allocated) + d((s) => s.unallocated)).toBe(d((s) => s.facility));
    expect(Math.abs(d((s) => s.facility) - Math.round(d((s) => s.it) * 1.4))).toBeLessThanOrEqual(60);
  }, 120_000);

  it("charges a busy host process to host overhead, not to the servers, and every interval adds up exactly", async () => {
    // A busy process on the host that is no VM: the host's own work (a backup, the agent, a stray job).
    const hog = spawn("timeout", ["120", "sha256sum", "/dev/zero"], { stdio: "ignore" });
    // `timeout` forks the hog: its CPU counter is the child's, read every 100 ms.
    await eventually(
      "sha256sum to start",
      async () => readFileSync(`/proc/${hog.pid}/task/${hog.pid}/children`, "utf8").trim() || undefined,
    );
    const hogPid = Number(readFileSync(`/proc/${hog.pid}/task/${hog.pid}/children`, "utf8").trim());
    const hogReadings: { atMs: number; cpuUs: number }[] = [];
    const poll = setInterval(() => {
      // It runs for 120 s, well past the window; once it has gone, the last reading stands.
      if (hog.exitCode === null) hogReadings.push({ atMs: Date.now(), cpuUs: processCpuUs(hogPid) });
    }, 100);
    /** The reading nearest to `ms`: its CPU time, and how far from `ms` it was taken. */
    const hogAt = (ms: number) => {
      const r = hogReadings.reduce((best, x) =>
        Math.abs(x.atMs - ms) < Math.abs(best.atMs - ms) ? x : best,
      );
      return { cpuUs: r.cpuUs, offUs: Math.abs(r.atMs - ms) * 1000 };
    };
    // Every frame the controller ingests, as it hands it to its metrics (the spy calls through).
    const spy = vi.spyOn(EnergyMetrics.prototype, "record");
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      spy.mockClear();
      const before = await snapshot(c, hostId, busyId, idleId);
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const after = await snapshot(c, hostId, busyId, idleId);
      const d = (pick: (s: typeof before) => number) => pick(after) - pick(before);
      // The stored buckets still add up over the window, exactly.
      expect(d((s) => s.allocated)).toBe(d((s) => s.busy.energy) + d((s) => s.idle.energy));
      expect(d((s) => s.allocated) + d((s) => s.unallocated)).toBe(d((s) => s.facility));

      const window = spy.mock.calls
        .filter(([host, result]) => host === hostId && result.applied.length > 0)
        .map(([, result]) => ({ result }));
      expect(window.length).toBeGreaterThanOrEqual(WINDOW_MS / 1000 - 8);
      const applied = window.flatMap((f) => f.result.applied);
      const [hogStart, hogEnd] = [hogAt(applied[0]!.start_ms), hogAt(applied[applied.length - 1]!.end_ms)];
      const hogCpu = hogEnd.cpuUs - hogStart.cpuUs;
      // A reading taken t µs off an edge of the window is off by at most t µs of one core.
      const hogErrorUs = hogStart.offUs + hogEnd.offUs;
      const pue = pueMilli(1400);
      let active = 0;
      let hostBusy = 0;
      let idleVmCpu = 0;
      let idleVmCeiling = 0;
      let busyActive = 0;
      let idleActive = 0;
      let overhead = 0;
      for (const { result } of window) {
        for (const s of result.applied) {
          expect(s.host_busy_us, "a sample without the host's busy time").toBeTypeOf("number");
          const vms = s.vms.map((v) => ({
            vmId: v.vm_id,
            cpuTimeUs: v.cpu_time_us,
            vcpus: v.vcpus,
            presentUs: v.present_us,
          }));
          const r = attributeEnergy({
            intervalUs: (s.end_ms - s.start_ms) * 1000,
            hostEnergyUj: s.host_energy_uj,
            idleEnergyUj: s.idle_energy_uj,
            hostCpus: s.host_cpus,
            hostBusyUs: s.host_busy_us!,
            pue,
            vms,
          });
          // In every interval: VMs + unallocated = host × PUE, exactly (one rounding of H × PUE).
          expect(r.vms.reduce((a, v) => a + v.energyUj, 0) + r.unallocatedUj).toBe(r.facilityEnergyUj);
          expect(Math.abs(r.facilityEnergyUj - (s.host_energy_uj * 1400) / 1000)).toBeLessThanOrEqual(0.5);
          const sampleActive = (Math.max(0, s.host_energy_uj - s.idle_energy_uj) * 1400) / 1000;
          const den = Math.max(
            s.host_busy_us!,
            s.vms.reduce((a, v) => a + v.cpu_time_us, 0),
          );
          const i = s.vms.findIndex((v) => serverIdForVm(v.vm_id) === idleId);
          if (i >= 0) {
            // Per interval the idle VM's active energy is at most its CPU-time share of the host's busy time.
            const ceiling = den === 0 ? 0 : (sampleActive * s.vms[i]!.cpu_time_us) / den;
            expect(r.vms[i]!.activeEnergyUj).toBeLessThanOrEqual(ceiling);
            idleVmCeiling += ceiling;
            idleVmCpu += s.vms[i]!.cpu_time_us;
          }
          active += sampleActive;
          hostBusy += s.host_busy_us!;
        }
        // What the controller stored from the frame adds up too.
        for (const h of result.hosts) expect(h.allocatedUj + h.unallocatedUj).toBe(h.facilityEnergyUj);
        expect(result.servers.reduce((a, x) => a + x.energyUj, 0)).toBe(
          result.hosts.reduce((a, h) => a + h.allocatedUj, 0),
        );
        busyActive += result.servers
          .filter((x) => x.serverId === busyId)
          .reduce((a, x) => a + x.activeEnergyUj, 0);
        idleActive += result.servers
          .filter((x) => x.serverId === idleId)
          .reduce((a, x) => a + x.activeEnergyUj, 0);
        overhead += result.hosts.reduce((a, h) => a + h.hostOverheadUj, 0);
      }
      const hogShare = hogCpu / hostBusy;
      console.log(
        `host work, ${window.length} samples: busy active ${busyActive} µJ, idle active ${idleActive} µJ ` +
          `(ratio ${(busyActive / Math.max(1, idleActive)).toFixed(1)}); active ${Math.round(active)} µJ, host ` +
          `overhead ${overhead} µJ (${((100 * overhead) / active).toFixed(1)} %); host busy ${hostBusy} µs, ` +
          `sha256sum ${hogCpu} µs ± ${hogErrorUs} (${(100 * hogShare).toFixed(1)} % of busy); idle VM active share ` +
          `${((100 * idleActive) / active).toFixed(2)} % vs its CPU share ${((100 * idleVmCpu) / hostBusy).toFixed(2)} %`,
      );
      expect(busyActive).toBeGreaterThan(0);
      expect(busyActive).toBeGreaterThanOrEqual(5 * idleActive);
      // Over the window the idle VM's share of active energy against its share of host CPU time:
      // the per-interval ceiling holds exactly (above), but the window weighs each interval by
      // its active energy, which follows the host's load. Half a percentage point bounds that
      // weighting for a share that is itself about a percent; the stored figure (split into
      // buckets by largest remainder) may pass the exact ceiling by 1 µJ per sample.
      expect(idleActive).toBeLessThanOrEqual(idleVmCeiling + window.length);
      expect(idleActive / active).toBeLessThanOrEqual(idleVmCpu / hostBusy + 0.005);
      // The hog's CPU time is host busy time no VM accounts for, so its share of active energy
      // is host overhead. Its counter is read about every 100 ms (later when the host is
      // loaded), so the bound takes off what the readings nearest the window's edges may miss.
      // On a loaded host the hog gets less than a core; five times that error in CPU time still
      // makes the bound mean something.
      expect(hogCpu).toBeGreaterThan(5 * hogErrorUs);
      expect(overhead).toBeGreaterThanOrEqual(((hogCpu - hogErrorUs) / hostBusy) * active);
    } finally {
      clearInterval(poll);
      spy.mockRestore();
      // SIGTERM to `timeout` passes it on to its child; SIGKILL would leave sha256sum running.
      hog.kill("SIGTERM");
    }
  }, 120_000);

  it("reports through the API, the CLI and Prometheus the same buckets priced with the site's TOU tariff", async () => {
    const metrics = await (
      await fetch(`${originOf(c)}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(
      new RegExp(
        `layerboom_server_energy_joules_total\\{server_id="${busyId}",host_id="${hostId}",source="model"\\} [0-9.e+]+`,
      ),
    );
    expect(metrics).toMatch(
      new RegExp(`layerboom_host_power_watts\\{host_id="${hostId}",source="model"\\} [0-9.]+`),
    );

    // Freeze the figures: with the agent gone no more samples arrive.
    await agent?.stop();
    agent = undefined;
    const res = await customer.get(`/servers/${busyId}/energy`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = await c.database.db
      .selectFrom("server_energy")
      .selectAll()
      .where("server_id", "=", busyId)
      .orderBy("bucket_start")
      .execute();
    const tariff = compileTariff(ontarioTouTariff({ fromYear: 2026, toYear: 2027 }), {
      zone: "America/Toronto",
    });
    const carbon = compileCarbon({ kind: "annual", gPerKwh: 30 });
    const buckets = rows.map((r) => ({
      start: r.bucket_start,
      durationMs: r.bucket_seconds * 1000,
      energyUj: r.energy_uj,
    }));
    const micro = buckets.reduce((a, b) => a + priceBucket(b, tariff).microMinor, 0);
    expect(micro).toBeGreaterThan(0);
    expect(res.body).toMatchObject({
      server_id: busyId,
      estimated: true,
      energy_uj: String(rows.reduce((a, r) => a + r.energy_uj, 0)),
      cost: { currency: "CAD", micro_minor: String(micro) },
      carbon_mg: String(buckets.reduce((a, b) => a + carbonOfBucket(b, carbon).carbonMg, 0)),
    });
    expect(res.body.power.watts).toBeGreaterThan(0);
    // The portal's explanation: the server's share of the host's figure, split into active and idle.
    expect(res.body.vm_cpu_only).toBe(false);
    expect(BigInt(res.body.active_energy_uj) + BigInt(res.body.idle_energy_uj)).toBe(
      BigInt(res.body.energy_uj),
    );
    const hostFacility = await c.database.db
      .selectFrom("host_energy")
      .select((eb) => eb.fn.sum<string>("facility_energy_uj").as("sum"))
      .where("host_id", "=", hostId)
      .where(
        "bucket_start",
        "in",
        rows.map((r) => r.bucket_start),
      )
      .executeTakeFirstOrThrow();
    expect(res.body.host.energy_uj).toBe(String(hostFacility.sum));
    expect(BigInt(res.body.host.energy_uj)).toBeGreaterThan(BigInt(res.body.energy_uj));
    expect(res.body.host.power.watts).toBeGreaterThan(res.body.power.watts);
    // The provider sees the host's own work apart, inside unallocated.
    const hostReport = await provider.get(`/hosts/${hostId}/energy`);
    expect(hostReport.status, JSON.stringify(hostReport.body)).toBe(200);
    const stored = await c.database.db
      .selectFrom("host_energy")
      .select((eb) => [
        eb.fn.sum<string>("host_overhead_uj").as("overhead"),
        eb.fn.sum<string>("unallocated_uj").as("unallocated"),
      ])
      .where("host_id", "=", hostId)
      .executeTakeFirstOrThrow();
    expect(hostReport.body.host_overhead_uj).toBe(String(stored.overhead));
    expect(BigInt(hostReport.body.host_overhead_uj)).toBeGreaterThan(0n);
    expect(BigInt(hostReport.body.host_overhead_uj)).toBeLessThanOrEqual(BigInt(stored.unallocated));

    const json = await runCli(c, customerToken, ["energy", "report", "--server", busyId, "--output", "json"]);
    expect(json.code, json.output).toBe(0);
    expect(JSON.parse(json.output)).toMatchObject({ energy_uj: res.body.energy_uj, cost: res.body.cost });
    const table = await runCli(c, customerToken, ["energy", "report", "--server", busyId]);
    expect(table.code, table.output).toBe(0);
    expect(table.output).toMatch(/energy\s+\d+\.\d{3} Wh/);
    expect(table.output).toMatch(/estimated: modelled host power/);
    expect(table.output).toMatch(/HOUR \(UTC\)\s+ENERGY WH\s+ACTIVE WH\s+COST\s+CARBON G/);
    const foreign = await runCli(c, c.adminToken, [
      "energy",
      "report",
      "--server",
      "srv_00000000000000000000000000",
    ]);
    expect(foreign.code).not.toBe(0);
    expect(foreign.output).toMatch(/not found/);
  }, 120_000);
});
