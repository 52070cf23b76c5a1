import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import type { paths } from "@layerboom/client";
import { api, unwrap } from "../../../api";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { otherError } from "../../../components/errors";
import { minorToInput, money } from "../../../format";
import { HourlyAndCapFields, amount } from "./price-fields";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;
/** One plan of a partner's offer as a reseller prices it (docs/federation.md, "Resale of partner sites"). */
type PartnerPrice = Json<paths["/partner-prices"]["get"]["responses"][200]>["items"][number];

const PARTNER_PRICES_KEY = ["partner-prices"] as const;

/**
 * A reseller's prices on partners' plans, beside its prices on the provider's: the provider's
 * price is its cost; a plan it sets no price for is not sold to its customers.
 */
export function PartnerPricesSection() {
  const prices = useQuery({
    queryKey: PARTNER_PRICES_KEY,
    queryFn: async () => unwrap(await api.GET("/partner-prices")).items,
  });
  if (prices.data?.length === 0) return null;
  return (
    <section className="biz-partner-prices" aria-labelledby="partner-prices-title">
      <h2 id="partner-prices-title">Partner sites</h2>
      <p className="muted">
        Plans at partners’ sites that the provider resells. You pay the provider’s price; your customers see a
        plan only once you set your price for it.
      </p>
      {prices.isPending && <p className="loading">Loading partner plans…</p>}
      <ErrorMessage error={prices.error} />
      {prices.data && (
        <ul className="biz-prices">
          {prices.data.map((p) => (
            <PartnerPriceCard key={`${p.offer_id}/${p.plan_id}`} price={p} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PartnerPriceCard({ price: p }: { price: PartnerPrice }) {
  const queryClient = useQueryClient();
  const [hourly, setHourly] = useState(minorToInput(p.retail_hourly_minor, p.currency));
  const [cap, setCap] = useState(minorToInput(p.retail_monthly_cap_minor, p.currency));
  const [saved, setSaved] = useState<string | null>(null);
  const ref = { offer_id: p.offer_id, plan_id: p.plan_id };

  const save = useMutation({
    mutationFn: async (change: "set" | "remove") => {
      const body =
        change === "remove"
          ? { prices: [], remove: [ref] }
          : {
              prices: [
                {
                  ...ref,
                  hourly_price_minor: amount(hourly, p.currency, "prices[0].hourly_price_minor"),
                  monthly_cap_minor: amount(cap, p.currency, "prices[0].monthly_cap_minor"),
                },
              ],
            };
      return { change, items: unwrap(await api.PUT("/partner-prices", { body })).items };
    },
    onMutate: () => setSaved(null),
    onSuccess: ({ change, items }) => {
      queryClient.setQueryData(PARTNER_PRICES_KEY, items);
      if (change === "remove") {
        setHourly("");
        setCap("");
        setSaved("Removed: no longer sold to your customers.");
      } else setSaved("Saved.");
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate("set");
  }

  const error = save.error;
  const general = otherError(error, ["prices[0].hourly_price_minor", "prices[0].monthly_cap_minor"]);
  const titleId = `partner-price-${p.offer_id}-${p.plan_id}`;
  const sold = p.retail_hourly_minor !== null && p.retail_monthly_cap_minor !== null;

  return (
    <li className="card">
      <form onSubmit={submit} noValidate className="stack" aria-labelledby={titleId}>
        <div>
          <h3 id={titleId}>{p.plan_name}</h3>
          <span className="biz-sub">operated by partner {p.operated_by}</span>
        </div>
        <dl className="biz-kv">
          <dt>Your cost</dt>
          <dd>
            {p.cost_hourly_minor === null || p.cost_monthly_cap_minor === null ? (
              <span className="muted">not priced by the provider</span>
            ) : (
              `${money(p.cost_hourly_minor, p.currency)}/hour, at most ${money(p.cost_monthly_cap_minor, p.currency)}/month`
            )}
          </dd>
          <dt>Your customers pay now</dt>
          <dd>
            {sold ? (
              `${money(p.retail_hourly_minor ?? 0, p.currency)}/hour, at most ${money(p.retail_monthly_cap_minor ?? 0, p.currency)}/month`
            ) : (
              <span className="muted">not sold</span>
            )}
          </dd>
        </dl>
        <HourlyAndCapFields
          currency={p.currency}
          labels={{ hourly: "Your price per hour", cap: "Your monthly cap" }}
          against={{ hourlyMinor: p.cost_hourly_minor, capMinor: p.cost_monthly_cap_minor }}
          hourly={hourly}
          cap={cap}
          onHourly={setHourly}
          onCap={setCap}
          error={error}
        />
        <ErrorMessage error={general} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending && save.variables === "set" ? "Saving…" : "Save price"}
          </button>
          {sold && (
            <button type="button" disabled={save.isPending} onClick={() => save.mutate("remove")}>
              Remove
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
