import { createLayerboomClient } from "@layerboom/client";
import type { ApiErrorBody, LayerboomClient, paths } from "@layerboom/client";

/** The session cookie is HttpOnly; this is the one secret the page itself keeps, for this tab only. */
const CSRF_KEY = "layerboom.csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function csrfToken(): string | null {
  return sessionStorage.getItem(CSRF_KEY);
}

export function rememberCsrfToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(CSRF_KEY);
  else sessionStorage.setItem(CSRF_KEY, token);
}

/** The API client of the portal: the session cookie rides along, and changes carry the CSRF token. */
export const api: LayerboomClient = createLayerboomClient({
  url: window.location.origin,
  fetch: (input) => globalThis.fetch(input, { credentials: "include" }),
});

api.use({
  onRequest({ request }) {
    const token = csrfToken();
    if (token && !SAFE_METHODS.has(request.method)) request.headers.set("x-csrf-token", token);
    return request;
  },
});

/** An API error as thrown to TanStack Query: the message to show and the field it is about. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

/** Unwraps an openapi-fetch result: the data, or an ApiError with the API's own message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error === undefined && result.response.ok) return result.data as T;
  const body = result.error as Partial<ApiErrorBody> | undefined;
  const field = body?.error?.details?.["field"];
  throw new ApiError(
    result.response.status,
    body?.error?.code ?? "unknown",
    body?.error?.message ?? `The request failed (HTTP ${result.response.status}).`,
    typeof field === "string" ? field : undefined,
  );
}

/** The message of an error for a field, if it is about that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined;
}

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type Server = Json<paths["/servers/{id}"]["get"]["responses"][200]>;
export type Site = Json<paths["/sites"]["get"]["responses"][200]>["items"][number];
export type Plan = Json<paths["/plans"]["get"]["responses"][200]>["items"][number];
export type Image = Json<paths["/images"]["get"]["responses"][200]>["items"][number];
export type SshKey = Json<paths["/ssh-keys"]["get"]["responses"][200]>["items"][number];
export type Me = Json<paths["/me"]["get"]["responses"][200]>;
export type FederationPeer = Json<paths["/federation/peers"]["get"]["responses"][200]>["items"][number];
export type ReceivedOffer = Json<paths["/federation/offers"]["get"]["responses"][200]>["items"][number];
/** A partner's site as this installation sells it: labelled with the partner, at this installation's prices. */
export type PartnerSite = Json<paths["/partner-sites"]["get"]["responses"][200]>["items"][number];
/** A customer's server at a partner's site (`rsv_…`), as this installation mirrors it. */
export type RemoteServer = Json<paths["/remote-servers/{id}"]["get"]["responses"][200]>;

/**
 * A fresh Idempotency-Key for one create: a retry of the same request sends the same key, so
 * the API creates the thing once. `crypto.randomUUID` would be shorter, but it exists only in
 * secure contexts, and a reseller's portal domain may be served over plain HTTP.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
