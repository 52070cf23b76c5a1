import type { ColumnType, Selectable } from "kysely";

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** Tables of resellers in billing (migration 0008, docs/billing.md, "Resellers"). */
export interface BrandsTable {
  account_id: string;
  name: string;
  logo_url: string | null;
  primary_color: ColumnType<string, string | undefined, string>;
  accent_color: ColumnType<string, string | undefined, string>;
  support_email: string | null;
  updated_at: UpdatedAt;
}

/** A reseller's retail price for a provider plan (same currency as the plan). */
export interface ResellerPricesTable {
  account_id: string;
  plan_id: string;
  hourly_price_minor: number;
  monthly_cap_minor: number;
  updated_at: UpdatedAt;
}

/** A reseller's retail price on a partner's plan, in the offer's currency (migration 0027). */
export interface ResellerPartnerPricesTable {
  account_id: string;
  offer_id: string;
  plan_id: string;
  currency: string;
  hourly_price_minor: ColumnType<number, number | bigint, number | bigint>;
  monthly_cap_minor: ColumnType<number, number | bigint, number | bigint>;
  updated_at: UpdatedAt;
}

export type BrandRow = Selectable<BrandsTable>;
export type ResellerPriceRow = Selectable<ResellerPricesTable>;
