import { formatMoney } from "../money.js";
import { gibMonthsText, imageStorageDetails, imageStoragePriceText } from "./image-storage.js";
import type { ImageStorageMonthCharge } from "./image-storage.js";
import type { CustomerCharges, InvoiceLine, InvoicePlan, WholesaleInvoiceInput } from "./invoice-composer.js";
import type { TransferMonthCharge } from "./network-addons.js";

/**
 * The lines of an invoice, as `composeInvoice` lays them out: a customer's per server (time,
 * backups, addresses, transfer), its stored images and its codes; a reseller's summed by site and
 * plan. Pure text and sums over charges already computed.
 */

export function planOf(plans: ReadonlyMap<string, InvoicePlan>, planId: string): InvoicePlan {
  const plan = plans.get(planId);
  if (!plan) throw new RangeError(`no plan ${planId} among the invoice's plans`);
  return plan;
}

/**
 * A server's transfer gets a line when it sent more than its allowance, even at a price of 0
 * (as backups at 0 % keep their line): what is within the allowance is not a charge.
 */
export function isOver(t: TransferMonthCharge): boolean {
  return t.overageBytes > 0;
}

/** A customer's lines: one per server and plan for time, backups, each address and transfer, then its codes. */
export function customerLines(c: CustomerCharges, plans: ReadonlyMap<string, InvoicePlan>): InvoiceLine[] {
  const name = (planId: string) => planOf(plans, planId).name;
  return [
    ...c.charges.map((x): InvoiceLine => ({
      kind: "usage",
      description: `Server ${x.serverId} on plan ${name(x.planId)}${x.capped ? " (monthly cap)" : ""}`,
      quantity: hoursText(x.billedHours),
      amountMinor: x.amountMinor,
      serverId: x.serverId,
      planId: x.planId,
      details: { used_seconds: Math.round(x.usedMs / 1000), uncapped_minor: x.uncappedMinor },
    })),
    ...c.remoteServers.map((r): InvoiceLine => ({
      kind: "remote-server",
      description: `Server ${r.name} at ${r.peerName}${r.capped ? " (monthly cap)" : ""}`,
      quantity: hoursText(r.billedMs / 3_600_000),
      amountMinor: r.amountMinor,
      serverId: r.remoteServerId,
      planId: null,
      details: {
        operated_by: r.peerName,
        records: r.records,
        billed_ms: r.billedMs,
        retail_hourly_minor: r.retail.hourlyMinor,
        retail_monthly_cap_minor: r.retail.monthlyCapMinor,
        energy_wh: r.energyWh,
        carbon_g: r.carbonG,
      },
    })),
    ...c.addons.map((a): InvoiceLine => ({
      kind: "backups",
      description: `Backups of server ${a.serverId} (${a.percent}% of plan ${name(a.planId)})${a.capped ? " (monthly cap)" : ""}`,
      quantity: hoursText(a.billedHours),
      amountMinor: a.amountMinor,
      serverId: a.serverId,
      planId: a.planId,
      details: {
        used_seconds: Math.round(a.usedMs / 1000),
        percent: a.percent,
        uncapped_minor: a.uncappedMinor,
      },
    })),
    ...c.ipv4.map((a): InvoiceLine => ({
      kind: "ipv4",
      description: `Extra IPv4 ${a.address} on server ${a.serverId}: ${hoursText(a.billedHours)}${a.capped ? " (monthly cap)" : ""}`,
      quantity: hoursText(a.billedHours),
      amountMinor: a.amountMinor,
      serverId: a.serverId,
      planId: a.planId,
      details: {
        address: a.address,
        used_seconds: Math.round(a.usedMs / 1000),
        hours_in_month: a.hoursInMonth,
        monthly_minor: a.monthlyMinor,
        uncapped_minor: a.uncappedMinor,
      },
    })),
    ...c.transfer.filter(isOver).map((t): InvoiceLine => ({
      kind: "transfer",
      description: `Transfer of server ${t.serverId}: ${gibText(t.outBytes)} sent, ${gibText(t.allowanceBytes)} included, ${gibText(t.overageBytes)} over at ${perGib(t, plans)}`,
      quantity: gibText(t.overageBytes),
      amountMinor: t.amountMinor,
      serverId: t.serverId,
      planId: t.planId,
      details: {
        used_seconds: Math.round(t.usedMs / 1000),
        out_bytes: t.outBytes,
        in_bytes: t.inBytes,
        allowance_bytes: t.allowanceBytes,
        overage_bytes: t.overageBytes,
        price_minor_per_gib: t.priceMinorPerGib,
      },
    })),
    ...imageStorageLines(c.imageStorage ? [c.imageStorage] : [], "Stored images"),
    ...c.discounts.map((d): InvoiceLine => ({
      kind: "discount",
      description: d.description,
      quantity: "",
      amountMinor: d.amountMinor,
      serverId: d.serverId,
      planId: null,
      details: { code: d.code },
    })),
  ];
}

/** A group of a wholesale line: distinct servers (or addresses), hours or bytes, amount. */
interface Group {
  siteId: string;
  planId: string;
  members: Set<string>;
  count: number;
  quantity: number;
  amountMinor: number;
  priceMinorPerGib: number;
}

function addTo(
  groups: Map<string, Group>,
  key: { siteId?: string; planId: string },
  member: string,
  quantity: number,
  amountMinor: number,
  priceMinorPerGib = 0,
): void {
  const id = `${key.siteId ?? ""}\u0000${key.planId}`;
  const g = groups.get(id) ?? {
    siteId: key.siteId ?? "",
    planId: key.planId,
    members: new Set<string>(),
    count: 0,
    quantity: 0,
    amountMinor: 0,
    priceMinorPerGib,
  };
  g.members.add(member);
  g.count += 1;
  g.quantity += quantity;
  g.amountMinor += amountMinor;
  groups.set(id, g);
}

const sortedGroups = (groups: Map<string, Group>) =>
  [...groups.values()].sort((a, b) => a.siteId.localeCompare(b.siteId) || a.planId.localeCompare(b.planId));

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * A reseller's lines: usage by site and plan, backups, addresses and transfer by plan, each the
 * sum of the customers' per-server amounts (each rounded as on the customer's invoice), so they
 * equal what the customers' lines come to at the provider's prices.
 */
export function wholesaleLines(
  customers: readonly CustomerCharges[],
  input: WholesaleInvoiceInput,
): InvoiceLine[] {
  const usage = new Map<string, Group>();
  const backups = new Map<string, Group>();
  const ipv4 = new Map<string, Group>();
  const transfer = new Map<string, Group>();
  for (const c of customers) {
    for (const x of c.charges) {
      const siteId = input.serverSites.get(x.serverId)?.siteId ?? "";
      addTo(usage, { siteId, planId: x.planId }, x.serverId, x.billedHours, x.amountMinor);
    }
    for (const b of c.addons) addTo(backups, b, b.serverId, b.billedHours, b.amountMinor);
    for (const a of c.ipv4) addTo(ipv4, a, `${a.serverId}\u0000${a.address}`, a.billedHours, a.amountMinor);
    for (const t of c.transfer.filter(isOver))
      addTo(transfer, t, t.serverId, t.overageBytes, t.amountMinor, t.priceMinorPerGib);
  }
  const name = (planId: string) => planOf(input.plans, planId).name;
  const siteNames = new Map([...input.serverSites.values()].map((s) => [s.siteId, s.siteName]));
  return [
    ...sortedGroups(usage).map((g): InvoiceLine => ({
      kind: "usage",
      description: `Plan ${name(g.planId)} at ${siteNames.get(g.siteId) ?? g.siteId}: ${plural(g.members.size, "server", "servers")}`,
      quantity: hoursText(g.quantity),
      amountMinor: g.amountMinor,
      serverId: null,
      planId: g.planId,
      details: { site_id: g.siteId, servers: g.members.size, server_hours: g.quantity, wholesale: true },
    })),
    ...sortedGroups(backups).map((g): InvoiceLine => ({
      kind: "backups",
      description: `Backups on plan ${name(g.planId)}: ${plural(g.members.size, "server", "servers")}`,
      quantity: hoursText(g.quantity),
      amountMinor: g.amountMinor,
      serverId: null,
      planId: g.planId,
      details: { servers: g.members.size, server_hours: g.quantity, wholesale: true },
    })),
    ...sortedGroups(ipv4).map((g): InvoiceLine => ({
      kind: "ipv4",
      description: `Extra IPv4 on plan ${name(g.planId)}: ${plural(g.count, "address", "addresses")}`,
      quantity: hoursText(g.quantity),
      amountMinor: g.amountMinor,
      serverId: null,
      planId: g.planId,
      details: { addresses: g.count, address_hours: g.quantity, wholesale: true },
    })),
    ...sortedGroups(transfer).map((g): InvoiceLine => ({
      kind: "transfer",
      description: `Transfer beyond the allowance on plan ${name(g.planId)}: ${plural(g.count, "server", "servers")}, ${gibText(g.quantity)} over at ${perGib({ planId: g.planId, priceMinorPerGib: g.priceMinorPerGib }, input.plans)}`,
      quantity: gibText(g.quantity),
      amountMinor: g.amountMinor,
      serverId: null,
      planId: g.planId,
      details: {
        servers: g.count,
        overage_bytes: g.quantity,
        price_minor_per_gib: g.priceMinorPerGib,
        wholesale: true,
      },
    })),
    // Servers the reseller's customers run at partners' sites: one line each, at the provider's
    // retail price (the reseller's cost), from the same usage records as the customer's line.
    ...customers.flatMap((c) =>
      c.remoteServers.map((r): InvoiceLine => ({
        kind: "remote-server",
        description: `Server ${r.name} at ${r.peerName} (customer ${c.accountId})${r.capped ? " (monthly cap)" : ""}`,
        quantity: hoursText(r.billedMs / 3_600_000),
        amountMinor: r.amountMinor,
        serverId: r.remoteServerId,
        planId: null,
        details: {
          operated_by: r.peerName,
          customer_id: c.accountId,
          records: r.records,
          billed_ms: r.billedMs,
          retail_hourly_minor: r.retail.hourlyMinor,
          retail_monthly_cap_minor: r.retail.monthlyCapMinor,
          energy_wh: r.energyWh,
          carbon_g: r.carbonG,
          wholesale: true,
        },
      })),
    ),
    ...imageStorageLines(
      customers.flatMap((c) => (c.imageStorage ? [c.imageStorage] : [])),
      "Stored images of your customers",
      { customers: customers.filter((c) => c.imageStorage).length, wholesale: true },
    ),
  ];
}

/**
 * Stored images as one line: a customer's month, or on a wholesale invoice the sum of its
 * customers' (each rounded as on its own invoice). No line when nothing is charged.
 */
function imageStorageLines(
  charges: readonly ImageStorageMonthCharge[],
  label: string,
  extra: Record<string, unknown> = {},
): InvoiceLine[] {
  const [first] = charges;
  if (!first) return [];
  const images = charges.reduce((a, c) => a + c.images, 0);
  const gibHours = charges.reduce((a, c) => a + c.gibHours, 0);
  const gibMonths = charges.reduce((a, c) => a + c.gibMonths, 0);
  return [
    {
      kind: "image-storage",
      description: `${label}: ${plural(images, "image", "images")}, ${gibHours.toFixed(2)} GiB-hours at ${imageStoragePriceText(first.price)}`,
      quantity: gibMonthsText(gibMonths),
      amountMinor: charges.reduce((a, c) => a + c.amountMinor, 0),
      serverId: null,
      planId: null,
      details: { ...imageStorageDetails(charges), ...extra },
    },
  ];
}

/** "0.02 CAD/GiB", in the plan's currency. */
function perGib(
  t: { planId: string; priceMinorPerGib: number },
  plans: ReadonlyMap<string, InvoicePlan>,
): string {
  return `${formatMoney({ amountMinor: t.priceMinorPerGib, currency: planOf(plans, t.planId).currency })}/GiB`;
}

/** "3 h", or four decimals for plans billed to the second. */
function hoursText(hours: number): string {
  return Number.isInteger(hours) ? `${hours} h` : `${hours.toFixed(4)} h`;
}

/** "23.4 GiB": bytes in GiB (2³⁰) to a tenth, for display; amounts are computed from the bytes. */
function gibText(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
