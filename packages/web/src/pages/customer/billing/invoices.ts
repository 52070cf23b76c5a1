import type { paths } from "@layerboom/client";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type Invoice = Json<paths["/invoices/{id}"]["get"]["responses"][200]>;
export type InvoiceLine = Invoice["lines"][number];
export type InvoiceSummary = Json<paths["/invoices"]["get"]["responses"][200]>["items"][number];

/** What an energy line carries in its details (docs/billing.md): always shown, billed or not. */
export interface EnergyDetails {
  kwh: number | null;
  costMinor: number | null;
  carbonKg: number | null;
  billed: boolean;
}

export function energyDetails(line: Pick<InvoiceLine, "details">): EnergyDetails {
  const d = line.details;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    kwh: num(d["kwh"]),
    costMinor: num(d["cost_minor"]),
    carbonKg: num(d["carbon_kg"]),
    billed: d["billed"] !== false,
  };
}

/** GET /billing/usage: this month so far, as the controller drafts it (not yet an invoice). */
export interface UsageDraft {
  period: string;
  currency: string;
  charges: {
    serverId: string;
    planId: string;
    billedHours: number;
    amountMinor: number;
    uncappedMinor: number;
    capped: boolean;
  }[];
  discounts: { code: string; serverId: string | null; description: string; amountMinor: number }[];
  /** The account's stored images, when its provider or reseller charges for them (docs/billing.md). */
  imageStorage?: { images: number; gibMonths: number; amountMinor: number } | null;
  energy: { kwh: number; costMinor: number | null; carbonKg: number | null };
  energyBilled: boolean;
  taxes: { name: string; rateMicros: number; amountMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** The usage answer is untyped in the API document; take it only when it has the draft's shape. */
export function asUsageDraft(value: Record<string, unknown>): UsageDraft | undefined {
  const ok =
    typeof value["currency"] === "string" &&
    typeof value["totalMinor"] === "number" &&
    Array.isArray(value["charges"]) &&
    Array.isArray(value["discounts"]) &&
    Array.isArray(value["taxes"]) &&
    typeof value["energy"] === "object" &&
    value["energy"] !== null;
  return ok ? (value as unknown as UsageDraft) : undefined;
}
