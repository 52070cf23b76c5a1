import { monthAmountFor } from "../federation/usage-pricing.js";
import type { PlanPrice } from "../federation/offer-pricing.js";

/**
 * A customer's server at a partner's site, over one month of the partner's usage records
 * (docs/federation.md, "Usage and settlement"): what A bills its customer for it.
 */
export interface RemoteServerMonth {
  /** A's id for it (`rsv_…`). */
  remoteServerId: string;
  name: string;
  /** The partner that runs it. */
  peerName: string;
  /** The offer's currency. */
  currency: string;
  /** A's retail price for it, fixed at its create. */
  retail: PlanPrice;
  /**
   * A reseller's customer's server: the provider's retail price pinned at its create, what the
   * reseller pays for it on its wholesale invoice (`retail` is then the reseller's price).
   */
  resellerCost?: PlanPrice | null;
  /** The records of the month, and the time they bill in all (each hour's `billed_ms`, summed). */
  records: number;
  billedMs: number;
  /** The partner's energy (Wh) and carbon (g, null when some record had none) for it. */
  energyWh: number;
  carbonG: number | null;
}

/** A remote server's month at A's retail price. */
export interface RemoteServerCharge extends RemoteServerMonth {
  amountMinor: number;
  /** The retail monthly cap was reached. */
  capped: boolean;
}

/**
 * The records' time at the retail price, computed as the partner computes its wholesale charge
 * (core's `monthAmountFor`: time × hourly, half up, capped): the sum of each hour's retail
 * charge under the cap, since those hours telescope to the month's amount.
 */
export function remoteServerCharge(month: RemoteServerMonth): RemoteServerCharge {
  const amountMinor = monthAmountFor(month.billedMs, month.retail);
  const uncapped = monthAmountFor(month.billedMs, {
    ...month.retail,
    monthlyCapMinor: Number.MAX_SAFE_INTEGER,
  });
  return { ...month, amountMinor, capped: uncapped > month.retail.monthlyCapMinor };
}

/**
 * The same month on the provider's wholesale invoice to the reseller: at the provider's retail
 * price (the reseller's cost), by the same rule. A server without one (not resold) is refused:
 * it cannot be on a wholesale invoice.
 */
export function remoteServerWholesaleCharge(month: RemoteServerMonth): RemoteServerCharge {
  if (!month.resellerCost)
    throw new RangeError(
      `remote server ${month.remoteServerId} has no reseller cost for a wholesale invoice`,
    );
  return remoteServerCharge({ ...month, retail: month.resellerCost });
}
