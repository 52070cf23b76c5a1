import { Command, CommanderError, Option } from "commander";
import { withCliIo } from "./cli-io.js";
import type { CliIo, CliOutput } from "./cli-io.js";
import { registerAgentCommand } from "./commands/agent.js";
import { registerBillingCommands } from "./commands/billing.js";
import { registerControllerCommands } from "./commands/controller.js";
import { registerHostCommands } from "./commands/hosts.js";
import { registerEnergyCommands } from "./commands/energy.js";
import { registerImageJobCommands } from "./commands/image-jobs.js";
import { registerInvitationCommands } from "./commands/invitations.js";
import { registerResellerCommands } from "./commands/resellers.js";
import { registerAccountCommands } from "./commands/accounts.js";
import { registerCatalogCommands } from "./commands/catalog.js";
import { registerImageCommands } from "./commands/images.js";
import { registerServerCommands } from "./commands/servers.js";
import { registerRemoteServerCommands } from "./commands/remote-servers.js";
import { registerSshKeyCommands } from "./commands/ssh-keys.js";
import { registerSessionCommands } from "./commands/session.js";
import { registerTicketCommands } from "./commands/tickets.js";
import { registerWebhookCommands } from "./commands/webhooks.js";
import { registerSignupCommands } from "./commands/signup.js";
import { registerEc2CredentialCommands } from "./commands/ec2-credentials.js";
import { registerFederationCommands } from "./commands/federation.js";
import { CliError } from "./errors.js";

/** Help wraps at the terminal's width, and at 80 columns into a pipe or a test. */
function helpWidth(out: CliOutput): number {
  return out.isTTY && out.columns ? out.columns : 80;
}

/**
 * The command groups, in the order help lists them, each with the top-level commands it adds.
 * `images` and `billing` are extended by a second group (image jobs, reseller prices), so a group
 * list is kept per name, in this order. A unit test checks each group adds exactly these names.
 */
export const COMMAND_GROUPS: readonly { names: readonly string[]; register: (program: Command) => void }[] = [
  { names: ["server", "up"], register: registerControllerCommands },
  { names: ["login", "logout"], register: registerSessionCommands },
  { names: ["accounts", "users", "tokens"], register: registerAccountCommands },
  { names: ["ec2-credentials"], register: registerEc2CredentialCommands },
  { names: ["sites", "plans"], register: registerCatalogCommands },
  { names: ["ssh-keys"], register: registerSshKeyCommands },
  { names: ["images"], register: registerImageCommands },
  { names: ["servers"], register: registerServerCommands },
  { names: ["remote-servers"], register: registerRemoteServerCommands },
  { names: ["invitations"], register: registerInvitationCommands },
  { names: ["hosts"], register: registerHostCommands },
  { names: ["energy"], register: registerEnergyCommands },
  { names: ["images"], register: registerImageJobCommands },
  { names: ["billing", "invoices", "codes"], register: registerBillingCommands },
  { names: ["branding", "prices", "billing"], register: registerResellerCommands },
  { names: ["tickets"], register: registerTicketCommands },
  { names: ["webhooks"], register: registerWebhookCommands },
  { names: ["signup", "mailing-list"], register: registerSignupCommands },
  { names: ["federation"], register: registerFederationCommands },
  { names: ["agent"], register: registerAgentCommand },
];

/** Global options that take a value: the word after them is not the command. */
const VALUED_GLOBAL_OPTIONS = new Set(["-o", "--output", "--url", "--token"]);

/**
 * The groups a run needs: only those that add its command when the arguments name one
 * (`layerboom -o json servers list` builds `servers` alone; commander's option parsing for every
 * other command is most of what building the whole tree costs), and all of them otherwise (help,
 * a mistyped command, which commander answers with the list and a suggestion).
 */
export function groupsFor(argv: readonly string[] | undefined): readonly (typeof COMMAND_GROUPS)[number][] {
  if (!argv) return COMMAND_GROUPS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") break;
    if (VALUED_GLOBAL_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith("-")) {
      const named = COMMAND_GROUPS.filter((g) => g.names.includes(arg));
      return named.length > 0 ? named : COMMAND_GROUPS;
    }
  }
  return COMMAND_GROUPS;
}

/**
 * The `layerboom` command tree for one run, built for `argv` when given (see groupsFor), whole
 * otherwise. Commander keeps parsed options on the tree, so each run builds its own; help and
 * usage errors go to `io`, and nothing calls `process.exit`.
 */
export function buildProgram(io: CliIo, argv?: readonly string[]): Command {
  // Output and exit settings first: subcommands copy them when they are created.
  const program = new Command("layerboom")
    .description("Layerboom: virtual private servers on your own hardware")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => helpWidth(io.stdout),
      getErrHelpWidth: () => helpWidth(io.stderr),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride()
    .showHelpAfterError()
    .version("0.1.0")
    .addOption(
      new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"),
    )
    .option("--url <url>", "controller URL (env LAYERBOOM_URL)")
    .option("--token <token>", "API token (env LAYERBOOM_TOKEN)");

  for (const group of groupsFor(argv)) group.register(program);
  return program;
}

/** What a failed run prints on stderr, and the exit code it ends with. */
function report(err: unknown, io: CliIo): number {
  // Commander has already printed its usage error (or the help, or the version) through `io`.
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof CliError) {
    io.stderr.write(`Error: ${err.message}\n`);
    if (err.hint) io.stderr.write(`Hint: ${err.hint}\n`);
    return err.exitCode;
  }
  // The controller's ConfigError, matched by name: importing the controller here would load it
  // (Fastify, PGlite) for every command.
  if (err instanceof Error && err.name === "ConfigError") {
    io.stderr.write(`Error: ${err.message}\n`);
    return 2;
  }
  io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

/**
 * Runs `layerboom <argv...>` (the arguments after the program name) against `io` and resolves to
 * its exit code; it never exits the process. Commands that start servers (`up`, `server`,
 * `agent`) resolve once started and keep running, with signal handlers on the real process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  return withCliIo(io, async () => {
    try {
      await buildProgram(io, argv).parseAsync([...argv], { from: "user" });
      return 0;
    } catch (err) {
      return report(err, io);
    }
  });
}
