import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import type { ReceivedOffer } from "../../../api";
import { Badge } from "../../../components/Badge";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { Field } from "../../../components/Field";
import { LocalError, errorFor, otherError } from "../../../components/errors";
import { allPages, cursorParam } from "../../../components/paging";
import { disk, memory, money, perKwh, when } from "../../../format";
import { percentToBasisPoints } from "./markup";

export const OFFERS_KEY = ["federation", "offers"] as const;

function fetchOffers() {
  return allPages(async (cursor) =>
    unwrap(
      await api.GET("/federation/offers", { params: { query: { limit: 100, ...cursorParam(cursor) } } }),
    ),
  );
}

function describeMarkup(markup: ReceivedOffer["plans"][number]["markup"], currency: string): string {
  if (!markup) return "none";
  if (markup.kind === "percent") return `${(markup.basis_points / 100).toLocaleString()} %`;
  return `${money(markup.hourly_minor, markup.currency)} / h, ${money(markup.monthly_cap_minor, currency)} / month`;
}

/** What partners offer this installation: their sites and plans at wholesale, and our retail prices. */
export function OffersReceivedSection() {
  const offers = useQuery({ queryKey: OFFERS_KEY, queryFn: fetchOffers });
  return (
    <>
      <h2>Offers from partners</h2>
      {offers.isPending && <p className="loading">Loading offers…</p>}
      <ErrorMessage error={offers.error} />
      {offers.data && offers.data.length === 0 && (
        <div className="empty card">
          <p>
            No partner offers its sites to you yet. An active peer&apos;s offer appears here when it publishes
            one.
          </p>
        </div>
      )}
      {offers.data?.map((o) => (
        <OfferCard key={o.id} offer={o} />
      ))}
    </>
  );
}

function OfferCard({ offer }: { offer: ReceivedOffer }) {
  return (
    <article className="card" aria-label={`Offer from ${offer.peer.name}`}>
      <h3>
        {offer.peer.name}, version {offer.version}{" "}
        <Badge state={offer.on_sale ? "active" : "off"} label={offer.on_sale ? "on sale" : "not on sale"} />
      </h3>
      <p className="muted">
        Received by {offer.received_via} {when(offer.received_at)}; prices in {offer.currency}
        {offer.capacity ? `; at most ${offer.capacity.max_servers} servers` : ""}.
        {!offer.on_sale && ` The peering is ${offer.peer.state}: customers do not see these sites.`}
      </p>
      <ul>
        {offer.sites.map((s) => (
          <li key={s.id}>
            <strong>{s.name}</strong> ({s.jurisdiction || s.country_code}, {s.time_zone})
            {s.energy.price_now_per_mwh_minor !== null &&
              `: energy ${perKwh(s.energy.price_now_per_mwh_minor, s.energy.currency)}`}
            {s.energy.carbon_g_per_kwh_now !== null && `, ${s.energy.carbon_g_per_kwh_now} g CO₂/kWh`}
          </li>
        ))}
      </ul>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Size</th>
              <th scope="col" className="num">
                Wholesale
              </th>
              <th scope="col">Markup</th>
              <th scope="col" className="num">
                Your price
              </th>
            </tr>
          </thead>
          <tbody>
            {offer.plans.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>
                  {p.vcpus} vCPU, {memory(p.memory_mib)}, {disk(p.disk_gib)}
                </td>
                <td className="num">
                  {money(p.wholesale_hourly_minor, offer.currency)} / h
                  <div className="muted">cap {money(p.wholesale_monthly_cap_minor, offer.currency)}</div>
                </td>
                <td>{describeMarkup(p.markup, offer.currency)}</td>
                <td className="num">
                  {p.retail_hourly_minor !== null && p.retail_monthly_cap_minor !== null ? (
                    <>
                      {money(p.retail_hourly_minor, offer.currency)} / h
                      <div className="muted">cap {money(p.retail_monthly_cap_minor, offer.currency)}</div>
                    </>
                  ) : (
                    <span className="field-error">{p.problem ?? "not priced"}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MarkupForm offer={offer} />
    </article>
  );
}

/** A percentage markup on the whole offer (the CLI and API also take per-plan and fixed ones). */
function MarkupForm({ offer }: { offer: ReceivedOffer }) {
  const queryClient = useQueryClient();
  const [percent, setPercent] = useState("");
  const save = useMutation({
    mutationFn: async () => {
      const basisPoints = percentToBasisPoints(percent);
      if (basisPoints === undefined)
        throw new LocalError("basis_points", "A percentage such as 25 or 12.5 (two decimals at most).");
      return unwrap(
        await api.PUT("/federation/offers/{id}/markup", {
          params: { path: { id: offer.id } },
          body: { basis_points: basisPoints },
        }),
      );
    },
    onSuccess: async () => {
      setPercent("");
      await queryClient.invalidateQueries({ queryKey: OFFERS_KEY });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit} noValidate aria-label={`Markup on ${offer.peer.name}'s offer`}>
      <Field
        label="Markup on every plan, in percent"
        hint="Applies to servers created from now on; running ones keep the price they started with. A plan's own markup (CLI) wins."
        error={errorFor(save.error, "basis_points")}
      >
        {(c) => (
          <input {...c} inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} />
        )}
      </Field>
      <ErrorMessage error={otherError(save.error, ["basis_points"])} />
      <button type="submit" disabled={save.isPending || !percent.trim()}>
        Set the markup
      </button>
    </form>
  );
}
