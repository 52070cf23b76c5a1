#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import { registerAgentCommand } from "./commands/agent.js";
import { registerBillingCommands } from "./commands/billing.js";
import { registerControllerCommands } from "./commands/controller.js";
import { registerHostCommands } from "./commands/hosts.js";
import { registerEnergyCommands } from "./commands/energy.js";
import { registerImageJobCommands } from "./commands/image-jobs.js";
import { registerInvitationCommands } from "./commands/invitations.js";
import { registerResellerCommands } from "./commands/resellers.js";
import { registerResourceCommands } from "./commands/resources.js";
import { registerSessionCommands } from "./commands/session.js";
import { registerTicketCommands } from "./commands/tickets.js";
import { registerWebhookCommands } from "./commands/webhooks.js";
import { registerSignupCommands } from "./commands/signup.js";
import { CliError } from "./errors.js";

const program = new Command("layerboom")
  .description("Layerboom: virtual private servers on your own hardware")
  .version("0.1.0")
  .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"))
  .option("--url <url>", "controller URL (env LAYERBOOM_URL)")
  .option("--token <token>", "API token (env LAYERBOOM_TOKEN)")
  .showHelpAfterError()
  .exitOverride();

registerControllerCommands(program);
registerSessionCommands(program);
registerResourceCommands(program);
registerInvitationCommands(program);
registerHostCommands(program);
registerEnergyCommands(program);
registerImageJobCommands(program);
registerBillingCommands(program);
registerResellerCommands(program);
registerTicketCommands(program);
registerWebhookCommands(program);
registerSignupCommands(program);
registerAgentCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof CliError) {
    process.stderr.write(`Error: ${err.message}\n`);
    if (err.hint) process.stderr.write(`Hint: ${err.hint}\n`);
    process.exit(err.exitCode);
  }
  // The controller's ConfigError, matched by name: importing the controller here would load it
  // (Fastify, PGlite) for every command.
  if (err instanceof Error && err.name === "ConfigError") {
    process.stderr.write(`Error: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
