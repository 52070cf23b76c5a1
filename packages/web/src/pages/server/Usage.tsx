import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense, lazy, useState } from "react";
import { api, unwrap } from "../../api";
import type { Server } from "../../api";
import { parseMonthUsage } from "./energy";
import type { ServerEnergy } from "./energy";
import { carbon, energy as energyText, fineMoney, money, num } from "./format";
import { usageSeries } from "./series";
import "./server.css";

// uPlot is only needed once there is something to draw: its own chunk, loaded on demand.
const ServerCharts = lazy(() => import("../../charts/ServerCharts"));

/** Energy figures are written every few minutes; asking more often shows nothing new. */
const ENERGY_POLL_MS = 60_000;

const RANGES = [
  { label: "24 hours", hours: 24 },
  { label: "7 days", hours: 24 * 7 },
  { label: "30 days", hours: 24 * 30 },
] as const;

type RangeHours = (typeof RANGES)[number]["hours"];

function useServerEnergy(id: string, fromMs: () => number, key: string) {
  return useQuery({
    queryKey: ["server-energy", id, key],
    queryFn: async () =>
      unwrap(
        await api.GET("/servers/{id}/energy", {
          params: { path: { id }, query: { from: new Date(fromMs()).toISOString() } },
        }),
      ),
    refetchInterval: ENERGY_POLL_MS,
    placeholderData: keepPreviousData,
  });
}

/** The server's plan, shared by the usage and backups sections (one request, cached). */
export function planQuery(id: string) {
  return {
    queryKey: ["plans", id],
    staleTime: 10 * 60_000,
    queryFn: async () => unwrap(await api.GET("/plans/{id}", { params: { path: { id } } })),
  };
}

/** CPU, power and energy over time, drawn by uPlot; an empty state until the first figures arrive. */
export function UsageCharts({ server }: { server: Server }) {
  const [hours, setHours] = useState<RangeHours>(24);
  const energy = useServerEnergy(server.id, () => Date.now() - hours * 3_600_000, `last-${hours}h`);
  const planInfo = useQuery(planQuery(server.plan_id));
  const report = energy.data;

  return (
    <section className="card usage-card" aria-labelledby="usage-heading">
      <div className="usage-head">
        <h2 id="usage-heading">Usage</h2>
        {report?.power && (
          <span className="muted">
            Your server&rsquo;s share: {num(report.power.watts, 1)} W now
            {report.host.power && <> of the host&rsquo;s {num(report.host.power.watts, 1)} W</>}
            {report.power.estimated ? " (modelled)" : " (measured)"}
          </span>
        )}
        <div className="usage-ranges" role="group" aria-label="Period shown">
          {RANGES.map((r) => (
            <button
              key={r.hours}
              type="button"
              aria-pressed={hours === r.hours}
              onClick={() => setHours(r.hours)}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <UsageBody server={server} report={report} vcpus={planInfo.data?.vcpus} energy={energy} />
    </section>
  );
}

const UJ_PER_KWH = 3.6e12;

/**
 * The server's energy as its share of the host's, split into active and idle, measured or
 * modelled, with the rule (docs/energy.md, "Attribution rule") in plain words.
 */
function EnergyShare({ report }: { report: ServerEnergy }) {
  const kwh = (uj: string) => Number(uj) / UJ_PER_KWH;
  const hostKwh = kwh(report.host.energy_uj);
  const share = hostKwh > 0 ? (100 * report.energy_kwh) / hostKwh : undefined;
  return (
    <div className="energy-share">
      <p>
        <strong>Your server&rsquo;s share:</strong> {energyText(report.energy_kwh)}
        {hostKwh > 0 && (
          <>
            {" "}
            of the host&rsquo;s {energyText(hostKwh)}
            {share !== undefined && ` (${num(share, 1)} %)`}
          </>
        )}{" "}
        over this period: {energyText(kwh(report.active_energy_uj))} active, for the CPU time it used, and{" "}
        {energyText(kwh(report.idle_energy_uj))} idle, for the cores it reserves.{" "}
        {report.estimated
          ? "Modelled: the host has no power meter, so its power is estimated from its CPU use."
          : "Measured by the host's power meter."}{" "}
        <a href="#energy-rule">How is this worked out?</a>
      </p>
      <details id="energy-rule" className="energy-rule">
        <summary>How your server&rsquo;s share is worked out</summary>
        <p>
          Every few seconds the host measures (or, without a meter, models) the electricity it draws. The part
          it would draw standing idle is shared by the cores each server reserves, so a 1-vCPU server on a
          16-core host carries 1/16 of it. The rest, the active part, follows CPU time: your server pays for
          the share of the host&rsquo;s busy CPU time that was its own. Work the host does for itself (its own
          programs, backups, the system) is never charged to your server. The site&rsquo;s cooling (PUE) is
          added in the same proportion.
        </p>
        <p>
          Limits: equal CPU time counts as equal power, whatever the instructions; memory and disk or network
          activity are not measured separately.
          {report.vm_cpu_only &&
            " Some of these figures come from an older host agent that split the active part among servers only, without the host's own work."}
        </p>
      </details>
    </div>
  );
}

function UsageBody(props: {
  server: Server;
  report: ServerEnergy | undefined;
  vcpus: number | undefined;
  energy: { isPending: boolean; isError: boolean; error: Error | null };
}) {
  const { report, energy } = props;
  if (energy.isPending) {
    return (
      <div className="usage-reserve">
        <p className="muted">Loading figures…</p>
      </div>
    );
  }
  if (energy.isError || !report) {
    return (
      <div className="usage-reserve">
        <p role="alert" className="error">
          {energy.error?.message ?? "The figures could not be loaded."}
        </p>
      </div>
    );
  }
  if (report.hours.length === 0) {
    return (
      <div className="usage-reserve">
        <p className="muted">
          No figures for this period yet. Figures appear a few minutes after the server starts, and every few
          minutes while it runs.
        </p>
      </div>
    );
  }
  const data = usageSeries(report, { createdAt: props.server.created_at, vcpus: props.vcpus });
  return (
    <>
      <Suspense
        fallback={
          <div className="usage-reserve">
            <p className="muted">Loading charts…</p>
          </div>
        }
      >
        <ServerCharts data={data} />
      </Suspense>
      <EnergyShare report={report} />
      <p className="muted usage-note">
        Hourly averages. Power and energy include the site&rsquo;s share of cooling (PUE).
        {report.estimated &&
          " Some figures are estimated from the host's power model, as it has no power meter."}
      </p>
      <details className="usage-table">
        <summary>Figures by hour</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Hour</th>
                <th scope="col">CPU</th>
                <th scope="col">Power</th>
                <th scope="col">Energy</th>
                <th scope="col">Carbon</th>
              </tr>
            </thead>
            <tbody>
              {data.times
                .map((t, i) => ({ t, i }))
                .filter(({ i }) => data.wattHours[i] !== null)
                .reverse()
                .map(({ t, i }) => {
                  const hour = report.hours.find((h) => Date.parse(h.start) === t * 1000);
                  return (
                    <tr key={t}>
                      <td>
                        <time dateTime={new Date(t * 1000).toISOString()}>
                          {new Date(t * 1000).toLocaleString(undefined, {
                            month: "short",
                            day: "numeric",
                            hour: "numeric",
                            minute: "2-digit",
                          })}
                        </time>
                      </td>
                      <td>
                        {data.cpu[i] === null
                          ? "—"
                          : `${num(data.cpu[i]!, 1)}${data.cpuPercent ? " %" : " vCPUs"}`}
                      </td>
                      <td>{data.watts[i] === null ? "—" : `${num(data.watts[i]!, 1)} W`}</td>
                      <td>{num(data.wattHours[i]!, 2)} Wh</td>
                      <td>{hour?.carbon_mg ? carbon(Number(hour.carbon_mg) / 1000) : "—"}</td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

function monthStart(): number {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), 1).getTime();
}

/** What the server has cost so far this month: its hours (from the draft bill) and its electricity. */
export function MonthCost({ server }: { server: Server }) {
  const usage = useQuery({
    queryKey: ["billing-usage", server.account_id],
    queryFn: async () =>
      parseMonthUsage(
        unwrap(await api.GET("/billing/usage", { params: { query: { account_id: server.account_id } } })),
      ),
    refetchInterval: ENERGY_POLL_MS,
    retry: false,
  });
  const energy = useServerEnergy(server.id, monthStart, "month");
  const charge = usage.data?.charges.find((c) => c.serverId === server.id);
  const currency = usage.data?.currency ?? energy.data?.cost?.currency;
  const energyCost = energy.data?.cost;
  const billedEnergy = usage.data?.energyBilled && energyCost ? energyCost.amount_minor : 0;
  const total = charge ? charge.amountMinor + billedEnergy : undefined;
  const monthName = new Date().toLocaleString(undefined, { month: "long" });
  const since = new Date(monthStart()).toLocaleDateString(undefined, { day: "numeric", month: "long" });

  return (
    <div className="card month">
      <h2>This month so far</h2>
      {(usage.isPending || energy.isPending) && <p className="loading">Loading costs…</p>}
      {!usage.isPending && !energy.isPending && (
        <>
          <p className="month-total">{total !== undefined && currency ? money(total, currency) : "—"}</p>
          <dl className="details">
            <dt>Server hours</dt>
            <dd>
              {charge && currency ? (
                <>
                  {num(charge.billedHours, 2)} h: {money(charge.amountMinor, currency)}
                  {charge.capped && <span className="muted"> (reached the monthly cap)</span>}
                </>
              ) : usage.isError ? (
                <span className="muted">{usage.error.message}</span>
              ) : (
                <span className="muted">None billed yet in {monthName}</span>
              )}
            </dd>
            <dt>Electricity</dt>
            <dd>
              {energy.data ? (
                <>
                  {energyText(energy.data.energy_kwh)}
                  {energyCost && (
                    <>
                      {" "}
                      · {fineMoney(Number(energyCost.micro_minor) / 1e6, energyCost.currency, 2)}
                      <span className="muted">
                        {usage.data?.energyBilled ? " (billed)" : " (included in the price)"}
                      </span>
                    </>
                  )}
                  {energy.data.carbon_g !== null && <> · {carbon(energy.data.carbon_g)} CO₂e</>}
                </>
              ) : (
                <span className="muted">{energy.error?.message ?? "—"}</span>
              )}
            </dd>
          </dl>
          <p className="hint">
            Since {since}, before discounts and taxes. Your invoice has the final figures.
          </p>
        </>
      )}
    </div>
  );
}
