// The agent, the guest builders and pino load only when `agent` runs: every other command
// stays quick to start (docs/architecture.md, "CLI").
import type { Accelerator, AgentOptions, RunningAgent } from "@layerboom/agent";
import type { Command } from "commander";
import type { CliEnv } from "../cli-io.js";
import { cliIo } from "../cli-io.js";
import { CliError } from "../errors.js";

interface AgentFlags {
  join?: string;
  stateDir?: string;
  runDir?: string;
  accelerator?: string;
  orphanGrace?: string;
  energyInterval?: string;
  powerProfile?: string;
  bridge?: string[];
  logLevel?: string;
}

/** Commander collector for a repeatable option. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The bridges from `--bridge` flags, else from LAYERBOOM_AGENT_BRIDGES (comma-separated). */
function bridgesFrom(flags: AgentFlags, env: CliEnv): string[] {
  const given =
    flags.bridge && flags.bridge.length > 0
      ? flags.bridge
      : (env["LAYERBOOM_AGENT_BRIDGES"] ?? "").split(",");
  return [...new Set(given.map((b) => b.trim()).filter((b) => b !== ""))];
}

/** The accelerator probe needs a guest to boot; the tiny guest is built from Debian packages and cached. */
async function probeGuest(): Promise<AgentOptions["probeGuest"]> {
  const { ensureTinyGuest } = await import("@layerboom/guests");
  const tiny = await ensureTinyGuest();
  return { kernel: tiny.kernel, initrd: tiny.initrd, append: tiny.append, readyPattern: tiny.readyPattern };
}

/** Builds the agent options from flags (and their environment equivalents). */
export async function agentOptionsFrom(
  controllerUrl: string,
  flags: AgentFlags,
  env: CliEnv,
): Promise<AgentOptions> {
  const accel = flags.accelerator ?? env["LAYERBOOM_ACCELERATOR"] ?? "auto";
  if (!["auto", "kvm", "tcg"].includes(accel))
    throw new CliError(`--accelerator must be auto, kvm or tcg, not "${accel}".`);
  const graceText = flags.orphanGrace ?? env["LAYERBOOM_ORPHAN_GRACE_SECONDS"];
  const grace = graceText === undefined ? undefined : Number(graceText);
  if (grace !== undefined && !(Number.isFinite(grace) && grace >= 0))
    throw new CliError(`--orphan-grace must be seconds >= 0, not "${graceText}".`);
  const intervalText = flags.energyInterval ?? env["LAYERBOOM_ENERGY_INTERVAL_SECONDS"];
  const interval = intervalText === undefined ? undefined : Number(intervalText);
  if (interval !== undefined && !(Number.isFinite(interval) && interval >= 0.1 && interval <= 3600))
    throw new CliError(`--energy-interval must be seconds between 0.1 and 3600, not "${intervalText}".`);
  const { GENERIC_POWER_PROFILES } = await import("@layerboom/agent");
  const profileId = flags.powerProfile ?? env["LAYERBOOM_POWER_PROFILE"];
  if (profileId !== undefined && !GENERIC_POWER_PROFILES.some((p) => p.id === profileId)) {
    throw new CliError(
      `--power-profile "${profileId}" is unknown; use one of ${GENERIC_POWER_PROFILES.map((p) => p.id).join(", ")}.`,
    );
  }
  const { default: pino } = await import("pino");
  const { logStream } = await import("../log-stream.js");
  const logger = pino({ level: flags.logLevel ?? env["LAYERBOOM_LOG_LEVEL"] ?? "info" }, await logStream(2));
  const joinToken = flags.join ?? env["LAYERBOOM_JOIN_TOKEN"];
  const bridges = bridgesFrom(flags, env);
  return {
    controllerUrl,
    ...(joinToken ? { joinToken } : {}),
    stateDir: flags.stateDir ?? env["LAYERBOOM_AGENT_STATE_DIR"] ?? "/var/lib/layerboom/agent",
    runDir: flags.runDir ?? env["LAYERBOOM_AGENT_RUN_DIR"] ?? "/run/layerboom/vms",
    ...(accel === "auto" ? { probeGuest: await probeGuest() } : { accelerator: accel as Accelerator }),
    ...(grace !== undefined ? { orphanGraceMs: grace * 1000 } : {}),
    ...(bridges.length > 0 ? { bridges } : {}),
    energy: {
      ...(interval !== undefined ? { intervalMs: Math.round(interval * 1000) } : {}),
      ...(profileId !== undefined ? { powerProfile: profileId } : {}),
    },
    logger,
  };
}

/** Stops the agent on SIGINT/SIGTERM; the VMs keep running. */
export function stopAgentOnSignal(agent: RunningAgent, also?: () => Promise<void>): void {
  // Taken now: a signal handler need not run in the run's async context.
  const { stderr } = cliIo();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stderr.write(`\n${signal}: stopping the agent (servers keep running)\n`);
    void agent
      .stop()
      .then(() => also?.())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

export function registerAgentCommand(program: Command): void {
  program
    .command("agent <controller-url>")
    .description(
      "Run the host agent: join once with --join, then converge this host to the controller's desired state",
    )
    .option("--join <token>", "one-time join token from `layerboom hosts add` (env LAYERBOOM_JOIN_TOKEN)")
    .option(
      "--state-dir <dir>",
      "credential, image cache and disks (env LAYERBOOM_AGENT_STATE_DIR, default /var/lib/layerboom/agent)",
    )
    .option(
      "--run-dir <dir>",
      "VM sockets and pidfiles (env LAYERBOOM_AGENT_RUN_DIR, default /run/layerboom/vms)",
    )
    .option("--accelerator <a>", "auto (probe), kvm or tcg (env LAYERBOOM_ACCELERATOR)")
    .option("--orphan-grace <seconds>", "how long an unowned VM is kept before it is destroyed (default 600)")
    .option("--energy-interval <seconds>", "how often host power and VM CPU time are sampled (default 10)")
    .option(
      "--power-profile <id>",
      "idle and peak watts of this host, from the generic table (default generic-1s-entry); see docs/energy.md",
    )
    .option(
      "--bridge <name>",
      "a Linux bridge servers with public IPv4 may join; repeat for several (env LAYERBOOM_AGENT_BRIDGES, comma-separated); see docs/networking.md",
      collect,
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace (env LAYERBOOM_LOG_LEVEL)")
    .action(async (controllerUrl: string, flags: AgentFlags) => {
      const { AgentConfigError, startAgent } = await import("@layerboom/agent");
      let agent: RunningAgent;
      try {
        agent = await startAgent(await agentOptionsFrom(controllerUrl, flags, cliIo().env));
      } catch (err) {
        if (err instanceof AgentConfigError) throw new CliError(err.message);
        throw err;
      }
      cliIo().stderr.write(
        `Layerboom agent for host ${agent.hostId} (accelerator ${agent.accelerator}) → ${controllerUrl}\n`,
      );
      stopAgentOnSignal(agent);
      const reason = await agent.rejected;
      await agent.stop();
      throw new CliError(
        `The controller refused this host: ${reason}.`,
        "Add it again with `layerboom hosts add` and join with the new token.",
      );
    });
}
