import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { createScratchPostgres } from "@layerboom/testkit";
import { cliProcessArgs } from "./cli-process.js";
import { controllerProcess, overUnixSocket } from "./installation-process.js";
import type { ControllerProcess } from "./installation-process.js";

const repo = join(import.meta.dirname, "../..");

/**
 * Two independent installations on one machine, each in its own network namespace, that reach
 * each other only over one veth pair (issue 17's proof): A on PGlite, B on PostgreSQL (over its
 * Unix socket, the one way out of B's namespace), each with its own data folder, secret key and
 * identity. The test reaches each through a management link of its own (root namespace ↔ that
 * namespace); nothing is forwarded between the links, so A has no route to B but the pair.
 *
 *   nsA 10.231.0.1 ═══ veth pair ═══ 10.231.0.2 nsB        (the federation link)
 *   nsA 10.231.1.1 ── root 10.231.1.2                      (the test → A)
 *   nsB 10.231.2.1 ── root 10.231.2.2                      (the test → B)
 */
export interface FederatedPair {
  a: ControllerProcess;
  b: ControllerProcess;
  /** The URL each installation's peers call it by (its profile URL): its end of the pair. */
  peerUrlA: string;
  peerUrlB: string;
  netnsA: string;
  netnsB: string;
  /** Starts a real agent for B's host inside B's namespace (`layerboom agent`), joined with `joinToken`. */
  startAgentB(joinToken: string): Promise<AgentProcess>;
  /** Cuts the federation link (both ends down) or restores it: B unreachable from A, and back. */
  setLinkUp(up: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface AgentProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
  stateDir: string;
}

const PORT = 8080;

function ip(args: string[]): Promise<unknown> {
  return runProgram("ip", args, { timeoutMs: 15_000 });
}

export async function startFederatedPair(): Promise<FederatedPair> {
  const hex = randomBytes(2).toString("hex");
  const netnsA = `lbfa${hex}`;
  const netnsB = `lbfb${hex}`;
  const pairA = `lbp${hex}a`;
  const pairB = `lbp${hex}b`;
  const mgmtA = `lbm${hex}a`;
  const mgmtB = `lbm${hex}b`;
  const dataA = await mkdtemp(join(tmpdir(), "lb-fed-a-"));
  const dataB = await mkdtemp(join(tmpdir(), "lb-fed-b-"));
  const scratch = await createScratchPostgres();
  const agents: AgentProcess[] = [];
  let a: ControllerProcess | undefined;
  let b: ControllerProcess | undefined;

  async function close(): Promise<void> {
    for (const agent of agents) await agent.stop().catch(() => undefined);
    await a?.stop().catch(() => undefined);
    await b?.stop().catch(() => undefined);
    // Deleting a namespace deletes its ends of the veth pairs, and so the pairs.
    for (const ns of [netnsA, netnsB]) await ip(["netns", "del", ns]).catch(() => undefined);
    await scratch.drop().catch(() => undefined);
    await rm(dataA, { recursive: true, force: true });
    await rm(dataB, { recursive: true, force: true });
  }

  try {
    await ip(["netns", "add", netnsA]);
    await ip(["netns", "add", netnsB]);
    for (const ns of [netnsA, netnsB]) await ip(["-n", ns, "link", "set", "lo", "up"]);
    // The federation link.
    await ip(["link", "add", pairA, "netns", netnsA, "type", "veth", "peer", "name", pairB, "netns", netnsB]);
    await ip(["-n", netnsA, "addr", "add", "10.231.0.1/30", "dev", pairA]);
    await ip(["-n", netnsB, "addr", "add", "10.231.0.2/30", "dev", pairB]);
    await ip(["-n", netnsA, "link", "set", pairA, "up"]);
    await ip(["-n", netnsB, "link", "set", pairB, "up"]);
    // The test's management links.
    for (const [ns, dev, inside, outside] of [
      [netnsA, mgmtA, "10.231.1.1", "10.231.1.2"],
      [netnsB, mgmtB, "10.231.2.1", "10.231.2.2"],
    ] as const) {
      await ip(["link", "add", dev, "type", "veth", "peer", "name", `${dev}n`, "netns", ns]);
      await ip(["addr", "add", `${outside}/30`, "dev", dev]);
      await ip(["link", "set", dev, "up"]);
      await ip(["-n", ns, "addr", "add", `${inside}/30`, "dev", `${dev}n`]);
      await ip(["-n", ns, "link", "set", `${dev}n`, "up"]);
    }

    a = controllerProcess({
      dataDir: dataA,
      netns: netnsA,
      host: "0.0.0.0",
      port: PORT,
      reachAt: `10.231.1.1:${PORT}`,
      adminEmail: "admin@a.test",
    });
    b = controllerProcess({
      dataDir: dataB,
      databaseUrl: overUnixSocket(scratch.location),
      netns: netnsB,
      host: "0.0.0.0",
      port: PORT,
      reachAt: `10.231.2.1:${PORT}`,
      adminEmail: "admin@b.test",
    });
    await Promise.all([a.start(), b.start()]);
  } catch (err) {
    await close();
    throw err;
  }

  return {
    a,
    b,
    peerUrlA: `http://10.231.0.1:${PORT}`,
    peerUrlB: `http://10.231.0.2:${PORT}`,
    netnsA,
    netnsB,
    async startAgentB(joinToken) {
      const root = await mkdtemp(join(tmpdir(), "lbfh-"));
      const stateDir = join(root, "state");
      const args = cliProcessArgs([
        "agent",
        `http://127.0.0.1:${PORT}`,
        "--state-dir",
        stateDir,
        "--run-dir",
        join(root, "run"),
        "--accelerator",
        "tcg",
        "--orphan-grace",
        "0",
        "--log-level",
        "warn",
        "--join",
        joinToken,
      ]);
      const child = spawn("ip", ["netns", "exec", netnsB, process.execPath, ...args], {
        cwd: repo,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env },
      });
      let printed = "";
      child.stdout.on("data", (d: Buffer) => (printed += d.toString()));
      child.stderr.on("data", (d: Buffer) => (printed += d.toString()));
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const agent: AgentProcess = {
        child,
        stateDir,
        output: () => printed,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
            await exited;
            clearTimeout(timer);
          }
          // Whatever QEMU it left (a guest outlives its agent by design) goes with the test.
          await runProgram("pkill", ["-9", "-f", root]).catch(() => undefined);
          await rm(root, { recursive: true, force: true });
        },
      };
      agents.push(agent);
      return agent;
    },
    async setLinkUp(up) {
      const state = up ? "up" : "down";
      await ip(["-n", netnsA, "link", "set", pairA, state]);
      await ip(["-n", netnsB, "link", "set", pairB, state]);
    },
    close,
  };
}
