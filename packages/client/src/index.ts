import createClient from "openapi-fetch";
import type { Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };

/** A typed client of the Layerboom REST API, generated from its OpenAPI document. */
export type LayerboomClient = Client<paths>;

export interface ClientOptions {
  /** The controller's URL, e.g. http://127.0.0.1:8080 (the /api/v1 prefix is added). */
  url: string;
  token?: string | undefined;
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

/** The error body every failing call returns. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function createLayerboomClient(options: ClientOptions): LayerboomClient {
  const baseUrl = `${options.url.replace(/\/+$/, "").replace(/\/api\/v1$/, "")}/api/v1`;
  return createClient<paths>({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
  });
}
