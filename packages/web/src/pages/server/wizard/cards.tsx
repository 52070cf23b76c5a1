import type { ReactNode } from "react";
import type { Image, PartnerSite, Plan, Site } from "../../../api";
import type { SiteEnergyFigures } from "../energy";
import { countryName, fineMoney, flag, memory, money, num } from "../format";

/** What the wizard shows of a plan: the provider's own, or a partner's at this provider's price. */
export type WizardPlan = Pick<
  Plan,
  | "id"
  | "name"
  | "vcpus"
  | "memory_mib"
  | "disk_gib"
  | "transfer_gib"
  | "hourly_price_minor"
  | "monthly_cap_minor"
  | "currency"
>;

export function transfer(gib: number): string {
  return gib >= 1024 ? `${num(gib / 1024)} TiB transfer` : `${gib} GiB transfer`;
}

export function cpus(n: number): string {
  return `${n} vCPU${n === 1 ? "" : "s"}`;
}

export function Step(props: { number: number; title: string; children: ReactNode }) {
  const id = `step-${props.number}`;
  return (
    <section className="card wiz-step" aria-labelledby={id}>
      <h2 id={id}>
        <span className="wiz-number" aria-hidden="true">
          {props.number}
        </span>
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

/** The cards of a step: a mouse and touch shortcut for the select above them, which they mirror. */
export function Choices(props: { loading: boolean; empty: ReactNode; children: ReactNode }) {
  if (props.loading) return <p className="loading">Loading…</p>;
  if (props.empty) return <p className="muted">{props.empty}</p>;
  return <div className="wiz-cards">{props.children}</div>;
}

export function Card(props: { selected: boolean; onSelect: () => void; children: ReactNode }) {
  return (
    <button type="button" className="wiz-card" aria-pressed={props.selected} onClick={props.onSelect}>
      {props.children}
    </button>
  );
}

/** Power price and carbon now (or on average), as far as the site publishes them. */
function EnergyFigures({ figures: f }: { figures: SiteEnergyFigures }) {
  return (
    <span className="wiz-energy">
      {f.priceNowPerKwhMinor !== undefined ? (
        <span>Power now {fineMoney(f.priceNowPerKwhMinor, f.currency)}/kWh</span>
      ) : f.priceAvgPerKwhMinor !== undefined ? (
        <span>Power about {fineMoney(f.priceAvgPerKwhMinor, f.currency)}/kWh</span>
      ) : (
        <span className="muted">Power: no price published</span>
      )}
      {f.carbonNowGPerKwh !== undefined ? (
        <span>
          {num(f.carbonNowGPerKwh, 0)} g CO<sub>2</sub>e/kWh
        </span>
      ) : f.carbonAvgGPerKwh !== undefined ? (
        <span>
          about {num(f.carbonAvgGPerKwh, 0)} g CO<sub>2</sub>e/kWh
        </span>
      ) : (
        <span className="muted">Carbon: not published</span>
      )}
    </span>
  );
}

export function SiteCard(props: {
  site: Site;
  figures: SiteEnergyFigures | undefined;
  cheapest: boolean;
  cleanest: boolean;
  selected: boolean;
  onSelect: () => void;
}) {
  const { site: s, figures: f } = props;
  const country = countryName(s.country_code);
  return (
    <Card selected={props.selected} onSelect={props.onSelect}>
      <span className="wiz-card-title">
        <span aria-hidden="true">{flag(s.country_code)}</span> {s.name}
      </span>
      <span className="muted">
        {country} · {s.region_code}
      </span>
      <span className="wiz-tags">
        <span className="wiz-tag wiz-tag-stays" title={`Jurisdiction: ${s.jurisdiction}`}>
          Stays in {country}
        </span>
        {s.public_ipv4 && <span className="wiz-tag">Public IPv4</span>}
        {props.cheapest && <span className="wiz-tag">Cheapest power now</span>}
        {props.cleanest && <span className="wiz-tag">Cleanest power now</span>}
      </span>
      {f && <EnergyFigures figures={f} />}
    </Card>
  );
}

/**
 * A partner's site: run by another provider, sold here under this brand and at this provider's
 * prices. Who operates it and under which jurisdiction it falls are written out, not hinted at.
 */
export function PartnerSiteCard(props: {
  site: PartnerSite;
  figures: SiteEnergyFigures;
  selected: boolean;
  onSelect: () => void;
}) {
  const s = props.site;
  const country = countryName(s.country_code);
  return (
    <Card selected={props.selected} onSelect={props.onSelect}>
      <span className="wiz-card-title">
        <span aria-hidden="true">{flag(s.country_code)}</span> {s.name}
      </span>
      <span className="muted">
        {country}
        {s.region_code ? ` · ${s.region_code}` : ""}
      </span>
      <span className="wiz-operator">Operated by partner {s.operated_by}</span>
      <span className="wiz-tags">
        <span className="wiz-tag wiz-tag-stays">Stays in {country}</span>
        <span className="wiz-tag">Jurisdiction {s.jurisdiction || s.country_code}</span>
      </span>
      <EnergyFigures figures={props.figures} />
    </Card>
  );
}

export function PlanCard(props: { plan: WizardPlan; selected: boolean; onSelect: () => void }) {
  const p = props.plan;
  return (
    <Card selected={props.selected} onSelect={props.onSelect}>
      <span className="wiz-card-title">{p.name}</span>
      <span className="wiz-price">
        <strong>{money(p.hourly_price_minor, p.currency)}</strong>
        <span className="muted">/hour</span>
      </span>
      <span className="muted">at most {money(p.monthly_cap_minor, p.currency)}/month</span>
      <span className="wiz-specs">
        <span>{cpus(p.vcpus)}</span>
        <span>{memory(p.memory_mib)} memory</span>
        <span>{p.disk_gib} GiB disk</span>
        <span>{transfer(p.transfer_gib)}</span>
      </span>
    </Card>
  );
}

export function ImageCard(props: { image: Image; selected: boolean; onSelect: () => void }) {
  const i = props.image;
  return (
    <Card selected={props.selected} onSelect={props.onSelect}>
      <span className="wiz-card-title">{i.name}</span>
      <span className="muted">{i.os && i.os !== "unknown" ? i.os : "System not stated"}</span>
    </Card>
  );
}
