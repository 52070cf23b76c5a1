import type { Command } from "commander";
import { createCliClient } from "../api-client.js";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { resolveConnection } from "../config.js";
import { CliError } from "../errors.js";
import { readStdinLine } from "../read-stdin.js";

/** A client for public routes: needs a controller URL, not a login. */
async function connectAnonymously(flags: GlobalFlags) {
  const { url } = await resolveConnection({ url: flags.url }, cliIo().env);
  if (!url)
    throw new CliError("No controller configured.", "Pass --url <controller URL> or set LAYERBOOM_URL.");
  return createCliClient({ url });
}

export function registerSignupCommands(program: Command): void {
  const flags = (cmd: Command) => cmd.optsWithGlobals<GlobalFlags>();

  program
    .command("signup")
    .description("Sign up for a customer account; the controller mails a link that activates it")
    .requiredOption("--email <email>")
    .requiredOption("--account-name <name>", "name of the new customer account")
    .option("--name <name>", "your name")
    .option("--reseller <slug>", "sign up with this reseller instead of the provider")
    .option("--mailing-list", "receive product news by mail")
    .option("--password-stdin", "read the password from standard input (the only way: never put it in argv)")
    .action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      if (!opts["passwordStdin"])
        throw new CliError(
          "Give the password on standard input with --password-stdin.",
          'Example: `printf %s "$PW" | layerboom signup --email E --account-name N --password-stdin`.',
        );
      const password = await readStdinLine();
      const api = await connectAnonymously(flags(cmd));
      const str = (key: string) => (typeof opts[key] === "string" ? opts[key] : undefined);
      const res = unwrap(
        await api.POST("/signup", {
          body: {
            email: String(opts["email"]),
            password,
            account_name: String(opts["accountName"]),
            ...(str("name") ? { name: str("name") } : {}),
            ...(str("reseller") ? { reseller: str("reseller") } : {}),
            ...(opts["mailingList"] ? { mailing_list: true } : {}),
          },
        }),
      );
      cliIo().stdout.write(`${res.message}\n`);
    });

  const list = program.command("mailing-list").description("The mailing list (provider and reseller admins)");
  list
    .command("export")
    .description("Write the opted-in, verified users of your subtree to stdout as CSV")
    .action(async (_opts: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const csv = unwrap(await api.GET("/mailing-list/export", { parseAs: "text" }));
      cliIo().stdout.write(csv);
    });
}
