import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, api, newIdempotencyKey, fieldError, unwrap } from "../api";
import type { Image, Plan, Site } from "../api";
import { Field } from "../components/Field";
import { LocalError } from "../components/errors";
import {
  ESTIMATE,
  energyCarbonG,
  energyCostMinor,
  estimatedWatts,
  monthlyKwh,
  siteEnergyFigures,
} from "./server/energy";
import type { SiteEnergyFigures } from "./server/energy";
import { carbon, countryName, fineMoney, flag, memory, money, num } from "./server/format";
import "./server/wizard.css";

const FIELDS = ["name", "site_id", "plan_id", "image_id", "ssh_key_ids", "extra_ipv4"];
/** The most extra IPv4 addresses a server may be created with (the API's limit). */
const MAX_EXTRA_IPV4 = 16;

/** A hostname-safe piece of a suggested name. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** A name such as "debian-12-small-tor1-42", until the user types their own. */
function suggestName(parts: (string | undefined)[], suffix: string): string {
  const base = parts
    .filter(Boolean)
    .map((p) => slug(p!))
    .filter(Boolean)
    .join("-")
    .slice(0, 56);
  return `${base.replace(/-+$/, "") || "server"}-${suffix}`;
}

function transfer(gib: number): string {
  return gib >= 1024 ? `${num(gib / 1024)} TiB transfer` : `${gib} GiB transfer`;
}

function cpus(n: number): string {
  return `${n} vCPU${n === 1 ? "" : "s"}`;
}

export function CreateServerPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Choices the user made; null until then, and the page shows its default.
  const [typedName, setTypedName] = useState<string | null>(null);
  const [siteChoice, setSiteChoice] = useState<string | null>(null);
  const [planId, setPlanId] = useState("");
  const [imageChoice, setImageChoice] = useState<string | null>(null);
  const [keyChoice, setKeyChoice] = useState<string[] | null>(null);
  const [backups, setBackups] = useState(false);
  const [extraIpv4Text, setExtraIpv4Text] = useState("0");
  const [suffix] = useState(() => String(Math.floor(Math.random() * 90) + 10));
  // A resubmit after a lost answer reuses the key, so it creates one server, not two. Once the API
  // has answered with a refusal, the corrected form is a new request and needs a new key.
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());

  const sites = useQuery({
    queryKey: ["sites"],
    queryFn: async () => unwrap(await api.GET("/sites", { params: { query: { limit: 100 } } })).items,
  });
  const plans = useQuery({
    queryKey: ["plans"],
    queryFn: async () =>
      unwrap(await api.GET("/plans", { params: { query: { active: true, limit: 100 } } })).items,
  });
  const images = useQuery({
    queryKey: ["images"],
    queryFn: async () =>
      unwrap(await api.GET("/images", { params: { query: { limit: 100 } } })).items.filter(
        (i) => i.status === "available",
      ),
  });
  const keys = useQuery({
    queryKey: ["ssh-keys"],
    queryFn: async () => unwrap(await api.GET("/ssh-keys", { params: { query: { limit: 100 } } })).items,
  });
  // Every site's price and carbon now and on average, computed by the controller for any role.
  // Without it the wizard still works, only without the energy figures.
  const energyNow = useQuery({
    queryKey: ["sites", "energy-now"],
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: async () => unwrap(await api.GET("/sites/energy-now")).items,
  });
  const figures = new Map<string, SiteEnergyFigures>(
    (energyNow.data ?? []).map((e) => [e.site_id, siteEnergyFigures(e)]),
  );

  const siteId = siteChoice ?? sites.data?.[0]?.id ?? "";
  const imageId = imageChoice ?? images.data?.[0]?.id ?? "";
  const keyIds = keyChoice ?? keys.data?.map((k) => k.id) ?? [];
  const site = sites.data?.find((s) => s.id === siteId);
  const plan = plans.data?.find((p) => p.id === planId);
  const image = images.data?.find((i) => i.id === imageId);
  const name = typedName ?? suggestName([image?.name, plan?.name, site?.region_code], suffix);
  // Extra addresses exist only where the site hands out public ones.
  const publicIpv4 = site?.public_ipv4 === true;
  const extraIpv4 = publicIpv4 ? Number(extraIpv4Text.trim() || "0") : 0;

  const create = useMutation({
    mutationFn: async () => {
      if (!Number.isInteger(extraIpv4) || extraIpv4 < 0 || extraIpv4 > MAX_EXTRA_IPV4)
        throw new LocalError("extra_ipv4", `A whole number from 0 to ${MAX_EXTRA_IPV4}.`);
      return unwrap(
        await api.POST("/servers", {
          body: {
            name,
            plan_id: planId,
            image_id: imageId,
            ...(siteId ? { site_id: siteId } : {}),
            ssh_key_ids: keyIds,
            ...(backups ? { backups_enabled: true } : {}),
            ...(extraIpv4 > 0 ? { extra_ipv4: extraIpv4 } : {}),
          },
          headers: { "idempotency-key": idempotencyKey },
        }),
      );
    },
    onError: (err) => {
      if (err instanceof ApiError && !(err instanceof LocalError)) setIdempotencyKey(newIdempotencyKey());
    },
    onSuccess: async (server) => {
      await queryClient.invalidateQueries({ queryKey: ["servers"] });
      await navigate(`/servers/${server.id}`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  const general =
    error && !(error instanceof ApiError && error.field && FIELDS.includes(error.field))
      ? error.message
      : undefined;
  const listError = [sites, plans, images, keys].find((q) => q.isError)?.error;
  // Only the sites with a price or carbon figure take part in "cheapest" and "cleanest".
  const priced = [...figures].filter(([, f]) => f.priceNowPerKwhMinor !== undefined);
  const cheapest =
    priced.length > 1 && new Set(priced.map(([, f]) => f.currency)).size === 1
      ? priced.reduce((a, b) => (b[1].priceNowPerKwhMinor! < a[1].priceNowPerKwhMinor! ? b : a))[0]
      : undefined;
  const withCarbon = [...figures].filter(([, f]) => f.carbonNowGPerKwh !== undefined);
  const cleanest =
    withCarbon.length > 1
      ? withCarbon.reduce((a, b) => (b[1].carbonNowGPerKwh! < a[1].carbonNowGPerKwh! ? b : a))[0]
      : undefined;

  return (
    <section>
      <h1>New server</h1>
      {listError && (
        <p role="alert" className="error">
          {listError.message}
        </p>
      )}
      <form onSubmit={submit} noValidate className="wiz">
        <div className="wiz-steps">
          <Step number={1} title="Where it runs">
            <Field
              label="Site"
              hint="Your server and its disk stay in the country of the site you choose."
              error={fieldError(error, "site_id")}
            >
              {(props) => (
                <select
                  {...props}
                  name="site_id"
                  value={siteId}
                  onChange={(e) => setSiteChoice(e.target.value)}
                >
                  <option value="">Any site: the cheapest, cleanest power now</option>
                  {sites.data?.map((s) => (
                    <option key={s.id} value={s.id}>
                      {flag(s.country_code)} {s.name} ({s.region_code}, {countryName(s.country_code)})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Choices
              loading={sites.isPending}
              empty={sites.data?.length === 0 && "No locations are open yet."}
            >
              {sites.data?.map((s) => (
                <SiteCard
                  key={s.id}
                  site={s}
                  figures={figures.get(s.id)}
                  cheapest={s.id === cheapest}
                  cleanest={s.id === cleanest}
                  selected={s.id === siteId}
                  onSelect={() => setSiteChoice(s.id)}
                />
              ))}
              {(sites.data?.length ?? 0) > 1 && (
                <Card selected={siteId === ""} onSelect={() => setSiteChoice("")}>
                  <span className="wiz-card-title">
                    <span aria-hidden="true">⚡</span> Anywhere
                  </span>
                  <span className="muted">Placed where power is cheapest and cleanest when it starts.</span>
                </Card>
              )}
            </Choices>
          </Step>

          <Step number={2} title="How big">
            <Field label="Plan" error={fieldError(error, "plan_id")}>
              {(props) => (
                <select {...props} name="plan_id" value={planId} onChange={(e) => setPlanId(e.target.value)}>
                  <option value="">Choose a plan…</option>
                  {plans.data?.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}: {cpus(p.vcpus)}, {memory(p.memory_mib)}, {p.disk_gib} GiB disk,{" "}
                      {money(p.hourly_price_minor, p.currency)}/hour
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Choices
              loading={plans.isPending}
              empty={plans.data?.length === 0 && "No sizes are on sale yet; ask support."}
            >
              {plans.data?.map((p) => (
                <PlanCard key={p.id} plan={p} selected={p.id === planId} onSelect={() => setPlanId(p.id)} />
              ))}
            </Choices>
            <label className="check">
              <input type="checkbox" checked={backups} onChange={(e) => setBackups(e.target.checked)} />
              Daily backups{plan ? ` (+${plan.backups_price_percent} % of the server's price)` : ""}
            </label>
            {publicIpv4 && (
              <Field
                label="Extra IPv4 addresses"
                hint={
                  <>
                    Besides the public address every server here gets.{" "}
                    {plan
                      ? `${money(plan.extra_ipv4_monthly_minor, plan.currency)} a month each, billed by the hour.`
                      : "A paid add-on, billed by the hour; its price depends on the plan."}
                  </>
                }
                error={fieldError(error, "extra_ipv4")}
              >
                {(props) => (
                  <input
                    {...props}
                    name="extra_ipv4"
                    type="number"
                    min={0}
                    max={MAX_EXTRA_IPV4}
                    step={1}
                    inputMode="numeric"
                    className="wiz-count"
                    value={extraIpv4Text}
                    onChange={(e) => setExtraIpv4Text(e.target.value)}
                  />
                )}
              </Field>
            )}
          </Step>

          <Step number={3} title="What it boots">
            <Field label="Image" error={fieldError(error, "image_id")}>
              {(props) => (
                <select
                  {...props}
                  name="image_id"
                  value={imageId}
                  onChange={(e) => setImageChoice(e.target.value)}
                >
                  <option value="">Choose an image…</option>
                  {images.data?.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                      {i.os && i.os !== "unknown" ? ` (${i.os})` : ""}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Choices
              loading={images.isPending}
              empty={
                images.data?.length === 0 && (
                  <>
                    Nothing to boot yet: <Link to="/images">import a system</Link> first.
                  </>
                )
              }
            >
              {images.data?.map((i) => (
                <ImageCard
                  key={i.id}
                  image={i}
                  selected={i.id === imageId}
                  onSelect={() => setImageChoice(i.id)}
                />
              ))}
            </Choices>
          </Step>

          <Step number={4} title="How you log in">
            <fieldset
              className="field"
              aria-describedby={fieldError(error, "ssh_key_ids") ? "ssh-keys-error" : undefined}
            >
              <legend>SSH keys</legend>
              {keys.isPending && <p className="loading">Loading keys…</p>}
              {keys.data?.length === 0 && (
                <p className="hint">
                  Your account has no SSH keys yet: <Link to="/ssh-keys">add one</Link>, or log in through the
                  server&rsquo;s console.
                </p>
              )}
              {keys.data?.map((k) => (
                <label key={k.id} className="check">
                  <input
                    type="checkbox"
                    name="ssh_key_ids"
                    value={k.id}
                    checked={keyIds.includes(k.id)}
                    onChange={(e) =>
                      setKeyChoice(e.target.checked ? [...keyIds, k.id] : keyIds.filter((x) => x !== k.id))
                    }
                  />
                  {k.name} <span className="mono muted wiz-fingerprint">{k.fingerprint}</span>
                </label>
              ))}
              {fieldError(error, "ssh_key_ids") && (
                <p id="ssh-keys-error" className="field-error" role="alert">
                  {fieldError(error, "ssh_key_ids")}
                </p>
              )}
            </fieldset>
            <Field label="Name" hint="Also the server's hostname." error={fieldError(error, "name")}>
              {(props) => (
                <input
                  {...props}
                  name="name"
                  required
                  autoComplete="off"
                  spellCheck={false}
                  value={name}
                  onChange={(e) => setTypedName(e.target.value)}
                />
              )}
            </Field>
          </Step>
        </div>

        <aside className="card wiz-summary" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <Summary
            site={siteId === "" ? null : site}
            plan={plan}
            figures={site ? figures.get(site.id) : undefined}
            figuresLoaded={energyNow.isSuccess}
            backups={backups}
            extraIpv4={Number.isInteger(extraIpv4) && extraIpv4 > 0 ? extraIpv4 : 0}
          />
          {general && (
            <p role="alert" className="error">
              {general}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create server"}
            </button>
            <Link to="/servers">Cancel</Link>
          </div>
        </aside>
      </form>
    </section>
  );
}

function Step(props: { number: number; title: string; children: ReactNode }) {
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
function Choices(props: { loading: boolean; empty: ReactNode; children: ReactNode }) {
  if (props.loading) return <p className="loading">Loading…</p>;
  if (props.empty) return <p className="muted">{props.empty}</p>;
  return <div className="wiz-cards">{props.children}</div>;
}

function Card(props: { selected: boolean; onSelect: () => void; children: ReactNode }) {
  return (
    <button type="button" className="wiz-card" aria-pressed={props.selected} onClick={props.onSelect}>
      {props.children}
    </button>
  );
}

function SiteCard(props: {
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
      {f && (
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
      )}
    </Card>
  );
}

function PlanCard(props: { plan: Plan; selected: boolean; onSelect: () => void }) {
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

function ImageCard(props: { image: Image; selected: boolean; onSelect: () => void }) {
  const i = props.image;
  return (
    <Card selected={props.selected} onSelect={props.onSelect}>
      <span className="wiz-card-title">{i.name}</span>
      <span className="muted">{i.os && i.os !== "unknown" ? i.os : "System not stated"}</span>
    </Card>
  );
}

function Summary(props: {
  site: Site | null | undefined;
  plan: Plan | undefined;
  figures: SiteEnergyFigures | undefined;
  figuresLoaded: boolean;
  backups: boolean;
  extraIpv4: number;
}) {
  const { site, plan, figures: f } = props;
  const watts = plan ? estimatedWatts(plan.vcpus, ESTIMATE.load, f?.pue ?? 1) : undefined;
  const kwh = watts === undefined ? undefined : monthlyKwh(watts);
  const idleKwh = plan ? monthlyKwh(estimatedWatts(plan.vcpus, 0, f?.pue ?? 1)) : undefined;
  const fullKwh = plan ? monthlyKwh(estimatedWatts(plan.vcpus, 1, f?.pue ?? 1)) : undefined;
  const cost = kwh === undefined ? undefined : energyCostMinor(kwh, f);
  const grams = kwh === undefined ? undefined : energyCarbonG(kwh, f);
  const published =
    f !== undefined && (f.priceAvgPerKwhMinor ?? f.carbonAvgGPerKwh ?? f.carbonNowGPerKwh) !== undefined;
  return (
    <>
      <dl className="details wiz-totals">
        <dt>Location</dt>
        <dd>
          {site === null ? (
            "Chosen when it starts"
          ) : site ? (
            <>
              <span aria-hidden="true">{flag(site.country_code)}</span> {site.name}
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
                    + daily backups, {plan.backups_price_percent} % of that (at most{" "}
                    {money(
                      Math.round((plan.monthly_cap_minor * plan.backups_price_percent) / 100),
                      plan.currency,
                    )}{" "}
                    a month)
                  </span>
                </>
              )}
              {props.extraIpv4 > 0 && (
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
          {site === null && (
            <p className="hint">The cost and carbon depend on the site chosen when the server starts.</p>
          )}
          {site && props.figuresLoaded && !published && (
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
