import { Counter, Gauge } from "prom-client";
import type { Registry } from "prom-client";
import type { IngestResult } from "./ingest.js";

/**
 * Prometheus series for energy, fed by ingest: joules counters and a power gauge per server
 * and per host, each labelled with the kind of source (rapl, hwmon or model) so a modelled
 * figure is never read as a measured one. Counters count what this replica ingested; sum
 * them across replicas.
 */
export class EnergyMetrics {
  private readonly serverJoules: Counter<"server_id" | "host_id" | "source">;
  private readonly hostJoules: Counter<"host_id" | "source" | "scope">;
  private readonly serverPower: Gauge<"server_id" | "host_id" | "source">;
  private readonly hostPower: Gauge<"host_id" | "source">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.serverJoules = new Counter({
      name: "layerboom_server_energy_joules_total",
      help: "Facility energy attributed to a server (PUE included)",
      labelNames: ["server_id", "host_id", "source"] as const,
      registers,
    });
    this.hostJoules = new Counter({
      name: "layerboom_host_energy_joules_total",
      help: "Host energy: scope=it as metered, facility with PUE, allocated to servers, unallocated, host_overhead (the part of unallocated that is the host's own work)",
      labelNames: ["host_id", "source", "scope"] as const,
      registers,
    });
    this.serverPower = new Gauge({
      name: "layerboom_server_power_watts",
      help: "A server's facility power over its latest sample",
      labelNames: ["server_id", "host_id", "source"] as const,
      registers,
    });
    this.hostPower = new Gauge({
      name: "layerboom_host_power_watts",
      help: "A host's facility power over its latest sample",
      labelNames: ["host_id", "source"] as const,
      registers,
    });
  }

  /** Counts what one ingest stored. */
  record(hostId: string, result: IngestResult): void {
    const source = result.applied[result.applied.length - 1]?.source;
    if (!source) return;
    for (const d of result.servers) {
      this.serverJoules.inc({ server_id: d.serverId, host_id: hostId, source }, d.energyUj / 1e6);
    }
    const latestByServer = new Map<string, { at: number; mw: number }>();
    for (const d of result.servers) {
      const seen = latestByServer.get(d.serverId);
      if (!seen || d.lastSampleAtMs >= seen.at)
        latestByServer.set(d.serverId, { at: d.lastSampleAtMs, mw: d.lastPowerMw });
    }
    for (const [serverId, p] of latestByServer) {
      this.serverPower.set({ server_id: serverId, host_id: hostId, source }, p.mw / 1000);
    }
    let latest: { at: number; mw: number } | undefined;
    for (const d of result.hosts) {
      this.hostJoules.inc({ host_id: hostId, source, scope: "it" }, d.itEnergyUj / 1e6);
      this.hostJoules.inc({ host_id: hostId, source, scope: "facility" }, d.facilityEnergyUj / 1e6);
      this.hostJoules.inc({ host_id: hostId, source, scope: "allocated" }, d.allocatedUj / 1e6);
      this.hostJoules.inc({ host_id: hostId, source, scope: "unallocated" }, d.unallocatedUj / 1e6);
      this.hostJoules.inc({ host_id: hostId, source, scope: "host_overhead" }, d.hostOverheadUj / 1e6);
      if (!latest || d.lastSampleAtMs >= latest.at) latest = { at: d.lastSampleAtMs, mw: d.lastPowerMw };
    }
    if (latest) this.hostPower.set({ host_id: hostId, source }, latest.mw / 1000);
  }
}
