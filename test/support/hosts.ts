import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { QemuDriver, startAgent } from "@layerboom/agent";
import { runCli as runCliInProcess } from "@layerboom/cli";
import { newId } from "@layerboom/core";
import type { AgentOptions, RunningAgent } from "@layerboom/agent";
import { BlobStore, catalogImageFromFiles } from "@layerboom/controller";
import { ensureTinyGuest, guestImageFiles } from "@layerboom/testkit";
import type { Database } from "@layerboom/db";
import type { TinyGuest } from "@layerboom/testkit";
import { expect } from "vitest";
import WebSocket from "ws";
import type { ApiClient, TestController } from "./controller.js";
import { cliProcessArgs } from "./cli-process.js";

const repo = join(import.meta.dirname, "..", "..");

/** The controller's origin (agents dial it; the API lives under /api/v1). */
export function originOf(c: TestController): string {
  return new URL(c.url).origin;
}

/**
 * Catalogs the tiny guest as the public image `tiny`, as `layerboom up` does. `name` and
 * `extraAppend` make variants, e.g. `layerboom.busy=1` for a guest that keeps a CPU busy.
 */
export async function catalogTiny(
  c: TestController,
  variant: { name?: string; extraAppend?: string } = {},
): Promise<{ imageId: string; guest: TinyGuest }> {
  const guest = await ensureTinyGuest();
  const files = guestImageFiles(guest);
  const image = await catalogImageFromFiles(c.database, new BlobStore(c.blobDir), {
    name: variant.name ?? "tiny",
    ...files,
    ...(variant.extraAppend ? { kernelAppend: `${files.kernelAppend} ${variant.extraAppend}` } : {}),
  });
  return { imageId: image.id, guest };
}

/** Adds a host through the API and returns its id and one-time join token. */
export async function addHost(
  provider: ApiClient,
  siteId: string,
  name: string,
): Promise<{ hostId: string; joinToken: string }> {
  const res = await provider.post("/hosts", { name, site_id: siteId });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { hostId: res.body.host.id as string, joinToken: res.body.join_token as string };
}

/** Folders of one test host: short, because Unix socket paths are limited to 108 bytes. */
export interface HostFolders {
  root: string;
  stateDir: string;
  runDir: string;
}

export async function hostFolders(): Promise<HostFolders> {
  const root = await mkdtemp(join(tmpdir(), "lbh-"));
  return { root, stateDir: join(root, "state"), runDir: join(root, "run") };
}

/** Agent settings for tests: TCG, fast resync, no orphan grace. */
export function testAgentOptions(
  c: TestController,
  folders: HostFolders,
  extra: Partial<AgentOptions> = {},
): AgentOptions {
  return {
    controllerUrl: originOf(c),
    stateDir: folders.stateDir,
    runDir: folders.runDir,
    accelerator: "tcg",
    orphanGraceMs: 0,
    resyncIntervalMs: 1_000,
    gracefulStopMs: 10_000,
    ...extra,
  };
}

/** An agent in this process. */
export async function startTestAgent(
  c: TestController,
  folders: HostFolders,
  extra: Partial<AgentOptions> = {},
): Promise<RunningAgent> {
  return startAgent(testAgentOptions(c, folders, extra));
}

/** An agent in its own process (`layerboom agent`), so a test can kill -9 it. */
export function spawnAgentProcess(
  c: TestController,
  folders: HostFolders,
  joinToken?: string,
): ChildProcess & { output: () => string } {
  const args = cliProcessArgs([
    "agent",
    originOf(c),
    "--state-dir",
    folders.stateDir,
    "--run-dir",
    folders.runDir,
    "--accelerator",
    "tcg",
    "--orphan-grace",
    "0",
    "--log-level",
    "warn",
    ...(joinToken ? ["--join", joinToken] : []),
  ]);
  const child = spawn(process.execPath, args, {
    cwd: repo,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return Object.assign(child, { output: () => output });
}

/** Resolves once `read()` matches `pattern`; rejects with what it saw after `timeoutMs`. */
export async function waitForText(read: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`${pattern} never appeared; the output was:\n${read()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How a test runs the CLI: what it types, whether it needs a terminal, when it gives up. */
export interface CliRunOptions {
  /** Feeds stdin; `output` is what the command has printed so far, to wait on before typing. */
  input?: (write: (data: string) => void, output: () => string) => Promise<void>;
  /** Runs the real CLI under `script`, so it sees a terminal (raw mode, Ctrl-] to leave). */
  tty?: boolean;
  /** Gives up after this long (default 60 s); `code` is then null, as for a killed process. */
  timeoutMs?: number;
}

/** What a CLI run ended with: its exit code and stdout and stderr interleaved as written. */
export interface CliRun {
  code: number | null;
  output: string;
}

/** The CLI's environment in tests: this controller and token, and no config file of the machine's. */
function cliEnv(c: TestController, token: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LAYERBOOM_URL: originOf(c),
    LAYERBOOM_TOKEN: token,
    LAYERBOOM_CONFIG_DIR: join(tmpdir(), "lb-cli-none"),
  };
}

/**
 * Runs `layerboom <args>` with a URL and token in its environment. It runs in this process
 * (runCli of @layerboom/cli, about 4 s cheaper than a spawned one), except with `tty`, which
 * needs the real CLI in a terminal (spawnCli).
 */
export async function runCli(
  c: TestController,
  token: string,
  args: string[],
  options: CliRunOptions = {},
): Promise<CliRun> {
  if (options.tty) return spawnCli(c, token, args, options);
  let output = "";
  const write = (chunk: string | Uint8Array) => {
    output += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  };
  const stdin = new PassThrough();
  const run = runCliInProcess(args, { stdout: { write }, stderr: { write }, stdin, env: cliEnv(c, token) });
  void (async () => {
    await options.input?.(
      (data) => stdin.write(data),
      () => output,
    );
    stdin.end();
  })();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.timeoutMs ?? 60_000);
  });
  try {
    return { code: await Promise.race([run, timedOut]), output };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the real `layerboom` CLI from source in its own process, as a user's shell does; with
 * `tty`, under `script` so it sees a terminal. Slower than runCli: for what only a process shows.
 */
export function spawnCli(
  c: TestController,
  token: string,
  args: string[],
  options: CliRunOptions = {},
): Promise<CliRun> {
  const node = [process.execPath, ...cliProcessArgs(args)];
  const [cmd, ...argv] = options.tty
    ? ["script", "-qfec", node.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" "), "/dev/null"]
    : node;
  const child = spawn(cmd ?? "", argv, {
    cwd: repo,
    stdio: ["pipe", "pipe", "pipe"],
    env: cliEnv(c, token),
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const exited = new Promise<CliRun>((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
  void (async () => {
    await options.input?.(
      (data) => child.stdin.write(data),
      () => output,
    );
    if (!options.tty) child.stdin.end();
  })();
  return exited.then(async (r) => {
    await new Promise((res) => setTimeout(res, 50));
    return { code: r.code, output };
  });
}

/** Polls until `check` returns a value (not undefined), or fails with the last value seen. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits for a server to reach an observed state, and returns its record. */
export async function serverReaches(
  api: ApiClient,
  id: string,
  state: string,
  timeoutMs = 90_000,
): Promise<any> {
  let last: any;
  try {
    return await eventually(
      `server ${id} to be ${state}`,
      async () => {
        const res = await api.get(`/servers/${id}`);
        last = res.body;
        return res.status === 200 && res.body.observed_state === state ? res.body : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(last)}`);
  }
}

/** Waits until a deleted server is gone from the API (the agent confirmed its disk is gone). */
export async function serverGone(api: ApiClient, id: string, timeoutMs = 60_000): Promise<void> {
  await eventually(
    `server ${id} to be gone`,
    async () => ((await api.get(`/servers/${id}`)).status === 404 ? true : undefined),
    timeoutMs,
  );
}

/** A console session through the API's WebSocket, collecting what the guest prints. */
export interface ConsoleSession {
  text(): string;
  waitFor(pattern: RegExp, timeoutMs?: number, since?: number): Promise<RegExpExecArray>;
  send(data: string): void;
  close(): void;
  closed: Promise<{ code: number; reason: string }>;
}

export async function openConsole(
  c: TestController,
  token: string,
  serverId: string,
): Promise<ConsoleSession> {
  const url = new URL(`${c.url}/servers/${serverId}/console`);
  url.protocol = "ws:";
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  let seen = "";
  socket.on("message", (d: Buffer) => (seen += d.toString("utf8")));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_req, res) =>
      reject(new Error(`console refused: HTTP ${res.statusCode}`)),
    );
    socket.once("error", reject);
  });
  return {
    text: () => seen,
    async waitFor(pattern, timeoutMs = 60_000, since = 0) {
      return eventually(
        `${pattern} on the console`,
        async () => pattern.exec(seen.slice(since)) ?? undefined,
        timeoutMs,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; console so far:\n${seen.slice(-2000)}`);
      });
    },
    send: (data) => socket.send(Buffer.from(data)),
    close: () => socket.close(),
    closed,
  };
}

/** QEMU processes whose command line mentions `dir` (our run folder): none may outlive a test. */
export async function qemuProcessesUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    if (cmdline.startsWith("qemu-system") && cmdline.includes(dir)) {
      const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
      if (!/\) Z /.test(stat)) pids.push(Number(name));
    }
  }
  return pids;
}

/** Everything a host keeps for its VMs: runtime folders, disks and seeds. */
export async function vmFilesOf(folders: HostFolders): Promise<string[]> {
  const found: string[] = [];
  for (const dir of [folders.runDir, join(folders.stateDir, "vms")]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) found.push(join(dir, name));
  }
  return found;
}

/** Destroys whatever VMs a failed test left, so no QEMU outlives the run, then removes the folders. */
export async function sweepHost(folders: HostFolders): Promise<void> {
  const sweeper = new QemuDriver({ runDir: folders.runDir, dataDir: join(folders.stateDir, "vms") });
  for (const path of await vmFilesOf(folders))
    await sweeper.destroy(path.split("/").pop() ?? "").catch(() => undefined);
  await sweeper.close();
  await rm(folders.root, { recursive: true, force: true });
}

/**
 * A host record with no agent behind it, for tests of the REST layer: placement accepts
 * servers on it and they stay `provisioning`. It claims a heartbeat far in the future so
 * the silent-host sweep leaves it up. Nothing boots; tests of real servers use real agents.
 */
export async function addIdleHost(
  c: { database: Database },
  siteId: string,
  name = `idle-${Date.now()}`,
): Promise<string> {
  const id = newId("host");
  await c.database.db
    .insertInto("hosts")
    .values({
      id,
      site_id: siteId,
      name,
      state: "up",
      accelerator: "tcg",
      cpu_cores: 64,
      memory_mib: 1024 * 1024,
      disk_gib: 100_000,
      join_token_hash: null,
      join_expires_at: null,
      credential_hash: null,
      last_heartbeat_at: new Date(Date.now() + 24 * 3600_000),
      removed_at: null,
      connected_at: null,
    })
    .execute();
  return id;
}
