import type { paths } from "@layerboom/client";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type Invoice = Json<paths["/invoices/{id}"]["get"]["responses"][200]>;
export type InvoiceLine = Invoice["lines"][number];
export type InvoiceSummary = Json<paths["/invoices"]["get"]["responses"][200]>["items"][number];

/** Amounts are integer minor units (cents); the API bills in currencies of two decimals. */
export function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100);
  } catch {
    // An unknown currency code still reads as an amount.
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/**
 * Parses an amount typed in major units ("12.50", "12,50", "$12") into minor units, or
 * undefined when it is not a positive amount with at most two decimals.
 */
export function parseMinor(text: string): number | undefined {
  const cleaned = text
    .replace(/[\s$€£¥]/g, "")
    .replace(/,(\d{1,2})$/, ".$1")
    .replace(/,/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return undefined;
  const [whole = "0", fraction = ""] = cleaned.split(".");
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return Number.isSafeInteger(minor) && minor > 0 ? minor : undefined;
}

/** A calendar date (an invoice's issue or due date), without the time of day. */
export function day(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** "2025-03" as "March 2025". */
export function periodName(period: string): string {
  const [year, month] = period.split("-").map(Number);
  if (!year || !month) return period;
  return new Date(Date.UTC(year, month - 1, 15)).toLocaleDateString(undefined, {
    year: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

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

export function kwh(value: number): string {
  return `${value.toLocaleString(undefined, { maximumFractionDigits: 3 })} kWh`;
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
