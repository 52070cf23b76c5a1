// bench/api: drives the running controller over loopback with autocannon.
//   npm run bench:api            (both databases)
//   BENCH_DURATION=10 npm run bench:api
// Prints req/s and p99 for an authenticated GET /servers/{id} and for a 100-item page
// over 100,000 server rows, beside a bare Fastify hello-world measured in the same run.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { issueLocalCliToken } from "@layerboom/controller";
import { openDatabase } from "@layerboom/db";
import type { DatabaseKind } from "@layerboom/db";
import { createScratchPostgres, postgresAvailable } from "@layerboom/testkit";
import { seedBenchServers } from "../seed-servers.js";

const DURATION = Number(process.env["BENCH_DURATION"] ?? 10);
const CONNECTIONS = Number(process.env["BENCH_CONNECTIONS"] ?? 20);
const SERVERS = Number(process.env["BENCH_SERVERS"] ?? 100_000);
const root = join(import.meta.dirname, "..", "..");

interface Result {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
}

function startProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /(?:LISTENING|listening on) (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`${cmd} exited with ${code}: ${out}`)));
  });
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const bad = r.non2xx + r.errors + r.timeouts;
  return { name, requestsPerSecond: Math.round(r.requests.average), p99Ms: r.latency.p99, errors: bad };
}

/** Seeds the database with 100,000 servers in one customer account and returns what the load needs. */
async function seed(
  open: () => ReturnType<typeof openDatabase>,
): Promise<{ token: string; serverId: string }> {
  const database = await open();
  try {
    const { providerAdminId } = await seedBenchServers(database, SERVERS);
    const token = await issueLocalCliToken(database, providerAdminId);
    return { token, serverId: `srv_${String(Math.floor(SERVERS / 2)).padStart(26, "0")}` };
  } finally {
    await database.close();
  }
}

async function benchController(kind: DatabaseKind): Promise<Result[]> {
  const work = mkdtempSync(join(tmpdir(), "layerboom-bench-"));
  const scratch = kind === "postgres" ? await createScratchPostgres() : undefined;
  try {
    const open = () =>
      scratch ? openDatabase({ url: scratch.location }) : openDatabase({ dataDir: join(work, "db") });
    const { token, serverId } = await seed(open);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LAYERBOOM_DATA_DIR: work,
      LAYERBOOM_PORT: "0",
      LAYERBOOM_LOG_LEVEL: "warn",
    };
    if (scratch) env["DATABASE_URL"] = scratch.location;
    else delete env["DATABASE_URL"];
    const { child, url } = await startProcess(
      "node",
      [join(root, "packages/cli/dist/main.js"), "server"],
      env,
    );
    try {
      const auth = { authorization: `Bearer ${token}` };
      await load("warm-up", `${url}/api/v1/servers/${serverId}`, auth);
      return [
        await load(`${kind}: GET /servers/{id}`, `${url}/api/v1/servers/${serverId}`, auth),
        await load(
          `${kind}: GET /servers?limit=100 (of ${SERVERS})`,
          `${url}/api/v1/servers?limit=100`,
          auth,
        ),
      ];
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  } finally {
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

const { child: hello, url: helloUrl } = await startProcess(
  "node",
  ["--import", "tsx", join(import.meta.dirname, "hello-fastify.ts")],
  process.env,
);
const floor = await load("bare Fastify hello-world", helloUrl);
hello.kill("SIGTERM");

const results: Result[] = [floor];
const wanted = (process.env["BENCH_DATABASES"] ?? "postgres,pglite").split(",") as DatabaseKind[];
const kinds = (await postgresAvailable()) ? wanted : wanted.filter((k) => k !== "postgres");
for (const kind of kinds) results.push(...(await benchController(kind)));

console.log(`\nbench/api: ${CONNECTIONS} connections, ${DURATION} s per run, ${SERVERS} server rows\n`);
console.log("| run | req/s | p99 ms | vs bare Fastify | errors |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const r of results) {
  const ratio = (r.requestsPerSecond / floor.requestsPerSecond).toFixed(2);
  console.log(`| ${r.name} | ${r.requestsPerSecond} | ${r.p99Ms} | ${ratio} | ${r.errors} |`);
}
