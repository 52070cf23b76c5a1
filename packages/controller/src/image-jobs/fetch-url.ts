import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** A download the fetcher refused; `check` names the rule. */
export class FetchRefusedError extends Error {
  constructor(
    readonly check: "fetch-url" | "fetch-status" | "fetch-redirects" | "fetch-size" | "fetch-failed",
    message: string,
  ) {
    super(message);
    this.name = "FetchRefusedError";
  }
}

export interface FetchOptions {
  /** Bytes above which the download is refused (checked against Content-Length and while streaming). */
  maxBytes: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Give up on a download that takes longer than this in all. Default 6 hours. */
  timeoutMs?: number;
  onProgress?: (done: number, total: number | undefined) => void;
  /** Sees every byte as it arrives (for digests). */
  onChunk?: (chunk: Buffer) => void;
}

/** Checks that a URL is one we may fetch: http or https, no credentials in it. */
export function checkFetchUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchRefusedError("fetch-url", `"${text}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchRefusedError("fetch-url", `only http and https URLs are fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new FetchRefusedError("fetch-url", "a URL with credentials in it is refused; use a pre-signed URL");
  }
  return url;
}

/**
 * Downloads a URL to a file, streaming, with the redirects it follows bounded and the size
 * capped both by Content-Length and by counting bytes (a server may lie or omit it). A
 * refused or broken download leaves no file behind.
 */
export async function fetchToFile(urlText: string, path: string, options: FetchOptions): Promise<number> {
  let url = checkFetchUrl(urlText);
  const maxRedirects = options.maxRedirects ?? 5;
  let response: Response | undefined;
  for (let hop = 0; ; hop++) {
    try {
      response = await fetch(url, {
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs ?? 6 * 3_600_000),
      });
    } catch (err) {
      throw new FetchRefusedError("fetch-failed", `cannot fetch ${url.href}: ${(err as Error).message}`);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      if (hop >= maxRedirects) {
        throw new FetchRefusedError("fetch-redirects", `more than ${maxRedirects} redirects from ${urlText}`);
      }
      url = checkFetchUrl(new URL(response.headers.get("location")!, url).href);
      await response.body?.cancel();
      continue;
    }
    break;
  }
  if (!response.ok || !response.body) {
    throw new FetchRefusedError("fetch-status", `${url.href} answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  const total = Number.isFinite(declared) ? declared : undefined;
  if (total !== undefined && total > options.maxBytes) {
    await response.body.cancel();
    throw new FetchRefusedError(
      "fetch-size",
      `${url.href} is ${total} bytes, above the ${options.maxBytes}-byte cap`,
    );
  }
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      done += chunk.length;
      if (done > options.maxBytes) {
        callback(
          new FetchRefusedError("fetch-size", `${url.href} sent more than the ${options.maxBytes}-byte cap`),
        );
        return;
      }
      options.onChunk?.(chunk);
      options.onProgress?.(done, total);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as never), counter, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    if (err instanceof FetchRefusedError) throw err;
    throw new FetchRefusedError(
      "fetch-failed",
      `download of ${url.href} broke off: ${(err as Error).message}`,
    );
  }
  return done;
}
