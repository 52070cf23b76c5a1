import { createLayerboomClient } from "@layerboom/client";
import type { Command } from "commander";
import { fetchExplainingFailures, unwrap } from "../api.js";
import { readConfig, writeConfig } from "../config.js";
import { CliError } from "../errors.js";
import { readStdinLine } from "./resources.js";

export function registerSessionCommands(program: Command): void {
  program
    .command("login <url>")
    .description("Log in to a controller and remember it in ~/.config/layerboom")
    .requiredOption("--email <email>")
    .option("--password-stdin", "read the password from standard input (the only way: never put it in argv)")
    .option("--token-name <name>", "name of the API token to create", "layerboom CLI")
    .action(async (url: string, opts: { email: string; passwordStdin?: boolean; tokenName: string }) => {
      if (!opts.passwordStdin) {
        throw new CliError(
          "Give the password on standard input with --password-stdin.",
          'Example: `printf %s "$PW" | layerboom login URL --email E --password-stdin`.',
        );
      }
      const password = await readStdinLine();
      const api = createLayerboomClient({ url, fetch: fetchExplainingFailures(url) });
      const token = unwrap(
        await api.POST("/auth/token", { body: { email: opts.email, password, token_name: opts.tokenName } }),
      );
      const path = await writeConfig({ url: url.replace(/\/+$/, ""), token: token.token });
      process.stdout.write(`Logged in to ${url} as ${opts.email}. Saved to ${path}.\n`);
    });

  program
    .command("logout")
    .description("Forget the saved token")
    .action(async () => {
      const config = await readConfig();
      delete config.token;
      await writeConfig(config);
      process.stdout.write("Logged out.\n");
    });
}
