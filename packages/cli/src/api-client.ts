import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LayerboomClient } from "@layerboom/client";
import { CliError } from "./errors.js";

/**
 * The CLI's client of the REST API: openapi-fetch's typed interface (`LayerboomClient`, from the
 * generated schema), carried by `node:http` with buffered bodies.
 *
 * Why not openapi-fetch itself, as the portal uses it: it builds a `Headers` and a `Request` for
 * every call, and in Node 20 the first touch of either global loads undici, the fetch
 * implementation, which costs a one-shot command about 15 ms of CPU before it sends a byte
 * (docs/benchmarks.md, bench/cli; issue 13 asks `servers list` for 200 ms in all). API answers are
 * small JSON documents, so nothing here streams; the image and invoice transfers, which do, keep
 * `httpFetch`. What the commands read of a response is its status, `ok` and headers.
 *
 * Every create (POST) carries an Idempotency-Key, and one whose connection broke before an
 * answer came is sent once more with the same key: the controller then replays the first answer
 * instead of creating a second server, key or token. A refused connection becomes advice.
 */
export function createCliClient(options: { url: string; token?: string | undefined }): LayerboomClient {
  const baseUrl = `${options.url.replace(/\/+$/, "").replace(/\/api\/v1$/, "")}/api/v1`;
  const call = (method: string) => (path: string, init: CallInit | undefined) =>
    send(baseUrl, options.url, options.token, method, path, init ?? {});
  return {
    GET: call("GET"),
    POST: call("POST"),
    PUT: call("PUT"),
    PATCH: call("PATCH"),
    DELETE: call("DELETE"),
    HEAD: call("HEAD"),
    OPTIONS: call("OPTIONS"),
    TRACE: call("TRACE"),
  } as unknown as LayerboomClient;
}

/** What the commands pass to a call: openapi-fetch's options, the ones this client implements. */
interface CallInit {
  params?: {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
  };
  body?: unknown;
  bodySerializer?: (body: never) => string;
  headers?: Record<string, unknown>;
  parseAs?: "json" | "text";
}

/** The part of a fetch Response the commands read (`unwrap`, `expectOk`). */
export interface CliResponse {
  status: number;
  ok: boolean;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null; has(name: string): boolean };
}

async function send(
  baseUrl: string,
  controllerUrl: string,
  token: string | undefined,
  method: string,
  path: string,
  init: CallInit,
): Promise<{ data?: unknown; error?: unknown; response: CliResponse }> {
  const url = new URL(`${baseUrl}${fillPath(path, init.params?.path)}${queryString(init.params?.query)}`);
  if (init.parseAs !== undefined && init.parseAs !== "json" && init.parseAs !== "text")
    throw new Error(`The CLI's API client reads JSON or text, not ${String(init.parseAs)}.`);

  const headers: OutgoingHttpHeaders = {};
  let body: string | undefined;
  if (init.body !== undefined) {
    headers["content-type"] = "application/json";
    body = init.bodySerializer ? init.bodySerializer(init.body as never) : JSON.stringify(init.body);
  }
  if (token) headers["authorization"] = `Bearer ${token}`;
  for (const extra of [init.headers, init.params?.header])
    for (const [name, value] of Object.entries(extra ?? {}))
      if (value !== undefined && value !== null)
        headers[name.toLowerCase()] = scalar(value, `header ${name}`);
  if (method === "POST" && headers["idempotency-key"] === undefined)
    headers["idempotency-key"] = `cli-${randomUUID()}`;
  if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);

  const answer = await exchangeRetryingCreates(controllerUrl, url, method, headers, body);
  const response = cliResponse(url, answer);
  const text = answer.body.toString("utf8");
  if (answer.status === 204 || method === "HEAD" || answer.headers["content-length"] === "0")
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  if (response.ok) return { data: init.parseAs === "text" ? text : JSON.parse(text), response };
  try {
    return { error: JSON.parse(text), response };
  } catch {
    return { error: text, response };
  }
}

interface RawAnswer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One exchange, sent a second time (same Idempotency-Key) when a create's connection broke. */
async function exchangeRetryingCreates(
  controllerUrl: string,
  url: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
): Promise<RawAnswer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await exchange(url, method, headers, body);
    } catch (err) {
      const cause = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (headers["idempotency-key"] !== undefined && attempt === 0 && cause !== "ECONNREFUSED") {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      throw new CliError(
        `Cannot reach the controller at ${controllerUrl} (${cause}).`,
        "Is it running? Start one with `./layerboom up`, or check the URL with `layerboom login`.",
      );
    }
  }
}

function exchange(
  url: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
): Promise<RawAnswer> {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return Promise.reject(new Error(`${url.protocol} is not http: or https:`));
  const open = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = open(url, { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () =>
        resolve({
          status: incoming.statusCode ?? 502,
          statusText: incoming.statusMessage ?? "",
          headers: incoming.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function cliResponse(url: URL, answer: RawAnswer): CliResponse {
  const header = (name: string): string | null => {
    const value = answer.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  };
  return {
    status: answer.status,
    ok: answer.status >= 200 && answer.status < 300,
    statusText: answer.statusText,
    url: url.toString(),
    headers: { get: header, has: (name) => header(name) !== null },
  };
}

/** `/servers/{id}` with `{ id }` → `/servers/srv_1`, each value percent-encoded. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null)
      throw new Error(`The API path ${path} needs ${name}, and none was given.`);
    return encodeURIComponent(scalar(value, `path parameter ${name}`));
  });
}

/**
 * The query as openapi-fetch writes it by default: `?a=1&b=x`, arrays repeated (`tag=a&tag=b`,
 * form style, exploded), objects as `key[field]=value` (deepObject), empty values left out.
 */
export function queryString(query: Record<string, unknown> | undefined): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(scalar(value, `query parameter ${name}`))}`);
  };
  for (const [name, value] of Object.entries(query ?? {})) {
    if (Array.isArray(value)) for (const item of value) add(name, item);
    else if (value !== null && typeof value === "object")
      for (const [field, inner] of Object.entries(value)) add(`${name}[${field}]`, inner);
    else add(name, value);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** A parameter's text: strings, numbers and booleans are written as they are; anything else is a bug. */
function scalar(value: unknown, what: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Error(`The CLI's API client cannot write ${what}: it is a ${typeof value}.`);
}
