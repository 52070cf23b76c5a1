import type { paths } from "@layerboom/client";
import type { ReactNode } from "react";
import { useBrand } from "../../../brand";
import "./auth.css";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type ApiToken = Json<paths["/tokens"]["get"]["responses"][200]>["items"][number];
export type NewApiToken = Json<paths["/tokens"]["post"]["responses"][201]>;
export type User = Json<paths["/users"]["get"]["responses"][200]>["items"][number];
export type Role = User["role"];
export type Invitation = Json<paths["/invitations"]["get"]["responses"][200]>["items"][number];

/** The shortest password the API takes (MIN_PASSWORD_LENGTH in the controller). */
export const MIN_PASSWORD_LENGTH = 12;

export const ROLE_LABELS: Record<Role, string> = {
  "provider-admin": "Provider admin",
  "reseller-admin": "Reseller admin",
  "customer-admin": "Admin",
  "customer-member": "Member",
};

/** A query string parameter of the current page (the token of a mailed link). */
export function queryParam(name: string): string {
  return new URLSearchParams(window.location.search).get(name) ?? "";
}

/** The frame of the public pages (login, signup, reset): the brand's logo over one narrow card. */
export function AuthShell({ title, wide, children }: { title: string; wide?: boolean; children: ReactNode }) {
  const brand = useBrand();
  return (
    <main id="main" className={wide ? "login auth-page auth-wide" : "login auth-page"}>
      <div className="auth-logo-slot">
        {brand.logo_url && <img src={brand.logo_url} alt="" className="auth-logo" />}
      </div>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

/** "Log in to Acme", or just "Log in" while the brand is still loading. */
export function withBrand(text: string, name: string): string {
  return name ? `${text} ${name}` : text;
}
