import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../api";
import type { Plan } from "../../api";
import { Field } from "../../components/Field";
import "./business/business.css";
import { day, money, parseMinor } from "../../format";
import { errorFor, LocalError, otherError } from "../../components/errors";
import { Badge } from "../../components/Badge";
import { allPages } from "../../components/paging";
import { ErrorMessage } from "../../components/ErrorMessage";
import { cursorParam } from "../../components/paging";
import type { Code, NewCode } from "./business/types";

const CODES_KEY = ["codes"] as const;
const FIELDS = [
  "code",
  "kind",
  "value",
  "scope",
  "plan_ids",
  "duration_months",
  "expires_at",
  "max_redemptions",
] as const;

const SCOPES: Record<NewCode["scope"], string> = {
  "first-server": "The customer's first server",
  "all-servers": "All the customer's servers",
  plans: "Servers of chosen plans",
};

function useActivePlans() {
  return useQuery({
    queryKey: ["plans", "on-sale"],
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(
          await api.GET("/plans", {
            params: { query: { active: true, limit: 200, ...cursorParam(cursor) } },
          }),
        ),
      ),
  });
}

/** Amount codes carry no currency: they take the one the plans are priced in. */
function currencyOf(plans: Plan[] | undefined): string {
  return plans?.[0]?.currency ?? "CAD";
}

function describeValue(c: Pick<Code, "kind" | "value">, currency: string): string {
  if (c.kind === "percent")
    return `${(c.value / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}% off`;
  return `${money(c.value, currency)} off a month`;
}

function isExpired(c: Code): boolean {
  return c.expires_at !== null && new Date(c.expires_at).getTime() <= Date.now();
}

function isUsedUp(c: Code): boolean {
  return c.max_redemptions !== null && c.redemptions >= c.max_redemptions;
}

export function CodesPage() {
  const [creating, setCreating] = useState(false);
  const codes = useQuery({
    queryKey: CODES_KEY,
    queryFn: async () => unwrap(await api.GET("/codes")).items,
  });
  const plans = useActivePlans();
  const currency = currencyOf(plans.data);
  const planName = (id: string) => plans.data?.find((p) => p.id === id)?.name ?? id;
  // Newest first: the API lists them oldest first.
  const rows = codes.data ? [...codes.data].reverse() : undefined;

  return (
    <section>
      <div className="page-head">
        <h1>Discount codes</h1>
        {!creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New code
          </button>
        )}
      </div>
      <p className="muted">
        Your customers redeem a code from their account page; it takes a percentage or an amount off their
        invoices for the months you choose.
      </p>
      {creating && (
        <CreateCodeForm plans={plans.data ?? []} currency={currency} onDone={() => setCreating(false)} />
      )}
      {codes.isPending && <p className="loading">Loading codes…</p>}
      <ErrorMessage error={codes.error} />
      {rows && rows.length === 0 && !creating && (
        <div className="empty card">
          <h2>No discount codes yet</h2>
          <p>Create a code, for example 50% off a new customer&rsquo;s first server for six months.</p>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create a code
          </button>
        </div>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="biz-table cards">
            <caption className="sr-only">Discount codes</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Discount</th>
                <th scope="col">Applies to</th>
                <th scope="col">For</th>
                <th scope="col">Expires</th>
                <th scope="col" className="biz-num">
                  Redemptions
                </th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td className="biz-first mono">{c.code}</td>
                  <td data-label="Discount">{describeValue(c, currency)}</td>
                  <td data-label="Applies to" className="biz-wrap">
                    {c.scope === "plans"
                      ? `Plans: ${c.plan_ids.map(planName).join(", ")}`
                      : (SCOPES[c.scope as NewCode["scope"]] ?? c.scope)}
                  </td>
                  <td data-label="For">
                    {c.duration_months} month{c.duration_months === 1 ? "" : "s"}
                  </td>
                  <td data-label="Expires">
                    {c.expires_at ? <time dateTime={c.expires_at}>{day(c.expires_at)}</time> : "Never"}
                  </td>
                  <td data-label="Redemptions" className="biz-num">
                    {c.redemptions}
                    {c.max_redemptions !== null && ` of ${c.max_redemptions}`}
                  </td>
                  <td data-label="Status">
                    {isExpired(c) ? (
                      <Badge state="expired" />
                    ) : isUsedUp(c) ? (
                      <Badge state="off" label="used up" />
                    ) : (
                      <Badge state="active" />
                    )}
                  </td>
                  <td data-label="Created">
                    <time dateTime={c.created_at}>{day(c.created_at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows && rows.length > 0 && (
        <p className="hint biz-after-table">
          A code cannot be deleted or switched off once created; give it an expiry date or a redemption limit.
        </p>
      )}
    </section>
  );
}

function CreateCodeForm({
  plans,
  currency,
  onDone,
}: {
  plans: Plan[];
  currency: string;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const [kind, setKind] = useState<NewCode["kind"]>("percent");
  const [value, setValue] = useState("");
  const [scope, setScope] = useState<NewCode["scope"]>("first-server");
  const [planIds, setPlanIds] = useState<string[]>([]);
  const [months, setMonths] = useState("6");
  const [expires, setExpires] = useState("");
  const [maxRedemptions, setMaxRedemptions] = useState("");

  const create = useMutation({
    mutationFn: async () => {
      let amount: number | undefined;
      if (kind === "percent") {
        const pct = Number(value.trim().replace(",", ".").replace("%", ""));
        if (value.trim() === "" || !Number.isFinite(pct))
          throw new LocalError("value", "Enter a percentage such as 50.");
        if (pct <= 0 || pct > 100)
          throw new LocalError("value", "A percentage is more than 0 and at most 100.");
        amount = Math.round(pct * 100);
      } else {
        amount = parseMinor(value, currency);
        if (amount === undefined) throw new LocalError("value", "Enter an amount such as 5.00.");
      }
      const duration = Number(months);
      if (months.trim() === "" || !Number.isInteger(duration))
        throw new LocalError("duration_months", "Enter a whole number of months.");
      const max = maxRedemptions.trim() === "" ? undefined : Number(maxRedemptions);
      if (max !== undefined && !Number.isInteger(max))
        throw new LocalError("max_redemptions", "Enter a whole number, or leave it empty for no limit.");
      const body: NewCode = {
        code: code.trim(),
        kind,
        value: amount,
        scope,
        duration_months: duration,
        ...(scope === "plans" ? { plan_ids: planIds } : {}),
        // The end of the chosen day, in the admin's own time zone.
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
        ...(max !== undefined ? { max_redemptions: max } : {}),
      };
      return unwrap(await api.POST("/codes", { body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: CODES_KEY });
      onDone();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  const general = otherError(error, FIELDS);
  const planError = errorFor(error, "plan_ids");

  return (
    <form onSubmit={submit} noValidate className="card stack biz-create" aria-labelledby="new-code-title">
      <h2 id="new-code-title">New discount code</h2>
      <div className="biz-form-grid">
        <Field
          label="Code"
          hint="2 to 32 letters, digits, - or _; what customers type."
          error={errorFor(error, "code")}
        >
          {(props) => (
            <input
              {...props}
              value={code}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
              autoComplete="off"
              spellCheck={false}
              maxLength={32}
              className="mono"
              autoFocus
            />
          )}
        </Field>
        <fieldset className="field">
          <legend>Discount</legend>
          <div className="biz-radios">
            <label className="check biz-inline-check">
              <input
                type="radio"
                name="kind"
                value="percent"
                checked={kind === "percent"}
                onChange={() => setKind("percent")}
              />
              Percentage
            </label>
            <label className="check biz-inline-check">
              <input
                type="radio"
                name="kind"
                value="amount"
                checked={kind === "amount"}
                onChange={() => setKind("amount")}
              />
              Amount a month
            </label>
          </div>
          {errorFor(error, "kind") && (
            <p className="field-error" role="alert">
              {errorFor(error, "kind")}
            </p>
          )}
        </fieldset>
        <Field
          label={kind === "percent" ? "Percentage off" : `Amount off a month (${currency})`}
          hint={kind === "percent" ? "50 is half price; 100 is free." : undefined}
          error={errorFor(error, "value")}
        >
          {(props) => (
            <input
              {...props}
              inputMode="decimal"
              placeholder={kind === "percent" ? "50" : "5.00"}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
        <Field label="Applies to" error={errorFor(error, "scope")}>
          {(props) => (
            <select {...props} value={scope} onChange={(e) => setScope(e.target.value as NewCode["scope"])}>
              {Object.entries(SCOPES).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {scope === "plans" && (
          <fieldset className="field wide" aria-describedby={planError ? "code-plans-error" : undefined}>
            <legend>Plans</legend>
            {plans.length === 0 && <p className="hint">There are no plans on sale.</p>}
            <div className="biz-checks">
              {plans.map((p) => (
                <label key={p.id} className="check biz-inline-check">
                  <input
                    type="checkbox"
                    checked={planIds.includes(p.id)}
                    onChange={(e) =>
                      setPlanIds((ids) => (e.target.checked ? [...ids, p.id] : ids.filter((x) => x !== p.id)))
                    }
                  />
                  {p.name}
                </label>
              ))}
            </div>
            {planError && (
              <p id="code-plans-error" className="field-error" role="alert">
                {planError}
              </p>
            )}
          </fieldset>
        )}
        <Field
          label="For how many months"
          hint="From the redemption, 1 to 120."
          error={errorFor(error, "duration_months")}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              max={120}
              inputMode="numeric"
              value={months}
              onChange={(e) => setMonths(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Redeemable until"
          hint="Optional; the end of that day."
          error={errorFor(error, "expires_at")}
        >
          {(props) => (
            <input {...props} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
          )}
        </Field>
        <Field
          label="Most redemptions"
          hint="Optional; empty for no limit."
          error={errorFor(error, "max_redemptions")}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              inputMode="numeric"
              value={maxRedemptions}
              onChange={(e) => setMaxRedemptions(e.target.value)}
            />
          )}
        </Field>
      </div>
      <ErrorMessage error={general} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create code"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
