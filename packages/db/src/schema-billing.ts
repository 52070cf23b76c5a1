import type { ColumnType, Generated, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Tables of native billing (migration 0005, docs/billing.md). */
export interface BillingProfilesTable {
  account_id: string;
  time_zone: Generated<string>;
  tax_region: string | null;
  credit_minor: Generated<number>;
  suspended_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface BillingSettingsTable {
  account_id: string;
  energy_mode: Generated<"billed" | "informational">;
  payment_terms_days: Generated<number>;
  grace_days: Generated<number>;
  invoice_prefix: Generated<string>;
  next_number: Generated<number>;
  /** A GiB of stored images for a month (migration 0022); null: free, or a reseller's customers pay the provider's. */
  image_storage_minor_per_gib_month: ColumnType<number | null, number | null | undefined, number | null>;
  /** The currency of that price; set exactly when the price is. */
  image_storage_currency: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TaxRatesTable {
  region: string;
  name: string;
  rate_micros: number;
}

export interface UsageIntervalsTable {
  id: string;
  server_id: string;
  account_id: string;
  plan_id: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

/** An image's stored life and bytes (migration 0022), written with the change that makes or deletes it. */
export interface ImageStorageIntervalsTable {
  id: string;
  image_id: string;
  account_id: string;
  size_bytes: number;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface DiscountCodesTable {
  id: string;
  issuer_account_id: string;
  code: string;
  kind: "percent" | "amount";
  value: number;
  scope: "first-server" | "all-servers" | "plans";
  plan_ids: ColumnType<string[], string | undefined, string>;
  duration_months: number;
  expires_at: Timestamp | null;
  max_redemptions: number | null;
  redemptions: Generated<number>;
  created_at: CreatedAt;
}

export interface CodeRedemptionsTable {
  id: string;
  code_id: string;
  account_id: string;
  redeemed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  first_server_id: string | null;
}

export interface InvoicesTable {
  id: string;
  number: string;
  issuer_account_id: string;
  account_id: string;
  kind: Generated<"invoice" | "credit-note">;
  period: string;
  corrects_invoice_id: string | null;
  currency: string;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  credit_applied_minor: Generated<number>;
  amount_due_minor: number;
  status: Generated<"issued" | "paid">;
  issued_at: ColumnType<Date, Date | string | undefined, never>;
  due_at: Timestamp;
  paid_at: Timestamp | null;
}

export interface InvoiceLinesTable {
  invoice_id: string;
  position: number;
  kind:
    | "usage"
    | "discount"
    | "energy"
    | "tax"
    | "credit"
    | "backups"
    | "ipv4"
    | "transfer"
    | "image-storage"
    | "remote-server";
  description: string;
  quantity: Generated<string>;
  amount_minor: number;
  server_id: string | null;
  plan_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface PaymentsTable {
  id: string;
  invoice_id: string;
  account_id: string;
  amount_minor: number;
  method: string;
  reference: Generated<string>;
  received_at: ColumnType<Date, Date | string | undefined, never>;
  recorded_by: string | null;
}

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
export type DiscountCodeRow = Selectable<DiscountCodesTable>;
