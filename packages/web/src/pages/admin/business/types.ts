import type { paths } from "@layerboom/client";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

/** What the provider/reseller business pages (plans, codes, accounts, audit log, branding) read and send. */
export type Account = Json<paths["/accounts"]["get"]["responses"][200]>["items"][number];
export type AccountKind = Account["kind"];
export type AuditEntry = Json<paths["/audit-log"]["get"]["responses"][200]>["items"][number];
export type Code = Json<paths["/codes"]["get"]["responses"][200]>["items"][number];
export type NewCode = NonNullable<paths["/codes"]["post"]["requestBody"]>["content"]["application/json"];
export type Price = Json<paths["/prices"]["get"]["responses"][200]>["items"][number];
export type Brand = Json<paths["/branding"]["get"]["responses"][200]>;
export type BrandInput = NonNullable<paths["/branding"]["put"]["requestBody"]>["content"]["application/json"];
export type PortalDomain = Json<paths["/branding/domains"]["get"]["responses"][200]>["items"][number];
export type User = Json<paths["/users"]["get"]["responses"][200]>["items"][number];
export type NewPlan = NonNullable<paths["/plans"]["post"]["requestBody"]>["content"]["application/json"];
