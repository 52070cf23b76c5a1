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
