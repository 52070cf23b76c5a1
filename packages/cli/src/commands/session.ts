import type { Command } from "commander";
import { createCliClient } from "../api-client.js";
import { unwrap } from "../api.js";
import { cliIo } from "../cli-io.js";
import { readConfig, writeConfig } from "../config.js";
import { CliError } from "../errors.js";
import { readStdinLine } from "../read-stdin.js";

export function registerSessionCommands(program: Command): void {
  program
    .command("login <url>")
    .description("Log in to a controller and remember it in ~/.config/layerboom")
    .requiredOption("--email <email>")
    .option("--password-stdin", "read the password from standard input (the only way: never put it in argv)")
    .option("--token-name <name>", "name of the API token to create", "layerboom CLI")
    .option(
      "--code <code>",
      "with two-factor login on: the 6-digit code from your authenticator app, or a recovery code",
    )
    .action(
      async (
        url: string,
        opts: { email: string; passwordStdin?: boolean; tokenName: string; code?: string },
      ) => {
        if (!opts.passwordStdin) {
          throw new CliError(
            "Give the password on standard input with --password-stdin.",
            'Example: `printf %s "$PW" | layerboom login URL --email E --password-stdin`.',
          );
        }
        const password = await readStdinLine();
        const api = createCliClient({ url });
        const first = unwrap(
          await api.POST("/auth/token", {
            body: { email: opts.email, password, token_name: opts.tokenName },
          }),
        );
        let token: string;
        if ("login_token" in first) {
          // The password was right and the account has two-factor login: the code is the second step.
          // A code in argv is harmless: it is single-use and dead within a minute.
          if (!opts.code)
            throw new CliError(
              "This account has two-factor login on: give the code from your authenticator app.",
              'Example: `printf %s "$PW" | layerboom login URL --email E --password-stdin --code 123456`.',
            );
          token = unwrap(
            await api.POST("/auth/token/two-factor", {
              body: { login_token: first.login_token, code: opts.code },
            }),
          ).token;
        } else {
          token = first.token;
        }
        const path = await writeConfig({ url: url.replace(/\/+$/, ""), token }, cliIo().env);
        cliIo().stdout.write(`Logged in to ${url} as ${opts.email}. Saved to ${path}.\n`);
      },
    );

  program
    .command("logout")
    .description("Forget the saved token")
    .action(async () => {
      const { env, stdout } = cliIo();
      const config = await readConfig(env);
      delete config.token;
      await writeConfig(config, env);
      stdout.write("Logged out.\n");
    });
}
