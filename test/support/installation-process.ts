import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { openDatabase } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import { cliProcessArgs } from "./cli-process.js";
import { ADMIN_PASSWORD, apiClient } from "./controller.js";
import type { ApiClient } from "./controller.js";

const repo = join(import.meta.dirname, "../..");

/**
 * A whole installation's controller in its own process (`layerboom server`), optionally inside a
 * network namespace, so a test can kill it with SIGKILL and start it again on the same data, as
 * an operator's service manager would.
 */
export interface ControllerProcess {
  /** The address the test reaches it at, with `/api/v1`. */
  api: string;
  /** The origin the test reaches it at. */
  origin: string;
  adminEmail: string;
  /** Running now? */
  running(): boolean;
  /** Everything it printed since its last start. */
  output(): string;
  /** Starts it (again); `crashAt` arms a crash point (LAYERBOOM_CRASH_AT) for this run. */
  start(crashAt?: string): Promise<void>;
  /** Resolves with the signal or exit code once it has exited. */
  exited(): Promise<NodeJS.Signals | number | null>;
  /** SIGTERM, and waits for it to exit. */
  stop(): Promise<void>;
  /** SIGKILL: a power cut. */
  kill9(): Promise<void>;
  /** Reads or writes its database: any time on PostgreSQL, while it is down on PGlite (one process at a time). */
  inspect<T>(read: (db: Database) => Promise<T>): Promise<T>;
  /** The provider admin's API client and token (a fresh token from the admin's password). */
  admin(): Promise<{ api: ApiClient; token: string }>;
}

export interface ControllerProcessOptions {
  dataDir: string;
  /** PostgreSQL; without it, PGlite in the data folder. */
  databaseUrl?: string | undefined;
  /** Runs it inside this network namespace (`ip netns exec`). */
  netns?: string | undefined;
  /** Listen address and port inside its namespace. */
  host: string;
  port: number;
  /** Where the test reaches it: host[:port] as seen from the test's namespace. */
  reachAt: string;
  adminEmail: string;
  env?: Record<string, string>;
}

export function controllerProcess(options: ControllerProcessOptions): ControllerProcess {
  let child: (ChildProcess & { exitedWith: Promise<NodeJS.Signals | number | null> }) | undefined;
  let printed = "";
  const origin = `http://${options.reachAt}`;
  const api = `${origin}/api/v1`;

  const self: ControllerProcess = {
    api,
    origin,
    adminEmail: options.adminEmail,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    output: () => printed,
    async start(crashAt) {
      if (self.running()) throw new Error("already running");
      printed = "";
      const args = cliProcessArgs([
        "server",
        "--host",
        options.host,
        "--port",
        String(options.port),
        "--data-dir",
        options.dataDir,
        "--log-level",
        "warn",
      ]);
      const [command, argv] = options.netns
        ? ["ip", ["netns", "exec", options.netns, process.execPath, ...args]]
        : [process.execPath, args];
      const spawned = spawn(command, argv, {
        cwd: repo,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          LAYERBOOM_ADMIN_EMAIL: options.adminEmail,
          LAYERBOOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
          DATABASE_URL: options.databaseUrl ?? "",
          LAYERBOOM_CRASH_AT: crashAt ?? "",
          ...options.env,
        },
      });
      const exitedWith = new Promise<NodeJS.Signals | number | null>((resolve) =>
        spawned.once("exit", (code, signal) => resolve(signal ?? code)),
      );
      child = Object.assign(spawned, { exitedWith });
      spawned.stdout.on("data", (d: Buffer) => (printed += d.toString()));
      spawned.stderr.on("data", (d: Buffer) => (printed += d.toString()));
      // Ready once it answers over the network the test reaches it by.
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (!self.running()) throw new Error(`controller exited at start:\n${printed}`);
        const ok = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`controller did not start:\n${printed}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    exited: () => child?.exitedWith ?? Promise.resolve(null),
    async stop() {
      if (!self.running()) return;
      child!.kill("SIGTERM");
      await child!.exitedWith;
    },
    async kill9() {
      if (!self.running()) return;
      child!.kill("SIGKILL");
      await child!.exitedWith;
    },
    async inspect(read) {
      if (self.running() && !options.databaseUrl)
        throw new Error("inspect() needs the controller down on PGlite");
      const db = await openDatabase(
        options.databaseUrl ? { url: options.databaseUrl } : { dataDir: join(options.dataDir, "db") },
      );
      try {
        return await read(db);
      } finally {
        await db.close();
      }
    },
    async admin() {
      const res = await apiClient(api).post("/auth/token", {
        email: options.adminEmail,
        password: ADMIN_PASSWORD,
      });
      if (res.status !== 201) throw new Error(`admin login: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      const token = res.body.token as string;
      return { api: apiClient(api, token), token };
    },
  };
  return self;
}

/** The same database reached over PostgreSQL's Unix socket: a process in another network namespace cannot reach 127.0.0.1. */
export function overUnixSocket(databaseUrl: string, socketDir = "/var/run/postgresql"): string {
  const url = new URL(databaseUrl);
  // node-postgres takes the `host` parameter over the URL's host: a folder means its socket.
  url.port = "";
  url.searchParams.set("host", socketDir);
  return url.toString();
}
