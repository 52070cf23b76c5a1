import { formatMoney } from "../money.js";
import type { Money } from "../money.js";
import { backupsMonthCharges } from "./addons.js";
import type { AddonMonthCharge, AddonPlanRate } from "./addons.js";
import { discountLines } from "./discounts.js";
import type { DiscountLine, DiscountRedemption } from "./discounts.js";
import { MissingCurrencyError, MixedCurrenciesError } from "./errors.js";
import { imageStorageMonthCharge } from "./image-storage.js";
import type { ImageStorageInterval, ImageStorageMonthCharge, ImageStoragePrice } from "./image-storage.js";
import { customerLines, isOver, planOf, wholesaleLines } from "./invoice-lines.js";
import { ipv4MonthCharges, transferMonthCharges } from "./network-addons.js";
import type {
  AddressInterval,
  Ipv4MonthCharge,
  Ipv4PlanRate,
  ServerTransferTotal,
  TransferMonthCharge,
  TransferPlanRate,
} from "./network-addons.js";
import { remoteServerCharge, remoteServerWholesaleCharge } from "./remote-servers.js";
import type { RemoteServerCharge, RemoteServerMonth } from "./remote-servers.js";
import { taxLines } from "./taxes.js";
import type { TaxRate } from "./taxes.js";
import { billingMonth, monthCharges } from "./usage.js";
import type { BillingMonth, ServerMonthCharge, UsageInterval } from "./usage.js";

/**
 * A plan as an invoice prices and names it: its rates (a reseller's retail price for time where
 * it set one), its name and its currency. Every price of a plan is in the plan's currency.
 */
export interface InvoicePlan extends AddonPlanRate, Ipv4PlanRate, TransferPlanRate {
  name: string;
  /** ISO 4217. */
  currency: string;
}

/** What an invoice line is for; the same vocabulary as `invoice_lines.kind`. */
export type InvoiceLineKind =
  | "usage"
  | "backups"
  | "ipv4"
  | "transfer"
  | "image-storage"
  | "remote-server"
  | "discount"
  | "energy"
  | "tax"
  | "credit";

/** One line of an invoice before it is numbered. */
export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: string;
  amountMinor: number;
  serverId: string | null;
  planId: string | null;
  /** Where the amount comes from (seconds used, bytes over, the rate...), kept with the line. */
  details: Record<string, unknown>;
}

/** The energy of some servers at one site over a month, priced at that site's tariff. */
export interface SiteEnergy {
  siteId: string;
  energyUj: bigint;
  /** In the tariff's currency; null when the site has no tariff (or a price is missing for an hour). */
  cost: Money | null;
  /** Null when the site has no carbon intensity. */
  carbonMg: bigint | null;
}

/** The energy line's figures: always shown, charged only when the issuer bills energy. */
export interface InvoiceEnergy {
  kwh: number;
  /** What it cost at the sites' tariffs; null when some site has no tariff or they price in several currencies. */
  costMinor: number | null;
  /** The currency of `costMinor`; null when nothing was priced. */
  currency: string | null;
  carbonKg: number | null;
  /** Set when the sites price in several currencies, which do not add up to one cost. */
  costCurrencies?: string[];
  /** Of `kwh`, what partners reported for remote servers (in their price, not in `costMinor`). */
  remoteKwh?: number;
}

/** One customer's month as read from the database, before any arithmetic. */
export interface CustomerMonth {
  accountId: string;
  /** The customer's billing time zone: its month runs from local midnight of the 1st. */
  zone: string;
  intervals: readonly UsageInterval[];
  /** When the backups add-on was on, per server and plan. */
  backupIntervals: readonly UsageInterval[];
  /** When each extra address was held. */
  ipv4Intervals: readonly AddressInterval[];
  /** Bytes per server in the customer's month. */
  transfer: readonly ServerTransferTotal[];
  /** Codes it redeemed; only its own invoice applies them (a reseller's discounts are its own cost). */
  redemptions: readonly DiscountRedemption[];
  /** Per site its servers ran at, in the customer's month. */
  energy: readonly SiteEnergy[];
  /** When each of its own images was stored, and its bytes (docs/billing.md, "Image storage"). */
  imageStorage?: readonly ImageStorageInterval[];
  /** Its servers at partners' sites, from the partners' usage records of the month (docs/federation.md). */
  remoteServers?: readonly RemoteServerMonth[];
}

/** One customer's charges for a month, per server, as core's billing functions compute them. */
export interface CustomerCharges {
  accountId: string;
  month: BillingMonth;
  charges: ServerMonthCharge[];
  /** The backups add-on per server and plan (docs/backups.md). */
  addons: AddonMonthCharge[];
  /** Extra IPv4 addresses per server, address and plan (docs/networking.md). */
  ipv4: Ipv4MonthCharge[];
  /** Every server's transfer of the month; those over their allowance are invoiced. */
  transfer: TransferMonthCharge[];
  /** The account's stored images; null when nothing is charged for them. */
  imageStorage: ImageStorageMonthCharge | null;
  /** Empty on a wholesale invoice. */
  discounts: DiscountLine[];
  /** Servers at partners' sites, at this issuer's retail price. */
  remoteServers: RemoteServerCharge[];
}

/** Where a server runs, for the wholesale invoice's usage lines (one per site and plan). */
export interface ServerSite {
  siteId: string;
  siteName: string;
}

/** What both kinds of invoice take from their issuer and recipient. */
interface InvoiceTerms {
  /** `YYYY-MM`. */
  period: string;
  /** Every plan by id, at the prices this issuer charges this recipient. */
  plans: ReadonlyMap<string, InvoicePlan>;
  /** The issuer's `energy_mode` is `billed`. */
  billsEnergy: boolean;
  /** The recipient's tax region's rates, in the order the lines show them. */
  taxRates: readonly TaxRate[];
  /** What this issuer charges this recipient per GiB-month of stored images; absent or null: free. */
  imageStoragePrice?: ImageStoragePrice | null;
}

/** A customer's invoice: one line per server and plan, its codes, its energy and its taxes. */
export interface CustomerInvoiceInput extends InvoiceTerms {
  kind: "customer";
  customer: CustomerMonth;
  /** Ends what still runs: omitted for a closed month (its end), now for the month in progress. */
  nowMs?: number;
}

/**
 * The provider's invoice to a reseller: each customer's month cut in that customer's zone at the
 * provider's prices, summed by site and plan, without the reseller's discounts.
 */
export interface WholesaleInvoiceInput extends InvoiceTerms {
  kind: "wholesale";
  resellerId: string;
  customers: readonly CustomerMonth[];
  /** The site of every server in the customers' usage intervals. */
  serverSites: ReadonlyMap<string, ServerSite>;
}

export type InvoiceInput = CustomerInvoiceInput | WholesaleInvoiceInput;

/** An invoice's lines and totals, and the charges they come from. */
export interface ComposedInvoice {
  /** Null only on an empty invoice whose plans are in several currencies (nothing to price). */
  currency: string | null;
  /** Per customer: one for a customer invoice, each of the reseller's for a wholesale one. */
  customers: CustomerCharges[];
  energy: InvoiceEnergy;
  energyBilled: boolean;
  taxes: { name: string; rateMicros: number; amountMinor: number }[];
  /** In order: time, backups, ipv4, transfer, image storage, discounts, energy, taxes. */
  lines: InvoiceLine[];
  /** The lines before tax. */
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** No server time, add-on, transfer beyond the allowance nor energy: nothing to issue. */
  empty: boolean;
}

/**
 * Composes an invoice from what was read: pure arithmetic, no I/O. Both kinds share the rules:
 * the currency is the one every charged plan (and billed energy) names, two are refused; the
 * subtotal is the sum of the lines before tax; each tax rate applies to the subtotal, rounded
 * half up; the energy line is always shown and charged only when the issuer bills energy.
 */
export function composeInvoice(input: InvoiceInput): ComposedInvoice {
  const wholesale = input.kind === "wholesale";
  const recipient = wholesale ? input.resellerId : input.customer.accountId;
  const customers = wholesale
    ? input.customers.map((c) => customerCharges(c, input, undefined, false))
    : [customerCharges(input.customer, input, input.nowMs, true)];
  const energyParts = wholesale ? input.customers.flatMap((c) => c.energy) : input.customer.energy;
  const energy = withRemoteEnergy(
    sumEnergy(energyParts),
    customers.flatMap((c) => c.remoteServers),
  );
  const energyBilled = input.billsEnergy && energy.costMinor !== null;

  const charged = new Map<string, Set<string>>();
  const chargedIn = (currency: string, what: string) =>
    charged.set(currency, (charged.get(currency) ?? new Set()).add(what));
  for (const c of customers)
    for (const x of [...c.charges, ...c.addons, ...c.ipv4, ...c.transfer.filter(isOver)]) {
      const plan = planOf(input.plans, x.planId);
      chargedIn(plan.currency, `plan ${plan.name}`);
    }
  for (const c of customers) if (c.imageStorage) chargedIn(c.imageStorage.price.currency, "image storage");
  for (const c of customers)
    for (const r of c.remoteServers) chargedIn(r.currency, `remote server ${r.name}`);
  // Energy is charged only when every site priced it: only then do its currencies count.
  if (input.billsEnergy && (energy.costMinor !== null || energy.costCurrencies))
    for (const part of energyParts) if (part.cost) chargedIn(part.cost.currency, `energy at ${part.siteId}`);
  if (charged.size > 1)
    throw new MixedCurrenciesError(
      recipient,
      input.period,
      Object.fromEntries([...charged].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v]])),
    );

  const serverLines = wholesale
    ? wholesaleLines(customers, input)
    : customerLines(customers[0]!, input.plans);
  const empty = serverLines.length === 0 && energy.kwh === 0;
  const planCurrencies = [...new Set([...input.plans.values()].map((p) => p.currency))].sort();
  // Nothing charged: the plans' one currency (a customer can only ever be billed in it), else
  // the priced energy's; an invoice with something on it and still no currency is refused.
  const currency =
    [...charged.keys()][0] ??
    (planCurrencies.length === 1 ? planCurrencies[0]! : null) ??
    (energy.currency && !energy.costCurrencies ? energy.currency : null);
  if (currency === null && !empty) throw new MissingCurrencyError(recipient, input.period, planCurrencies);

  const priced = [
    ...serverLines,
    energyLine(energy, energyBilled, currency, wholesale ? "Energy of your customers' servers" : "Energy"),
  ];
  const subtotalMinor = priced.reduce((a, l) => a + l.amountMinor, 0);
  const taxes = taxLines(subtotalMinor, input.taxRates);
  const taxMinor = taxes.reduce((a, t) => a + t.amountMinor, 0);
  return {
    currency,
    customers,
    energy,
    energyBilled,
    taxes,
    lines: [...priced, ...taxes.map(taxLine)],
    subtotalMinor,
    taxMinor,
    totalMinor: subtotalMinor + taxMinor,
    empty,
  };
}

/** A customer's month charged per server: time, backups, addresses and transfer, and its codes. */
function customerCharges(
  customer: CustomerMonth,
  terms: InvoiceTerms,
  nowMs: number | undefined,
  withDiscounts: boolean,
): CustomerCharges {
  const month = billingMonth(terms.period, customer.zone);
  const charges = monthCharges(customer.intervals, terms.plans, month, nowMs);
  return {
    accountId: customer.accountId,
    month,
    charges,
    addons: backupsMonthCharges(customer.backupIntervals, terms.plans, month, nowMs),
    ipv4: ipv4MonthCharges(customer.ipv4Intervals, terms.plans, month, nowMs),
    transfer: transferMonthCharges(customer.transfer, customer.intervals, terms.plans, month, nowMs),
    imageStorage: imageStorageMonthCharge(
      customer.imageStorage ?? [],
      terms.imageStoragePrice ?? null,
      month,
      nowMs,
    ),
    // Codes take a share of server time only (usage charges), as for backups; add-ons pay in full.
    discounts: withDiscounts
      ? customer.redemptions.flatMap((r) => discountLines(r, charges, terms.period, customer.zone))
      : [],
    // Only a wholesale invoice goes without codes: there a resold remote server is at the
    // provider's retail price (the reseller's cost), on the customer's own at the reseller's.
    remoteServers: (customer.remoteServers ?? []).map(
      withDiscounts ? remoteServerCharge : remoteServerWholesaleCharge,
    ),
  };
}

/**
 * Adds up energy priced per site. Each site's cost was rounded once at that site; a site
 * without a tariff leaves the whole cost unknown, and costs in several currencies do not add up.
 */
export function sumEnergy(parts: readonly SiteEnergy[]): InvoiceEnergy {
  let uj = 0n;
  let carbonMg: bigint | null = 0n;
  let unpriced = false;
  const costs = new Map<string, number>();
  for (const p of parts) {
    uj += p.energyUj;
    carbonMg = carbonMg === null || p.carbonMg === null ? null : carbonMg + p.carbonMg;
    if (p.cost === null) unpriced = true;
    else costs.set(p.cost.currency, (costs.get(p.cost.currency) ?? 0) + p.cost.amountMinor);
  }
  const energy = {
    kwh: Number(uj) / 3.6e12,
    carbonKg: carbonMg === null ? null : Number(carbonMg) / 1e6,
  };
  if (unpriced) return { ...energy, costMinor: null, currency: null };
  if (costs.size > 1)
    return { ...energy, costMinor: null, currency: null, costCurrencies: [...costs.keys()].sort() };
  const [only] = [...costs];
  return { ...energy, costMinor: only?.[1] ?? 0, currency: only?.[0] ?? null };
}

/**
 * The partners' energy and carbon for remote servers join the energy line's kWh and carbon; their
 * cost is in the partner's price, so it adds nothing to the energy's cost.
 */
function withRemoteEnergy(energy: InvoiceEnergy, remote: readonly RemoteServerCharge[]): InvoiceEnergy {
  if (remote.length === 0) return energy;
  const wh = remote.reduce((a, r) => a + r.energyWh, 0);
  const carbonG = remote.some((r) => r.carbonG === null)
    ? null
    : remote.reduce((a, r) => a + (r.carbonG ?? 0), 0);
  return {
    ...energy,
    kwh: energy.kwh + wh / 1000,
    carbonKg: energy.carbonKg === null || carbonG === null ? null : energy.carbonKg + carbonG / 1000,
    remoteKwh: wh / 1000,
  };
}

/** The energy line: kWh, carbon and cost, always shown; charged only when the issuer bills energy. */
function energyLine(
  energy: InvoiceEnergy,
  billed: boolean,
  invoiceCurrency: string | null,
  label: string,
): InvoiceLine {
  // No energy costs nothing in any currency: show that nothing in the invoice's.
  const currency = energy.currency ?? invoiceCurrency;
  const cost =
    energy.costCurrencies !== undefined
      ? ` (priced in ${energy.costCurrencies.join(" and ")})`
      : energy.costMinor === null
        ? " (no tariff)"
        : `, costs ${currency === null ? (energy.costMinor / 100).toFixed(2) : formatMoney({ amountMinor: energy.costMinor, currency })}`;
  return {
    kind: "energy",
    description: `${label}: ${energy.kwh.toFixed(3)} kWh${energy.remoteKwh === undefined ? "" : ` (${energy.remoteKwh.toFixed(3)} kWh at partners' sites)`}${energy.carbonKg === null ? "" : `, ${energy.carbonKg.toFixed(3)} kg CO2e`}${cost}${billed ? "" : " (for information, not charged)"}`,
    quantity: `${energy.kwh.toFixed(3)} kWh`,
    amountMinor: billed ? (energy.costMinor ?? 0) : 0,
    serverId: null,
    planId: null,
    details: {
      kwh: energy.kwh,
      cost_minor: energy.costMinor,
      currency: energy.currency,
      carbon_kg: energy.carbonKg,
      billed,
      ...(energy.remoteKwh === undefined ? {} : { remote_kwh: energy.remoteKwh }),
    },
  };
}

/** One line per tax rate: "QST 9.975%". */
function taxLine(t: { name: string; rateMicros: number; amountMinor: number }): InvoiceLine {
  return {
    kind: "tax",
    description: `${t.name} ${(t.rateMicros / 10_000).toFixed(3).replace(/\.?0+$/, "")}%`,
    quantity: "",
    amountMinor: t.amountMinor,
    serverId: null,
    planId: null,
    details: { rate_micros: t.rateMicros },
  };
}
