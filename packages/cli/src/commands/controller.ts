// The controller (Fastify, PGlite) and the local host load only when `server` or `up` runs,
// so that every other command starts quickly.
import type { ControllerOptions, RunningController } from "@layerboom/controller";
import type { Command } from "commander";
import { cliIo } from "../cli-io.js";
import { readConfig, writeConfig } from "../config.js";
import { stopAgentOnSignal } from "./agent.js";

interface ServeFlags {
  debianImage?: boolean;
  dataDir?: string;
  port?: string;
  host?: string;
  logLevel?: string;
  metricsListen?: string;
  trustProxy?: string;
  outboundAllow?: string;
  dnsServers?: string;
  ec2Region?: string;
}

function addServeOptions(cmd: Command): Command {
  return cmd
    .option(
      "--data-dir <dir>",
      "data folder for the embedded database (env LAYERBOOM_DATA_DIR, default ./.data)",
    )
    .option("--port <port>", "HTTP port (env LAYERBOOM_PORT, default 8080)")
    .option("--host <address>", "listen address (env LAYERBOOM_HOST, default 127.0.0.1)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace (env LAYERBOOM_LOG_LEVEL)")
    .option(
      "--metrics-listen <host:port>",
      "serve /metrics on its own address, such as 127.0.0.1:9464 (env LAYERBOOM_METRICS_LISTEN; or set LAYERBOOM_METRICS_TOKEN)",
    )
    .option(
      "--trust-proxy <proxies>",
      "believe X-Forwarded-* from: false (default), true, a hop count, or proxy addresses/CIDRs, comma-separated (env LAYERBOOM_TRUST_PROXY)",
    )
    .option(
      "--outbound-allow <entries>",
      "hosts and ranges image imports and webhooks may reach although not public, such as mirror.internal,10.0.0.0/8,127.0.0.1:9000 (env LAYERBOOM_OUTBOUND_ALLOW, default none)",
    )
    .option(
      "--dns-servers <servers>",
      "DNS servers for names tenants give, address[:port], comma-separated (env LAYERBOOM_DNS_SERVERS, default the system's)",
    )
    .option(
      "--ec2-region <name>",
      "the region name of the EC2 API at /ec2, which SigV4 signatures are scoped to (env LAYERBOOM_EC2_REGION, default local-1)",
    );
}

function toOptions(flags: ServeFlags): ControllerOptions {
  return {
    dataDir: flags.dataDir,
    port: flags.port,
    host: flags.host,
    logLevel: flags.logLevel,
    metricsListen: flags.metricsListen,
    trustProxy: flags.trustProxy,
    outboundAllow: flags.outboundAllow,
    dnsServers: flags.dnsServers,
    ec2Region: flags.ec2Region,
  };
}

/** Closes the controller on SIGINT/SIGTERM so the embedded database is flushed. */
function closeOnSignal(running: RunningController): void {
  // Taken now: a signal handler need not run in the run's async context.
  const { stderr } = cliIo();
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    stderr.write(`\n${signal}: shutting down\n`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

export function registerControllerCommands(program: Command): void {
  addServeOptions(
    program
      .command("server")
      .description(
        "Run the controller alone (REST API, agent channel, workers). DATABASE_URL selects PostgreSQL.",
      ),
  ).action(async (flags: ServeFlags) => {
    const { compileControllerOptions, startController } = await import("@layerboom/controller");
    const options = compileControllerOptions(toOptions(flags));
    const running = await startController(options);
    const { stdout } = cliIo();
    const admin = running.bootstrap.firstAdmin;
    if (admin) {
      stdout.write(`First provider admin: ${admin.email}\n`);
      if (admin.generatedPassword) stdout.write(`Password (shown once): ${admin.generatedPassword}\n`);
    }
    stdout.write(`Layerboom controller listening on ${running.url}\n`);
    closeOnSignal(running);
  });

  addServeOptions(
    program
      .command("up")
      .description(
        "Everything on one machine: the controller on the embedded database, a first admin, a site `local`, three demo plans, the `tiny` and `debian-12` images and a local agent",
      )
      .option("--no-debian-image", "do not build the debian-12 image (env LAYERBOOM_DEBIAN_IMAGE=0)"),
  ).action(async (flags: ServeFlags) => {
    const { compileControllerOptions, issueLocalCliToken, seedDemoCatalog, startController } =
      await import("@layerboom/controller");
    const { catalogDebianInBackground, startLocalHost } = await import("./local-host.js");
    const options = compileControllerOptions(toOptions(flags));
    const running = await startController(options);
    await seedDemoCatalog(running.database, Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
    let agent;
    try {
      agent = await startLocalHost(running, options.dataDir, options.logLevel);
    } catch (err) {
      await running.close();
      throw err;
    }
    const io = cliIo();
    const admin = running.bootstrap.firstAdmin;
    const out = (s: string) => io.stdout.write(`${s}\n`);
    out("");
    out(`  Layerboom is up at ${running.url}`);
    out(`  Data folder: ${options.dataDir}`);
    out(
      `  Local host ${agent.hostId} runs guests with ${agent.accelerator.toUpperCase()}; the \`tiny\` image is in the catalog.`,
    );
    if (admin) {
      out("");
      out("  First provider admin (shown once, write it down):");
      out(`    email:    ${admin.email}`);
      if (admin.generatedPassword) out(`    password: ${admin.generatedPassword}`);
      const existing = await readConfig(io.env);
      if (!existing.token || existing.url === running.url) {
        const token = await issueLocalCliToken(running.database, admin.userId);
        const path = await writeConfig({ url: running.url, token }, io.env);
        out(`  The local CLI is logged in as this admin (${path}).`);
      } else {
        out(`  Your CLI config points at ${existing.url}; log in here with:`);
        out(`    layerboom login ${running.url} --email ${admin.email} --password-stdin`);
      }
    }
    out("");
    out("  Try:  ./layerboom plans list    ./layerboom servers list");
    out("        ./layerboom servers create demo --plan nano --image tiny --account <customer-account-id>");
    out("");
    if (flags.debianImage !== false && io.env["LAYERBOOM_DEBIAN_IMAGE"] !== "0") {
      out("  Building the `debian-12` image in the background (a few minutes the first time)...");
      catalogDebianInBackground(running, out);
    }
    stopAgentOnSignal(agent, () => running.close());
  });
}
