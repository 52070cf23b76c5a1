import type { ApiErrorBody, LayerboomClient } from "@layerboom/client";
import { createCliClient } from "./api-client.js";
import { cliIo } from "./cli-io.js";
import { resolveConnection } from "./config.js";
import { CliError } from "./errors.js";

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
  return createCliClient({ url, token });
}

const HINTS: Record<number, string> = {
  401: "Your login is missing or expired: run `layerboom login <url> --email <you> --password-stdin`.",
  403: "Your role does not allow this; ask an admin of your account.",
  404: "Check the id with the matching `list` command.",
  429: "Wait a moment before trying again.",
};

/** Unwraps a client result: the data, or a CliError carrying the API's message. */
export function unwrap<T>(result: {
  data?: T;
  error?: unknown;
  response: Pick<Response, "status" | "ok">;
}): T {
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
export function expectOk(result: { error?: unknown; response: Pick<Response, "status" | "ok"> }): void {
  if (!result.response.ok) unwrap({ ...result, data: undefined });
}
