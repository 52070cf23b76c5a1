import type { ServerEnergy } from "./energy";

/** Hourly series for the server page's charts, aligned on one time axis (seconds, as uPlot takes it). */
export interface UsageSeries {
  /** Hour starts, in Unix seconds. */
  times: number[];
  /** Average CPU use over the hour: percent of the plan's vCPUs, or vCPUs busy when the plan is unknown. */
  cpu: (number | null)[];
  /** Average power over the hour, in watts (the site's cooling overhead included). */
  watts: (number | null)[];
  /** Energy in the hour, in watt-hours. */
  wattHours: (number | null)[];
  /** The period shown, in Unix seconds. */
  from: number;
  to: number;
  /** Whether CPU is in percent of the plan's vCPUs (true) or in vCPUs busy (false). */
  cpuPercent: boolean;
}

const HOUR_S = 3600;

/**
 * Turns an energy report's hours into chart series. The last hour is still running and the
 * first may start before the server did, so averages divide by the part of the hour that was
 * covered; an hour the report does not have (the server was stopped) is a gap, not a zero.
 */
export function usageSeries(
  report: ServerEnergy,
  opts: { createdAt: string; vcpus: number | undefined; nowMs?: number },
): UsageSeries {
  const now = (opts.nowMs ?? Date.now()) / 1000;
  const created = Date.parse(opts.createdAt) / 1000;
  const from = Date.parse(report.from) / 1000;
  const to = Math.min(Date.parse(report.to) / 1000, Math.ceil(now / HOUR_S) * HOUR_S);
  const byHour = new Map(report.hours.map((h) => [Math.round(Date.parse(h.start) / 1000), h]));
  const series: UsageSeries = {
    times: [],
    cpu: [],
    watts: [],
    wattHours: [],
    from,
    to,
    cpuPercent: Boolean(opts.vcpus),
  };
  const first = Math.min(...byHour.keys());
  if (!Number.isFinite(first)) return series;
  for (let t = first; t < to; t += HOUR_S) {
    const h = byHour.get(t);
    series.times.push(t);
    if (!h) {
      series.cpu.push(null);
      series.watts.push(null);
      series.wattHours.push(null);
      continue;
    }
    const begin = created > t && created < t + HOUR_S ? created : t;
    const seconds = Math.min(t + HOUR_S, now) - begin;
    const joules = Number(h.energy_uj) / 1e6;
    series.wattHours.push(joules / 3600);
    if (seconds < 60) {
      series.cpu.push(null);
      series.watts.push(null);
    } else {
      const busy = h.cpu_time_seconds / seconds;
      series.cpu.push(opts.vcpus ? Math.min(100, (busy / opts.vcpus) * 100) : busy);
      series.watts.push(joules / seconds);
    }
  }
  return series;
}
