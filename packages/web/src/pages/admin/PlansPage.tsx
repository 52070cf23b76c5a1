import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api, newIdempotencyKey, unwrap } from "../../api";
import type { Plan } from "../../api";
import { Field } from "../../components/Field";
import { useSession } from "../../session";
import "./business/business.css";
import { memory, minorToInput, money, parseMinor } from "../../format";
import { errorFor, LocalError, otherError } from "../../components/errors";
import { Badge } from "../../components/Badge";
import { allPages } from "../../components/paging";
import { ErrorMessage } from "../../components/ErrorMessage";
import { cursorParam } from "../../components/paging";
import type { NewPlan, Price } from "./business/types";
import { PartnerPricesSection } from "./business/PartnerPricesSection";
import { HourlyAndCapFields, amount } from "./business/price-fields";

const ALL_PLANS_KEY = ["plans", "all"] as const;
const PRICES_KEY = ["prices"] as const;

export function PlansPage() {
  const me = useSession().data;
  return me?.role === "provider-admin" ? <ProviderPlans /> : <ResellerPrices />;
}

/* ------------------------------------------------------------------ provider */

function ProviderPlans() {
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Plan | null>(null);
  const plans = useQuery({
    queryKey: ALL_PLANS_KEY,
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(await api.GET("/plans", { params: { query: { limit: 200, ...cursorParam(cursor) } } })),
      ),
  });

  return (
    <section>
      <div className="page-head">
        <h1>Plans and prices</h1>
        {!creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New plan
          </button>
        )}
      </div>
      <p className="muted">
        Plans are the sizes customers choose from. Prices here are what your direct customers pay, and the
        wholesale price your resellers pay before their own margin.
      </p>
      {creating && <CreatePlanForm onDone={() => setCreating(false)} />}
      {plans.isPending && <p className="loading">Loading plans…</p>}
      <ErrorMessage error={plans.error} />
      {plans.data && plans.data.length === 0 && !creating && (
        <div className="empty card">
          <h2>No plans yet</h2>
          <p>Create a plan (its vCPUs, memory, disk and price) so that customers can create servers.</p>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create a plan
          </button>
        </div>
      )}
      {plans.data && plans.data.length > 0 && (
        <div className="table-wrap">
          <table className="biz-table cards">
            <caption className="sr-only">Plans</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="biz-num">
                  vCPU
                </th>
                <th scope="col" className="biz-num">
                  Memory
                </th>
                <th scope="col" className="biz-num">
                  Disk
                </th>
                <th scope="col" className="biz-num">
                  Transfer
                </th>
                <th scope="col" className="biz-num">
                  Per hour
                </th>
                <th scope="col" className="biz-num">
                  Monthly cap
                </th>
                <th scope="col" className="biz-num">
                  Extra IPv4
                </th>
                <th scope="col">Currency</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.data.map((p) => (
                <PlanRow key={p.id} plan={p} onEdit={() => setEditing(p)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <EditPlanDialog plan={editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

function PlanRow({ plan: p, onEdit }: { plan: Plan; onEdit: () => void }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: async () =>
      unwrap(await api.PATCH("/plans/{id}", { params: { path: { id: p.id } }, body: { active: !p.active } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["plans"] }),
  });
  return (
    <tr>
      <td className="biz-first">{p.name}</td>
      <td data-label="vCPU" className="biz-num">
        {p.vcpus}
      </td>
      <td data-label="Memory" className="biz-num">
        {memory(p.memory_mib)}
      </td>
      <td data-label="Disk" className="biz-num">
        {p.disk_gib} GiB
      </td>
      <td data-label="Transfer" className="biz-num">
        {p.transfer_gib} GiB
        <span className="biz-sub">then {money(p.transfer_overage_minor_per_gib, p.currency)}/GiB</span>
      </td>
      <td data-label="Per hour" className="biz-num">
        {money(p.hourly_price_minor, p.currency)}
      </td>
      <td data-label="Monthly cap" className="biz-num">
        {money(p.monthly_cap_minor, p.currency)}
      </td>
      <td data-label="Extra IPv4" className="biz-num">
        {money(p.extra_ipv4_monthly_minor, p.currency)}/month
      </td>
      <td data-label="Currency">{p.currency}</td>
      <td data-label="Status">
        {p.active ? <Badge state="active" label="on sale" /> : <Badge state="retired" />}
      </td>
      <td data-label="Actions">
        <div>
          <div className="actions">
            <button type="button" onClick={onEdit} aria-label={`Change the price of ${p.name}`}>
              Edit
            </button>
            <button
              type="button"
              className={p.active ? "danger" : undefined}
              disabled={toggle.isPending}
              onClick={() => toggle.mutate()}
              aria-label={p.active ? `Retire ${p.name}` : `Put ${p.name} back on sale`}
            >
              {p.active ? "Retire" : "Put on sale"}
            </button>
          </div>
          {toggle.isError && (
            <p role="alert" className="field-error">
              {toggle.error.message}
            </p>
          )}
        </div>
      </td>
    </tr>
  );
}

const PLAN_FIELDS = [
  "name",
  "vcpus",
  "memory_mib",
  "disk_gib",
  "transfer_gib",
  "hourly_price_minor",
  "monthly_cap_minor",
  "extra_ipv4_monthly_minor",
  "transfer_overage_minor_per_gib",
  "currency",
] as const;

function wholeNumber(text: string, field: string, label: string): number {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(n) || n < 0)
    throw new LocalError(field, `${label}: a whole number.`);
  return n;
}

function CreatePlanForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: "",
    vcpus: "1",
    memory_mib: "1024",
    disk_gib: "25",
    transfer_gib: "1000",
    hourly: "",
    cap: "",
    extraIpv4: "3.00",
    overage: "0.01",
    currency: "CAD",
  });
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const create = useMutation({
    mutationFn: async () => {
      const currency = form.currency.trim().toUpperCase();
      const body: NewPlan = {
        name: form.name.trim(),
        vcpus: wholeNumber(form.vcpus, "vcpus", "vCPUs"),
        memory_mib: wholeNumber(form.memory_mib, "memory_mib", "Memory"),
        disk_gib: wholeNumber(form.disk_gib, "disk_gib", "Disk"),
        transfer_gib: wholeNumber(form.transfer_gib, "transfer_gib", "Transfer"),
        hourly_price_minor: amount(form.hourly, currency, "hourly_price_minor"),
        monthly_cap_minor: amount(form.cap, currency, "monthly_cap_minor"),
        extra_ipv4_monthly_minor: amount(form.extraIpv4, currency, "extra_ipv4_monthly_minor"),
        transfer_overage_minor_per_gib: amount(form.overage, currency, "transfer_overage_minor_per_gib"),
        currency,
      };
      return unwrap(await api.POST("/plans", { body, headers: { "idempotency-key": idempotencyKey } }));
    },
    onError: (err) => {
      if (err instanceof ApiError && !(err instanceof LocalError)) setIdempotencyKey(newIdempotencyKey());
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["plans"] });
      onDone();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  const general = otherError(error, PLAN_FIELDS);
  const currency = /^[A-Z]{3}$/.test(form.currency.toUpperCase()) ? form.currency.toUpperCase() : "CAD";

  return (
    <form onSubmit={submit} noValidate className="card stack biz-create" aria-labelledby="new-plan-title">
      <h2 id="new-plan-title">New plan</h2>
      <div className="biz-form-grid">
        <div className="wide">
          <Field
            label="Name"
            hint="Shown to customers, e.g. Small or s-2vcpu-4gb."
            error={errorFor(error, "name")}
          >
            {(props) => (
              <input {...props} value={form.name} onChange={set("name")} autoComplete="off" autoFocus />
            )}
          </Field>
        </div>
        <Field label="vCPUs" error={errorFor(error, "vcpus")}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              max={512}
              inputMode="numeric"
              value={form.vcpus}
              onChange={set("vcpus")}
            />
          )}
        </Field>
        <Field label="Memory (MiB)" hint="1024 MiB is 1 GiB." error={errorFor(error, "memory_mib")}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={64}
              step={256}
              inputMode="numeric"
              value={form.memory_mib}
              onChange={set("memory_mib")}
            />
          )}
        </Field>
        <Field label="Disk (GiB)" error={errorFor(error, "disk_gib")}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              inputMode="numeric"
              value={form.disk_gib}
              onChange={set("disk_gib")}
            />
          )}
        </Field>
        <Field
          label="Transfer (GiB a month)"
          hint="The monthly allowance customers see."
          error={errorFor(error, "transfer_gib")}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              inputMode="numeric"
              value={form.transfer_gib}
              onChange={set("transfer_gib")}
            />
          )}
        </Field>
        <Field label={`Price per hour (${currency})`} error={errorFor(error, "hourly_price_minor")}>
          {(props) => (
            <input
              {...props}
              inputMode="decimal"
              placeholder="0.01"
              value={form.hourly}
              onChange={set("hourly")}
            />
          )}
        </Field>
        <Field
          label={`Monthly cap (${currency})`}
          hint="The most a server of this plan costs in a month."
          error={errorFor(error, "monthly_cap_minor")}
        >
          {(props) => (
            <input {...props} inputMode="decimal" placeholder="5.00" value={form.cap} onChange={set("cap")} />
          )}
        </Field>
        <Field
          label={`Extra IPv4 a month (${currency})`}
          hint="Each address beyond the primary one, billed by the hour."
          error={errorFor(error, "extra_ipv4_monthly_minor")}
        >
          {(props) => (
            <input {...props} inputMode="decimal" value={form.extraIpv4} onChange={set("extraIpv4")} />
          )}
        </Field>
        <Field
          label={`Transfer overage per GiB (${currency})`}
          hint="Each GiB a server sends beyond its allowance."
          error={errorFor(error, "transfer_overage_minor_per_gib")}
        >
          {(props) => <input {...props} inputMode="decimal" value={form.overage} onChange={set("overage")} />}
        </Field>
        <Field label="Currency" hint="ISO code: CAD, USD, EUR…" error={errorFor(error, "currency")}>
          {(props) => (
            <input
              {...props}
              maxLength={3}
              autoComplete="off"
              spellCheck={false}
              value={form.currency}
              onChange={(e) => setForm((f) => ({ ...f, currency: e.target.value.toUpperCase() }))}
            />
          )}
        </Field>
      </div>
      <ErrorMessage error={general} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create plan"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EditPlanDialog({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [hourly, setHourly] = useState(minorToInput(plan.hourly_price_minor, plan.currency));
  const [cap, setCap] = useState(minorToInput(plan.monthly_cap_minor, plan.currency));
  const [extraIpv4, setExtraIpv4] = useState(minorToInput(plan.extra_ipv4_monthly_minor, plan.currency));
  const [overage, setOverage] = useState(minorToInput(plan.transfer_overage_minor_per_gib, plan.currency));
  const [active, setActive] = useState(plan.active);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        hourly_price_minor: amount(hourly, plan.currency, "hourly_price_minor"),
        monthly_cap_minor: amount(cap, plan.currency, "monthly_cap_minor"),
        extra_ipv4_monthly_minor: amount(extraIpv4, plan.currency, "extra_ipv4_monthly_minor"),
        transfer_overage_minor_per_gib: amount(overage, plan.currency, "transfer_overage_minor_per_gib"),
        active,
      };
      if (body.monthly_cap_minor < body.hourly_price_minor)
        throw new LocalError("monthly_cap_minor", "The monthly cap cannot be lower than the hourly price.");
      return unwrap(await api.PATCH("/plans/{id}", { params: { path: { id: plan.id } }, body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["plans"] });
      dialog.current?.close();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  const error = save.error;
  const general = otherError(error, [
    "hourly_price_minor",
    "monthly_cap_minor",
    "extra_ipv4_monthly_minor",
    "transfer_overage_minor_per_gib",
    "active",
  ]);

  return (
    <dialog ref={dialog} className="biz-dialog" aria-labelledby="edit-plan-title" onClose={onClose}>
      <form onSubmit={submit} noValidate className="stack">
        <h2 id="edit-plan-title">Change {plan.name}</h2>
        <p className="hint">
          The size of a plan is fixed; to sell another size, create a new plan and retire this one. New prices
          apply from the next hour.
        </p>
        <Field label={`Price per hour (${plan.currency})`} error={errorFor(error, "hourly_price_minor")}>
          {(props) => (
            <input
              {...props}
              inputMode="decimal"
              value={hourly}
              onChange={(e) => setHourly(e.target.value)}
            />
          )}
        </Field>
        <Field label={`Monthly cap (${plan.currency})`} error={errorFor(error, "monthly_cap_minor")}>
          {(props) => (
            <input {...props} inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} />
          )}
        </Field>
        <Field
          label={`Extra IPv4 a month (${plan.currency})`}
          hint="Each address beyond the primary one, billed by the hour it is held."
          error={errorFor(error, "extra_ipv4_monthly_minor")}
        >
          {(props) => (
            <input
              {...props}
              inputMode="decimal"
              value={extraIpv4}
              onChange={(e) => setExtraIpv4(e.target.value)}
            />
          )}
        </Field>
        <Field
          label={`Transfer overage per GiB (${plan.currency})`}
          hint={`Each GiB a server sends beyond its ${plan.transfer_gib} GiB a month.`}
          error={errorFor(error, "transfer_overage_minor_per_gib")}
        >
          {(props) => (
            <input
              {...props}
              inputMode="decimal"
              value={overage}
              onChange={(e) => setOverage(e.target.value)}
            />
          )}
        </Field>
        <label className="check biz-inline-check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          <span>On sale: customers can choose it for new servers</span>
        </label>
        <ErrorMessage error={general} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

/* ------------------------------------------------------------------ reseller */

function ResellerPrices() {
  const prices = useQuery({
    queryKey: PRICES_KEY,
    queryFn: async () => unwrap(await api.GET("/prices")).items,
  });
  // The price list has no sizes; the plans list has them.
  const plans = useQuery({
    queryKey: ALL_PLANS_KEY,
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(await api.GET("/plans", { params: { query: { limit: 200, ...cursorParam(cursor) } } })),
      ),
  });

  return (
    <section>
      <h1>Plans and prices</h1>
      <p className="muted">
        You buy each plan at its wholesale price and sell it at your retail price. Where you set none, your
        customers pay the wholesale price.
      </p>
      {prices.isPending && <p className="loading">Loading prices…</p>}
      <ErrorMessage error={prices.error} />
      {prices.data && prices.data.length === 0 && (
        <div className="empty card">
          <h2>No plans on sale</h2>
          <p>
            The provider has no plans on sale yet. Once it adds some, set your retail prices for them here.
          </p>
        </div>
      )}
      {prices.data && prices.data.length > 0 && (
        <ul className="biz-prices">
          {prices.data.map((p) => (
            <PriceCard key={p.plan_id} price={p} plan={plans.data?.find((x) => x.id === p.plan_id)} />
          ))}
        </ul>
      )}
      <PartnerPricesSection />
    </section>
  );
}

function PriceCard({ price: p, plan }: { price: Price; plan: Plan | undefined }) {
  const queryClient = useQueryClient();
  const [hourly, setHourly] = useState(minorToInput(p.retail_hourly_minor, p.currency));
  const [cap, setCap] = useState(minorToInput(p.retail_monthly_cap_minor, p.currency));
  const [saved, setSaved] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: async (change: "set" | "remove") => {
      const body =
        change === "remove"
          ? { prices: [], remove: [p.plan_id] }
          : {
              prices: [
                {
                  plan_id: p.plan_id,
                  hourly_price_minor: amount(hourly, p.currency, "prices[0].hourly_price_minor"),
                  monthly_cap_minor: amount(cap, p.currency, "prices[0].monthly_cap_minor"),
                },
              ],
            };
      return { change, items: unwrap(await api.PUT("/prices", { body })).items };
    },
    onMutate: () => setSaved(null),
    onSuccess: ({ change, items }) => {
      queryClient.setQueryData(PRICES_KEY, items);
      if (change === "remove") {
        setHourly("");
        setCap("");
        setSaved("Back to the wholesale price.");
      } else setSaved("Saved.");
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate("set");
  }

  const error = save.error;
  const hourlyMinor = parseMinor(hourly, p.currency);
  const capMinor = parseMinor(cap, p.currency);
  const below =
    (hourlyMinor !== undefined && hourlyMinor < p.wholesale_hourly_minor) ||
    (capMinor !== undefined && capMinor < p.wholesale_monthly_cap_minor);
  const general = otherError(error, [
    "prices[0].hourly_price_minor",
    "prices[0].monthly_cap_minor",
    "prices[0].plan_id",
  ]);
  const titleId = `price-${p.plan_id}`;

  return (
    <li className="card">
      <form onSubmit={submit} noValidate className="stack" aria-labelledby={titleId}>
        <div>
          <h2 id={titleId}>{p.plan_name}</h2>
          {plan && (
            <span className="biz-sub">
              {plan.vcpus} vCPU{plan.vcpus === 1 ? "" : "s"}, {memory(plan.memory_mib)} memory,{" "}
              {plan.disk_gib} GiB disk{plan.transfer_gib ? `, ${plan.transfer_gib} GiB transfer` : ""}
            </span>
          )}
        </div>
        <dl className="biz-kv">
          <dt>Wholesale</dt>
          <dd>
            {money(p.wholesale_hourly_minor, p.currency)}/hour, at most{" "}
            {money(p.wholesale_monthly_cap_minor, p.currency)}
            /month
          </dd>
          <dt>Your customers pay now</dt>
          <dd>
            {p.retail_hourly_minor === null || p.retail_monthly_cap_minor === null ? (
              <span className="muted">the wholesale price (no retail price set)</span>
            ) : (
              `${money(p.retail_hourly_minor, p.currency)}/hour, at most ${money(p.retail_monthly_cap_minor, p.currency)}/month`
            )}
          </dd>
        </dl>
        <HourlyAndCapFields
          currency={p.currency}
          labels={{ hourly: "Retail per hour", cap: "Retail monthly cap" }}
          against={{ hourlyMinor: p.wholesale_hourly_minor, capMinor: p.wholesale_monthly_cap_minor }}
          hourly={hourly}
          cap={cap}
          onHourly={setHourly}
          onCap={setCap}
          error={error}
        />
        {below && <p className="biz-warn">Below the wholesale price: you would sell this plan at a loss.</p>}
        <ErrorMessage error={general} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending && save.variables === "set" ? "Saving…" : "Save price"}
          </button>
          {p.retail_hourly_minor !== null && (
            <button type="button" disabled={save.isPending} onClick={() => save.mutate("remove")}>
              Use wholesale price
            </button>
          )}
          <span role="status" className="biz-ok">
            {saved}
          </span>
        </div>
      </form>
    </li>
  );
}
