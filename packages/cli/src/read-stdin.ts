import { cliIo } from "./cli-io.js";
import { CliError } from "./errors.js";

/** Reads the run's standard input to its end, as UTF-8. */
export async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of cliIo().stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads standard input to its end and returns its first line, for secrets that must not be in argv. */
export async function readStdinLine(): Promise<string> {
  if (cliIo().stdin.isTTY)
    throw new CliError(
      "Expected the value on standard input.",
      'Pipe it in, e.g. `printf %s "$PASSWORD" | layerboom ...`.',
    );
  return ((await readStdinText()).split(/\r?\n/)[0] ?? "").trim();
}
