import { request as httpRequest } from "node:http";
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * `fetch` over `node:http`, for the CLI. Node 20's own fetch (undici) keeps a one-shot command
 * alive for 150 to 300 ms after its answer has arrived, and loads its dispatcher on the first
 * call: a bare `fetch` costs about 300 ms over `node -e ''` where `http.get` costs nothing
 * measurable (`docs/benchmarks.md`, bench/cli). A command is one or two requests, so that was
 * most of `servers list`'s time. The standard Request and Response stay the interface (the
 * generated client builds a Request and reads a Response); only the transport changes.
 *
 * Bodies stream both ways (image uploads and exports are gigabytes). A failed connection rejects
 * with a TypeError whose `cause` is the socket error, as `fetch` does, so callers read
 * `err.cause.code` either way. Idle keep-alive sockets are unref'd by Node's agent, so they never
 * hold a finished command.
 */
export const httpFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new TypeError(`fetch failed: ${url.protocol} is not http: or https:`);
  const headers: OutgoingHttpHeaders = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;

  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = send(url, { method: request.method, headers, signal: request.signal }, resolve);
    outgoing.on("error", (cause) => reject(new TypeError("fetch failed", { cause })));
    if (!request.body) {
      outgoing.end();
      return;
    }
    pipeline(Readable.fromWeb(request.body as never), outgoing).catch((cause: unknown) =>
      reject(new TypeError("fetch failed", { cause })),
    );
  });

  const responseHeaders = new Headers();
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
    responseHeaders.append(response.rawHeaders[i] ?? "", response.rawHeaders[i + 1] ?? "");
  const status = response.statusCode ?? 502;
  // A Response may not carry a body for these statuses.
  const bodiless = request.method === "HEAD" || status === 204 || status === 304;
  if (bodiless) response.resume();
  return new Response(bodiless ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
    status,
    statusText: response.statusMessage ?? "",
    headers: responseHeaders,
  });
};
