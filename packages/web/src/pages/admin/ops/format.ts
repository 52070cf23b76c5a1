import type { paths } from "@layerboom/client";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

/** What GET /dashboard answers (docs/dashboard.md). */
export type Dashboard = Json<paths["/dashboard"]["get"]["responses"][200]>;
export type DashboardSite = Dashboard["sites"][number];
export type DashboardHost = Dashboard["hosts"][number];
export type Host = Json<paths["/hosts"]["get"]["responses"][200]>["items"][number];
export type EnergySettings = Json<paths["/sites/{id}/energy-settings"]["get"]["responses"][200]>;
export type EnergySettingsPatch = NonNullable<
  paths["/sites/{id}/energy-settings"]["patch"]["requestBody"]
>["content"]["application/json"];

/** The dashboard refreshes this often. */
export const DASHBOARD_POLL_MS = 5_000;
export const DASHBOARD_KEY = ["dashboard"] as const;

/** Integer minor units as money in the currency's own number of decimals. */
export function money(minor: number, currency: string): string {
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** Watts as people read them: "42 W", "1,250 W", "3.5 W". */
export function watts(w: number): string {
  const n = new Intl.NumberFormat(undefined, { maximumFractionDigits: Math.abs(w) < 10 ? 1 : 0 });
  return `${n.format(w)} W`;
}

/** Memory in MiB, shown in GiB from 1 GiB up. */
export function mib(value: number): string {
  if (value >= 1024) {
    const gib = value / 1024;
    return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: gib < 10 ? 1 : 0 }).format(gib)} GiB`;
  }
  return `${value} MiB`;
}

export function gib(value: number): string {
  if (value >= 1024) {
    const tib = value / 1024;
    return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(tib)} TiB`;
  }
  return `${value} GiB`;
}

/** "3 minutes ago", for the age of a sample or a heartbeat. */
export function ago(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.round((nowMs - Date.parse(iso)) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (Math.abs(seconds) < 60) return rtf.format(-seconds, "second");
  if (Math.abs(seconds) < 3600) return rtf.format(-Math.round(seconds / 60), "minute");
  if (Math.abs(seconds) < 86_400) return rtf.format(-Math.round(seconds / 3600), "hour");
  return rtf.format(-Math.round(seconds / 86_400), "day");
}

/** A price per MWh in minor units as a price per kWh, e.g. "$0.12/kWh". */
export function perKwh(perMwhMinor: number, currency: string): string {
  const format = new Intl.NumberFormat(undefined, {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 4,
  });
  const digits = new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  return `${format.format(perMwhMinor / 10 ** (digits ?? 2) / 1000)}/kWh`;
}
