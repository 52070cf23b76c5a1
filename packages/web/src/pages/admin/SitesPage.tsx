import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api, newIdempotencyKey, fieldError, unwrap } from "../../api";
import type { Site } from "../../api";
import { Field } from "../../components/Field";
import { PowerNow } from "./ops/Bar";
import { IpPools } from "./ops/IpPools";
import "./ops/ops.css";
import { perKwh } from "../../format";
import { otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import { DASHBOARD_KEY, DASHBOARD_POLL_MS } from "./ops/dashboard";
import type { DashboardSite, EnergySettings, EnergySettingsPatch } from "./ops/dashboard";

const SITES_KEY = ["sites"] as const;

export function SitesPage() {
  const sites = useQuery({
    queryKey: SITES_KEY,
    queryFn: async () => unwrap(await api.GET("/sites", { params: { query: { limit: 100 } } })).items,
  });
  const dashboard = useQuery({
    queryKey: DASHBOARD_KEY,
    queryFn: async () => unwrap(await api.GET("/dashboard")),
    refetchInterval: DASHBOARD_POLL_MS,
  });

  return (
    <section className="ops-page">
      <div className="page-head">
        <h1>Sites</h1>
      </div>
      <CreateSite />
      <h2>Your sites</h2>
      {sites.isPending && <p className="loading">Loading sites…</p>}
      <ErrorMessage error={sites.error} />
      {sites.data && sites.data.length === 0 && (
        <div className="empty card">
          <h2>No sites yet</h2>
          <p>A site is a data centre or a rack in one place. Create one above, then add hosts to it.</p>
        </div>
      )}
      {sites.data?.map((s) => (
        <SiteCard key={s.id} site={s} now={dashboard.data?.sites.find((x) => x.id === s.id)} />
      ))}
    </section>
  );
}

const SITE_FIELDS = ["name", "country_code", "region_code", "jurisdiction", "time_zone"];

function CreateSite() {
  const queryClient = useQueryClient();
  const empty = { name: "", country_code: "", region_code: "", jurisdiction: "", time_zone: "" };
  const [form, setForm] = useState(empty);
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/sites", {
          body: {
            name: form.name,
            country_code: form.country_code.trim().toUpperCase(),
            time_zone: form.time_zone.trim(),
            ...(form.region_code.trim() ? { region_code: form.region_code.trim() } : {}),
            ...(form.jurisdiction.trim() ? { jurisdiction: form.jurisdiction.trim() } : {}),
          },
          headers: { "idempotency-key": idempotencyKey },
        }),
      ),
    onError: (err) => {
      if (err instanceof ApiError) setIdempotencyKey(newIdempotencyKey());
    },
    onSuccess: async () => {
      setForm(empty);
      setIdempotencyKey(newIdempotencyKey());
      await queryClient.invalidateQueries({ queryKey: SITES_KEY });
      await queryClient.invalidateQueries({ queryKey: DASHBOARD_KEY });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  const general = otherError(error, SITE_FIELDS);
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

  return (
    <form onSubmit={submit} noValidate className="card stack ops-section" aria-labelledby="create-site-title">
      <h2 id="create-site-title">Create a site</h2>
      <div className="ops-form-row">
        <Field label="Name" error={fieldError(error, "name")}>
          {(p) => <input {...p} name="name" autoComplete="off" value={form.name} onChange={set("name")} />}
        </Field>
        <Field label="Country" hint="Two letters, e.g. CA" error={fieldError(error, "country_code")}>
          {(p) => (
            <input
              {...p}
              name="country_code"
              autoComplete="off"
              maxLength={2}
              value={form.country_code}
              onChange={set("country_code")}
            />
          )}
        </Field>
        <Field label="Region" hint="Optional, e.g. ON" error={fieldError(error, "region_code")}>
          {(p) => (
            <input
              {...p}
              name="region_code"
              autoComplete="off"
              maxLength={10}
              value={form.region_code}
              onChange={set("region_code")}
            />
          )}
        </Field>
        <Field
          label="Jurisdiction"
          hint="Optional data-residency tag, e.g. CA"
          error={fieldError(error, "jurisdiction")}
        >
          {(p) => (
            <input
              {...p}
              name="jurisdiction"
              autoComplete="off"
              maxLength={50}
              value={form.jurisdiction}
              onChange={set("jurisdiction")}
            />
          )}
        </Field>
        <Field
          label="Time zone"
          hint="IANA name, e.g. America/Toronto"
          error={fieldError(error, "time_zone")}
        >
          {(p) => (
            <input
              {...p}
              name="time_zone"
              autoComplete="off"
              list="ops-time-zones"
              value={form.time_zone}
              onChange={set("time_zone")}
            />
          )}
        </Field>
      </div>
      <datalist id="ops-time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <ErrorMessage error={general} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create site"}
        </button>
      </div>
    </form>
  );
}

function SiteCard({ site, now }: { site: Site; now: DashboardSite | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <article className="card ops-site-card" aria-labelledby={`site-title-${site.id}`}>
      <div className="ops-site-head">
        <h2 id={`site-title-${site.id}`}>{site.name}</h2>
        {now && (
          <span className="ops-power">
            <span className="sr-only">Power now: </span>
            <PowerNow watts={now.power_w} estimated={now.power_estimated} testId={`site-power-${site.id}`} />
          </span>
        )}
      </div>
      <dl className="details">
        <dt>Country</dt>
        <dd>{site.country_code}</dd>
        <dt>Region</dt>
        <dd>{site.region_code || "—"}</dd>
        <dt>Jurisdiction</dt>
        <dd>{site.jurisdiction || "—"}</dd>
        <dt>Time zone</dt>
        <dd>{site.time_zone}</dd>
        {site.ec2_region && (
          <>
            <dt>EC2 API</dt>
            <dd>
              zone <code>{site.name}</code> in region <code>{site.ec2_region}</code>
            </dd>
          </>
        )}
        <dt>Electricity now</dt>
        <dd>
          {now?.price_per_mwh_minor != null && now.price_currency
            ? perKwh(now.price_per_mwh_minor, now.price_currency)
            : "no price for this hour"}
        </dd>
        <dt>Carbon now</dt>
        <dd>
          {now?.carbon_g_per_kwh != null
            ? `${Math.round(now.carbon_g_per_kwh)} gCO₂e/kWh`
            : "no carbon intensity for this hour"}
        </dd>
        {now && (
          <>
            <dt>Hosts</dt>
            <dd>
              {now.hosts.up} up of {now.hosts.total} · {now.server_count} servers
            </dd>
          </>
        )}
      </dl>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={`energy-${site.id}`}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? "Hide energy settings" : "Energy settings"}
      </button>
      {open && (
        <div id={`energy-${site.id}`}>
          <EnergySettingsPanel site={site} />
        </div>
      )}
      <IpPools site={site} />
    </article>
  );
}

type TariffChoice = "keep" | "none" | "ontario-tou" | "hourly";
type CarbonChoice = "keep" | "none" | "annual" | "hourly";

function describeTariff(t: EnergySettings["tariff"], currency: string): string {
  if (!t) return "none: energy is measured but not priced";
  if (t.kind === "hourly") return `hourly market prices (${currency}), imported as CSV`;
  const prices = t["pricesPerMwhMinor"] as Record<string, number> | undefined;
  const name = typeof t["name"] === "string" ? t["name"] : "time-of-use";
  if (!prices) return name;
  const list = Object.entries(prices)
    .map(([period, p]) => `${period} ${perKwh(p, currency)}`)
    .join(", ");
  return `${name}: ${list}`;
}

function describeCarbon(c: EnergySettings["carbon"]): string {
  if (!c) return "none";
  if (c.kind === "annual")
    return `${typeof c["gPerKwh"] === "number" ? c["gPerKwh"] : "?"} gCO₂e/kWh all year`;
  const fallback = typeof c["annualDefaultGPerKwh"] === "number" ? c["annualDefaultGPerKwh"] : undefined;
  return `hourly series${fallback !== undefined ? `, ${fallback} gCO₂e/kWh where it has gaps` : ""}`;
}

function series(s: EnergySettings["price_series"]): string {
  if (s.hours === 0 || !s.first || !s.last) return "none stored";
  return `${s.hours} hours, ${new Date(s.first).toLocaleString()} to ${new Date(s.last).toLocaleString()}`;
}

const ENERGY_FIELDS = ["pue", "tariff", "carbon", "energy_aware_placement"];

function EnergySettingsPanel({ site }: { site: Site }) {
  const queryClient = useQueryClient();
  const key = ["energy-settings", site.id];
  const settings = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(await api.GET("/sites/{id}/energy-settings", { params: { path: { id: site.id } } })),
  });
  const year = new Date().getFullYear();
  const [pue, setPue] = useState<string | null>(null);
  const [tariff, setTariff] = useState<TariffChoice>("keep");
  const [fromYear, setFromYear] = useState(String(year));
  const [toYear, setToYear] = useState(String(year + 1));
  const [currency, setCurrency] = useState("CAD");
  const [carbon, setCarbon] = useState<CarbonChoice>("keep");
  const [grams, setGrams] = useState("");
  const [placement, setPlacement] = useState<boolean | null>(null);

  const save = useMutation({
    mutationFn: async () => {
      const body: EnergySettingsPatch = {};
      if (pue !== null) body.pue = pue;
      if (placement !== null) body.energy_aware_placement = placement;
      if (tariff === "none") body.tariff = null;
      if (tariff === "ontario-tou")
        body.tariff = { kind: "ontario-tou", from_year: Number(fromYear), to_year: Number(toYear) };
      if (tariff === "hourly") body.tariff = { kind: "hourly", currency: currency.trim().toUpperCase() };
      if (carbon === "none") body.carbon = null;
      if (carbon === "annual") body.carbon = { kind: "annual", g_per_kwh: Number(grams) };
      if (carbon === "hourly")
        body.carbon = {
          kind: "hourly",
          ...(grams.trim() ? { annual_default_g_per_kwh: Number(grams) } : {}),
        };
      return unwrap(
        await api.PATCH("/sites/{id}/energy-settings", { params: { path: { id: site.id } }, body }),
      );
    },
    onSuccess: async (data) => {
      queryClient.setQueryData(key, data);
      setPue(null);
      setPlacement(null);
      setTariff("keep");
      setCarbon("keep");
      await queryClient.invalidateQueries({ queryKey: DASHBOARD_KEY });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  if (settings.isPending) return <p className="loading">Loading energy settings…</p>;
  if (settings.isError)
    return (
      <p role="alert" className="error">
        {settings.error.message}
      </p>
    );
  const s = settings.data;
  const error = save.error;
  const tariffError =
    error instanceof ApiError && error.field?.startsWith("tariff") ? error.message : undefined;
  const carbonError =
    error instanceof ApiError && error.field?.startsWith("carbon") ? error.message : undefined;
  const general =
    error &&
    !(
      error instanceof ApiError &&
      error.field &&
      (ENERGY_FIELDS.includes(error.field) || /^(tariff|carbon)/.test(error.field))
    )
      ? error.message
      : undefined;

  return (
    <div className="stack">
      <dl className="details">
        <dt>PUE</dt>
        <dd>{s.pue}</dd>
        <dt>Tariff</dt>
        <dd>{describeTariff(s.tariff, s.currency)}</dd>
        <dt>Price series</dt>
        <dd>{series(s.price_series)}</dd>
        <dt>Carbon intensity</dt>
        <dd>{describeCarbon(s.carbon)}</dd>
        <dt>Carbon series</dt>
        <dd>{series(s.carbon_series)}</dd>
        <dt>Energy-aware placement</dt>
        <dd>{s.energy_aware_placement ? "on: new servers prefer cheap, clean hours here" : "off"}</dd>
      </dl>
      <form onSubmit={submit} noValidate className="stack" aria-label={`Energy settings of ${site.name}`}>
        <div className="ops-form-row">
          <Field
            label="PUE"
            hint="Facility power over IT power, 1.000 to 3.000"
            error={fieldError(error, "pue")}
          >
            {(p) => (
              <input
                {...p}
                name="pue"
                inputMode="decimal"
                autoComplete="off"
                value={pue ?? s.pue}
                onChange={(e) => setPue(e.target.value)}
              />
            )}
          </Field>
          <Field label="Tariff" error={tariffError}>
            {(p) => (
              <select {...p} value={tariff} onChange={(e) => setTariff(e.target.value as TariffChoice)}>
                <option value="keep">Keep as is</option>
                <option value="none">No tariff</option>
                <option value="ontario-tou">Ontario time-of-use</option>
                <option value="hourly">Hourly market prices (CSV import)</option>
              </select>
            )}
          </Field>
          {tariff === "ontario-tou" && (
            <>
              <Field label="Holidays from year">
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={fromYear}
                    onChange={(e) => setFromYear(e.target.value)}
                  />
                )}
              </Field>
              <Field label="Holidays to year">
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={toYear}
                    onChange={(e) => setToYear(e.target.value)}
                  />
                )}
              </Field>
            </>
          )}
          {tariff === "hourly" && (
            <Field label="Currency" hint="Three letters, e.g. CAD">
              {(p) => (
                <input {...p} maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
              )}
            </Field>
          )}
          <Field label="Carbon intensity" error={carbonError}>
            {(p) => (
              <select {...p} value={carbon} onChange={(e) => setCarbon(e.target.value as CarbonChoice)}>
                <option value="keep">Keep as is</option>
                <option value="none">None</option>
                <option value="annual">One figure all year</option>
                <option value="hourly">Hourly series</option>
              </select>
            )}
          </Field>
          {(carbon === "annual" || carbon === "hourly") && (
            <Field
              label={carbon === "annual" ? "gCO₂e per kWh" : "Default gCO₂e per kWh (optional)"}
              hint={carbon === "hourly" ? "Used for hours the series does not cover" : undefined}
            >
              {(p) => (
                <input {...p} inputMode="decimal" value={grams} onChange={(e) => setGrams(e.target.value)} />
              )}
            </Field>
          )}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={placement ?? s.energy_aware_placement}
            onChange={(e) => setPlacement(e.target.checked)}
          />
          Energy-aware placement: prefer this site when its power is cheap and clean
        </label>
        {fieldError(error, "energy_aware_placement") && (
          <p role="alert" className="field-error">
            {fieldError(error, "energy_aware_placement")}
          </p>
        )}
        <ErrorMessage error={general} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save energy settings"}
          </button>
        </div>
      </form>
      {(s.tariff?.kind === "hourly" || tariff === "hourly") && <PriceImport siteId={site.id} />}
    </div>
  );
}

function PriceImport({ siteId }: { siteId: string }) {
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState("");
  const [zone, setZone] = useState("Etc/GMT+5");
  const upload = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT("/sites/{id}/energy-prices", {
          params: { path: { id: siteId }, query: zone.trim() ? { zone: zone.trim() } : {} },
          body: csv,
          bodySerializer: (text: string) => text,
          headers: { "content-type": "text/csv" },
        }),
      ),
    onSuccess: async () => {
      setCsv("");
      await queryClient.invalidateQueries({ queryKey: ["energy-settings", siteId] });
      await queryClient.invalidateQueries({ queryKey: DASHBOARD_KEY });
    },
  });
  const error = upload.error;
  return (
    <form
      className="stack"
      noValidate
      aria-label="Import hourly prices"
      onSubmit={(e) => {
        e.preventDefault();
        upload.mutate();
      }}
    >
      <h3>Import hourly prices</h3>
      <Field
        label="Price file (CSV)"
        hint="IESO style: date, hour ending 1–24, price per MWh. Paste the file or pick it below."
        error={fieldError(error, "csv")}
      >
        {(p) => (
          <textarea
            {...p}
            className="ops-textarea mono"
            value={csv}
            onChange={(e) => setCsv(e.target.value)}
          />
        )}
      </Field>
      <Field label="Or choose a file">
        {(p) => (
          <input
            {...p}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then(setCsv);
            }}
          />
        )}
      </Field>
      <Field
        label="Zone the file is written in"
        hint="IESO files are Etc/GMT+5"
        error={fieldError(error, "zone")}
      >
        {(p) => <input {...p} value={zone} onChange={(e) => setZone(e.target.value)} />}
      </Field>
      {error && !(error instanceof ApiError && (error.field === "csv" || error.field === "zone")) && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {upload.data && (
        <p role="status">
          Imported {upload.data.hours} hours, {new Date(upload.data.first).toLocaleString()} to{" "}
          {new Date(upload.data.last).toLocaleString()}.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={upload.isPending || !csv.trim()}>
          {upload.isPending ? "Importing…" : "Import prices"}
        </button>
      </div>
    </form>
  );
}
