import { randomUUID } from "node:crypto";
import { createLayerboomClient } from "@layerboom/client";
import type { ApiErrorBody, LayerboomClient } from "@layerboom/client";
import { cliIo } from "./cli-io.js";
import { resolveConnection } from "./config.js";
import { CliError } from "./errors.js";
import { httpFetch } from "./http-fetch.js";

export interface GlobalFlags {
  url?: string;
  token?: string;
  output: "table" | "json";
}

/** A client for the configured controller, or a CliError that says how to configure one. */
export async function connect(flags: GlobalFlags): Promise<LayerboomClient> {
  const { url, token } = await resolveConnection(flags, cliIo().env);
  if (!url) {
    throw new CliError(
      "No controller configured.",
      "Run `layerboom login <url> --email <you> --password-stdin`, or set LAYERBOOM_URL.",
    );
  }
  if (!token)
    throw new CliError(
      `Not logged in to ${url}.`,
      `Run \`layerboom login ${url} --email <you> --password-stdin\`, or set LAYERBOOM_TOKEN.`,
    );
  return createLayerboomClient({ url, token, fetch: fetchExplainingFailures(url) });
}

/**
 * Wraps fetch so a refused connection becomes advice instead of a stack trace. Every create
 * (POST) carries an Idempotency-Key, and one whose connection broke before an answer came is
 * sent once more with the same key: the controller then replays the first answer instead of
 * creating a second server, key or token.
 */
export function fetchExplainingFailures(url: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.method === "POST" && !request.headers.has("idempotency-key"))
      request.headers.set("idempotency-key", `cli-${randomUUID()}`);
    const idempotent = request.headers.has("idempotency-key");
    for (let attempt = 0; ; attempt++) {
      try {
        return await httpFetch(request.clone());
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        if (idempotent && attempt === 0 && cause !== "ECONNREFUSED") {
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        throw new CliError(
          `Cannot reach the controller at ${url} (${cause}).`,
          "Is it running? Start one with `./layerboom up`, or check the URL with `layerboom login`.",
        );
      }
    }
  };
}

const HINTS: Record<number, string> = {
  401: "Your login is missing or expired: run `layerboom login <url> --email <you> --password-stdin`.",
  403: "Your role does not allow this; ask an admin of your account.",
  404: "Check the id with the matching `list` command.",
  429: "Wait a moment before trying again.",
};

/** Unwraps an openapi-fetch result: the data, or a CliError carrying the API's message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const status = result.response.status;
    const body = result.error as ApiErrorBody | undefined;
    const field = body?.error?.details?.["field"];
    const message = body?.error?.message ?? `The API answered ${status}.`;
    throw new CliError(typeof field === "string" ? `${message} (field: ${field})` : message, HINTS[status]);
  }
  return result.data;
}

/** For 204 responses, which have no data. */
export function expectOk(result: { error?: unknown; response: Response }): void {
  if (!result.response.ok) unwrap({ ...result, data: undefined });
}
