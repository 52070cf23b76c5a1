import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { OutboundGuard, OutboundRefusedError } from "../outbound/guard.js";
import type { OutboundRule } from "../outbound/guard.js";

/** A download the fetcher refused; `check` names the rule. */
export class FetchRefusedError extends Error {
  constructor(
    readonly check:
      | "fetch-url"
      | "fetch-resolve"
      | "fetch-address"
      | "fetch-redirects"
      | "fetch-connect"
      | "fetch-status"
      | "fetch-size"
      | "fetch-time"
      | "fetch-failed",
    message: string,
  ) {
    super(message);
    this.name = "FetchRefusedError";
  }
}

const CHECK_OF_RULE: Record<OutboundRule, FetchRefusedError["check"]> = {
  url: "fetch-url",
  resolve: "fetch-resolve",
  address: "fetch-address",
  redirects: "fetch-redirects",
  connect: "fetch-connect",
  size: "fetch-size",
  time: "fetch-time",
  broken: "fetch-failed",
};

export interface FetchOptions {
  /** Bytes above which the download is refused (checked against Content-Length and while streaming). */
  maxBytes: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Give up on a download that takes longer than this in all. Default 6 hours. */
  timeoutMs?: number;
  /** Where the download may go (public addresses, and the provider's allowlist). Default: public only. */
  guard?: OutboundGuard;
  onProgress?: (done: number, total: number | undefined) => void;
  /** Sees every byte as it arrives (for digests). */
  onChunk?: (chunk: Buffer) => void;
}

let defaultGuard: OutboundGuard | undefined;

/** Checks that a URL is one we may fetch: http or https, no credentials in it. */
export function checkFetchUrl(text: string): URL {
  try {
    return (defaultGuard ??= new OutboundGuard()).checkUrl(text);
  } catch (err) {
    throw asFetchRefused(err);
  }
}

function asFetchRefused(err: unknown): unknown {
  if (err instanceof OutboundRefusedError) return new FetchRefusedError(CHECK_OF_RULE[err.rule], err.message);
  return err;
}

/**
 * Downloads a URL to a file through the outbound guard (every hop resolved once, judged, and
 * connected to at the address judged), streaming, with redirects, time and size capped. A
 * refused or broken download leaves no file behind. Messages name the rule and the host,
 * never the reason a connection failed, so a job cannot be used to scan ports.
 */
export async function fetchToFile(urlText: string, path: string, options: FetchOptions): Promise<number> {
  const guard = options.guard ?? (defaultGuard ??= new OutboundGuard());
  let response;
  try {
    response = await guard.request(urlText, {
      maxRedirects: options.maxRedirects ?? 5,
      timeoutMs: options.timeoutMs ?? 6 * 3_600_000,
      maxBytes: options.maxBytes,
      headers: { "user-agent": "Layerboom-Images/1" },
    });
  } catch (err) {
    throw asFetchRefused(err);
  }
  const host = response.url.hostname;
  if (response.status < 200 || response.status > 299) {
    response.body.destroy();
    throw new FetchRefusedError("fetch-status", `${host} answered HTTP ${response.status}`);
  }
  const total = response.declaredBytes;
  let done = 0;
  const progress = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      done += chunk.length;
      options.onChunk?.(chunk);
      options.onProgress?.(done, total);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.body, progress, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    const refused = asFetchRefused(err);
    if (refused instanceof FetchRefusedError) throw refused;
    throw new FetchRefusedError("fetch-failed", `the download from ${host} broke off`);
  }
  return done;
}
