import type { Plan } from "../../../api";
import { ESTIMATE, energyCarbonG, energyCostMinor, estimatedWatts, monthlyKwh } from "../energy";
import type { SiteEnergyFigures } from "../energy";
import { carbon, fineMoney, flag, memory, money, num } from "../format";
import { cpus } from "./cards";
import type { WizardPlan } from "./cards";

/** Where the server will run, as the summary names it; null: wherever power is best when it starts. */
export interface SummaryLocation {
  name: string;
  countryCode: string;
  /** The partner that runs the site, for a partner's site. */
  operatedBy?: string;
}

/** The plan chosen, with the add-on prices only the provider's own plans carry. */
export type SummaryPlan = WizardPlan &
  Partial<Pick<Plan, "backups_price_percent" | "extra_ipv4_monthly_minor">>;

export function Summary(props: {
  location: SummaryLocation | null | undefined;
  plan: SummaryPlan | undefined;
  figures: SiteEnergyFigures | undefined;
  figuresLoaded: boolean;
  backups: boolean;
  extraIpv4: number;
}) {
  const { location, plan, figures: f } = props;
  const watts = plan ? estimatedWatts(plan.vcpus, ESTIMATE.load, f?.pue ?? 1) : undefined;
  const kwh = watts === undefined ? undefined : monthlyKwh(watts);
  const idleKwh = plan ? monthlyKwh(estimatedWatts(plan.vcpus, 0, f?.pue ?? 1)) : undefined;
  const fullKwh = plan ? monthlyKwh(estimatedWatts(plan.vcpus, 1, f?.pue ?? 1)) : undefined;
  const cost = kwh === undefined ? undefined : energyCostMinor(kwh, f);
  const grams = kwh === undefined ? undefined : energyCarbonG(kwh, f);
  const published =
    f !== undefined && (f.priceAvgPerKwhMinor ?? f.carbonAvgGPerKwh ?? f.carbonNowGPerKwh) !== undefined;
  const backupsPercent = plan?.backups_price_percent ?? 0;
  return (
    <>
      <dl className="details wiz-totals">
        <dt>Location</dt>
        <dd>
          {location === null ? (
            "Chosen when it starts"
          ) : location ? (
            <>
              <span aria-hidden="true">{flag(location.countryCode)}</span> {location.name}
              {location.operatedBy && (
                <>
                  <br />
                  <span className="muted">operated by partner {location.operatedBy}</span>
                </>
              )}
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt>Size</dt>
        <dd>{plan ? `${plan.name}: ${cpus(plan.vcpus)}, ${memory(plan.memory_mib)}` : "Choose a size"}</dd>
        <dt>Price</dt>
        <dd>
          {plan ? (
            <>
              <strong>{money(plan.hourly_price_minor, plan.currency)}</strong> per hour
              <br />
              <span className="muted">
                never more than {money(plan.monthly_cap_minor, plan.currency)} a month
              </span>
              {props.backups && (
                <>
                  <br />
                  <span className="muted">
                    + daily backups, {backupsPercent} % of that (at most{" "}
                    {money(Math.round((plan.monthly_cap_minor * backupsPercent) / 100), plan.currency)} a
                    month)
                  </span>
                </>
              )}
              {props.extraIpv4 > 0 && plan.extra_ipv4_monthly_minor !== undefined && (
                <>
                  <br />
                  <span className="muted">
                    + {props.extraIpv4} extra IPv4 address{props.extraIpv4 === 1 ? "" : "es"},{" "}
                    {money(plan.extra_ipv4_monthly_minor * props.extraIpv4, plan.currency)} a month
                  </span>
                </>
              )}
            </>
          ) : (
            "—"
          )}
        </dd>
      </dl>
      {plan && kwh !== undefined && (
        <div className="wiz-estimate">
          <h3>Energy, an estimate</h3>
          <p>
            About <strong>{num(kwh, 1)} kWh</strong> a month
            {cost !== undefined && f && <>, about {fineMoney(cost, f.currency, 0)} of electricity</>}
            {grams !== undefined && <>, emitting about {carbon(grams)} CO₂e</>}.
          </p>
          {location === null && (
            <p className="hint">The cost and carbon depend on the site chosen when the server starts.</p>
          )}
          {location && props.figuresLoaded && !published && (
            <p className="hint">This site does not publish its electricity price or carbon intensity here.</p>
          )}
          <details>
            <summary>How this is estimated</summary>
            <p className="hint">
              From the power model the hosts use when they cannot measure: a typical entry server (
              {ESTIMATE.hostIdleWatts} W idle, {ESTIMATE.hostPeakWatts} W flat out, {ESTIMATE.hostCpus} CPU
              threads). Your server pays its {cpus(plan.vcpus)}&rsquo; share of the idle power and the power
              of the CPU it uses, assumed here at {ESTIMATE.load * 100} % on average
              {f && f.pue > 1 ? `, times the site's cooling overhead (PUE ${num(f.pue, 2)})` : ""}. Idle it
              would use about {num(idleKwh ?? 0, 1)} kWh a month, flat out {num(fullKwh ?? 0, 1)} kWh.
              {cost !== undefined &&
                " The cost uses the site's average electricity price over a week: the coming week for a fixed tariff, the past week for hourly market prices."}{" "}
              Your server&rsquo;s page shows what it really uses, measured on its host.
            </p>
          </details>
        </div>
      )}
    </>
  );
}
