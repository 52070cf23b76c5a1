import type { paths } from "@layerboom/client";
import { ApiError } from "../../../api";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type Account = Json<paths["/accounts"]["get"]["responses"][200]>["items"][number];
export type AccountKind = Account["kind"];
export type AuditEntry = Json<paths["/audit-log"]["get"]["responses"][200]>["items"][number];
export type Code = Json<paths["/codes"]["get"]["responses"][200]>["items"][number];
export type NewCode = NonNullable<paths["/codes"]["post"]["requestBody"]>["content"]["application/json"];
export type Price = Json<paths["/prices"]["get"]["responses"][200]>["items"][number];
export type Brand = Json<paths["/branding"]["get"]["responses"][200]>;
export type BrandInput = NonNullable<paths["/branding"]["put"]["requestBody"]>["content"]["application/json"];
export type User = Json<paths["/users"]["get"]["responses"][200]>["items"][number];
export type NewPlan = NonNullable<paths["/plans"]["post"]["requestBody"]>["content"]["application/json"];

/** A form error found before asking the API: the field and what is wrong, shown like the API's own. */
export class LocalError extends ApiError {
  constructor(field: string, message: string) {
    super(400, "invalid_input", message, field);
  }
}

/** One page of a cursor-paginated list, as every list route answers. */
export interface PageOf<T> {
  items: T[];
  next_cursor: string | null;
}

/** Every item of a cursor-paginated list, page after page (for short lists such as plans). */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>,
  maxPages = 20,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

function currencyFormat(currency: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency });
  } catch {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: "CAD" });
  }
}

/** How many decimals the currency's minor unit has (2 for CAD: 1 dollar is 100 cents). */
export function minorDigits(currency: string): number {
  return currencyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in integer minor units (cents), shown in the currency. */
export function money(minor: number, currency: string): string {
  return currencyFormat(currency).format(minor / 10 ** minorDigits(currency));
}

/** Minor units as the text a money input shows ("12.50" for 1250 cents). */
export function minorToInput(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return "";
  return (minor / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));
}

/**
 * What a person typed as an amount ("12.5", "12,50", "$12") in integer minor units, or
 * undefined when it is not an amount the currency can hold.
 */
export function inputToMinor(text: string, currency: string): number | undefined {
  const cleaned = text
    .trim()
    .replace(/[\s$€£¥]/g, "")
    .replace(",", ".");
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(cleaned)) return undefined;
  const digits = minorDigits(currency);
  const [whole = "0", fraction = ""] = cleaned.split(".");
  if (fraction.length > digits) return undefined;
  const minor = Number(whole || "0") * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** A date and time in the reader's locale, for a `<time>` element. */
export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A date alone, in the reader's locale. */
export function day(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/**
 * The API's message for a field, whatever spelling it uses for a nested one: schema errors
 * say `prices.0.hourly_price_minor`, the services `prices[0].hourly_price_minor`.
 */
export function errorFor(error: unknown, ...fields: string[]): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  const field = error.field.replace(/\[(\d+)\]/g, ".$1");
  return fields.some((f) => f.replace(/\[(\d+)\]/g, ".$1") === field) ? error.message : undefined;
}

/** The error to show in the form's alert: one about no field, or about a field the form does not have. */
export function generalError(error: unknown, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError && error.field && errorFor(error, ...fields)) return undefined;
  return error instanceof Error ? error.message : "The request failed.";
}

/** Memory in MiB as people read it. */
export function memory(mib: number): string {
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}
