// bench/ec2: DescribeInstances through SigV4 at /ec2 against GET /api/v1/servers with a bearer
// token, on the same rows, as a ratio (issue 16: SigV4 may cost at most 20% over the bearer path).
//   npm run bench:ec2                       (PostgreSQL when it answers, else PGlite)
//   BENCH_DURATION=10 BENCH_SERVERS=10000 BENCH_DATABASES=postgres,pglite npm run bench:ec2
// Also DescribeRegions against GET /api/v1/me: authentication and framing alone, no rows.
// Two measures of each pair: requests per second under autocannon (20 connections), and CPU time
// per request of the controller and of PostgreSQL, one request at a time (BENCH_CPU_REQUESTS of
// each, from /proc), which a busy machine hardly moves; under autocannon the controller's CPU per
// request is read too (the same measure, 20 requests at a time). BENCH_LOAD=0 skips autocannon.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { SignatureV4 } from "@smithy/signature-v4";
import { issueLocalCliToken } from "@layerboom/controller";
import { openDatabase } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import type { DatabaseKind } from "@layerboom/db";
import { createScratchPostgres, postgresAvailable } from "@layerboom/testkit";
import { NodeSha256 } from "../../test/support/node-sha256.js";
import { backendTicks, backendTicksBetween, CLOCK_TICKS_PER_SECOND, processTicks } from "./cpu.js";
import { BENCH_USER, seedBenchServers } from "../seed-servers.js";

const DURATION = Number(process.env["BENCH_DURATION"] ?? 10);
const CONNECTIONS = Number(process.env["BENCH_CONNECTIONS"] ?? 20);
const SERVERS = Number(process.env["BENCH_SERVERS"] ?? 10_000);
const PAGE = 100;
const CPU_REQUESTS = Number(process.env["BENCH_CPU_REQUESTS"] ?? 2000);
/** Requests of each kind before measuring: the JIT compiles on threads of its own, counted too. */
const CPU_WARM_UP = Number(process.env["BENCH_CPU_WARM_UP"] ?? 300);
const LOAD = process.env["BENCH_LOAD"] !== "0";
const REGION = "local-1";
const root = join(import.meta.dirname, "..", "..");

interface Result {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  /** Controller CPU µs per request during the run (20 at a time, beside autocannon). */
  controllerCpu: number;
}

interface CpuResult {
  name: string;
  /** Controller CPU µs per request. */
  controller: number;
  /** PostgreSQL CPU µs per request (its backends for this database); undefined on PGlite. */
  database: number | undefined;
}

interface Probe {
  name: string;
  send(): Promise<void>;
}

/**
 * CPU per request of each probe, sent one at a time on one connection: each kind in a run of
 * its own after CPU_WARM_UP unmeasured requests, as autocannon runs them (taking turns every few
 * requests charged one kind's garbage collection to the next), in two passes, the second in
 * reverse order, so that drift in whatever else the machine runs weighs on both ends alike.
 */
async function cpuPerRequest(
  controllerPid: number,
  database: Database | undefined,
  probes: Probe[],
): Promise<CpuResult[]> {
  const spent = probes.map(() => ({ controller: 0, database: 0 }));
  const order = [...probes.keys()];
  for (const pass of [order, [...order].reverse()])
    for (const p of pass) {
      const probe = probes[p]!;
      for (let i = 0; i < CPU_WARM_UP; i++) await probe.send();
      const before = processTicks(controllerPid)!;
      const backendsBefore = database ? await backendTicks(database) : undefined;
      for (let i = 0; i < CPU_REQUESTS / 2; i++) await probe.send();
      spent[p]!.controller += processTicks(controllerPid)! - before;
      if (database && backendsBefore)
        spent[p]!.database += backendTicksBetween(backendsBefore, await backendTicks(database));
    }
  const perRequest = (ticks: number) => (ticks * 1e6) / CLOCK_TICKS_PER_SECOND / CPU_REQUESTS;
  return probes.map((probe, p) => ({
    name: probe.name,
    controller: perRequest(spent[p]!.controller),
    database: database ? perRequest(spent[p]!.database) : undefined,
  }));
}

function startController(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // BENCH_CONTROLLER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": flags for the controller's node.
    const nodeArgs = (process.env["BENCH_CONTROLLER_NODE_ARGS"] ?? "").split(" ").filter((a) => a !== "");
    const child = spawn("node", [...nodeArgs, join(root, "packages/cli/dist/main.js"), "server"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /(?:LISTENING|listening on) (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`the controller exited with ${code}: ${out}`)));
  });
}

async function load(
  name: string,
  controllerPid: number,
  url: string,
  request: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {},
): Promise<Result> {
  const before = processTicks(controllerPid)!;
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...request });
  const ticks = processTicks(controllerPid)! - before;
  return {
    name,
    requestsPerSecond: Math.round(r.requests.average),
    p99Ms: r.latency.p99,
    errors: r.non2xx + r.errors + r.timeouts,
    controllerCpu: r.requests.total > 0 ? (ticks * 1e6) / CLOCK_TICKS_PER_SECOND / r.requests.total : 0,
  };
}

async function bench(kind: DatabaseKind): Promise<{ load: Result[]; cpu: CpuResult[] }> {
  const work = mkdtempSync(join(tmpdir(), "layerboom-bench-ec2-"));
  const scratch = kind === "postgres" ? await createScratchPostgres() : undefined;
  try {
    const open = () =>
      scratch ? openDatabase({ url: scratch.location }) : openDatabase({ dataDir: join(work, "db") });
    const database = await open();
    let token: string;
    try {
      await seedBenchServers(database, SERVERS);
      token = await issueLocalCliToken(database, BENCH_USER);
    } finally {
      await database.close();
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LAYERBOOM_DATA_DIR: work,
      LAYERBOOM_PORT: "0",
      LAYERBOOM_LOG_LEVEL: "warn",
      LAYERBOOM_EC2_REGION: REGION,
    };
    if (scratch) env["DATABASE_URL"] = scratch.location;
    else delete env["DATABASE_URL"];
    const { child, url } = await startController(env);
    try {
      const bearer = { authorization: `Bearer ${token}` };
      const created = await fetch(`${url}/api/v1/ec2-credentials`, {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: JSON.stringify({ name: "bench" }),
      });
      const key = (await created.json()) as { id: string; secret_access_key: string };
      const signer = new SignatureV4({
        credentials: { accessKeyId: key.id, secretAccessKey: key.secret_access_key },
        region: REGION,
        service: "ec2",
        sha256: NodeSha256,
      });
      const endpoint = new URL(`${url}/ec2`);
      // One signed request, replayed: the controller verifies it in full every time (within
      // the 15-minute window, as EC2 does), which is the cost being measured.
      const signed = async (form: Record<string, string>) => {
        const body = new URLSearchParams({ Version: "2016-11-15", ...form }).toString();
        const request = await signer.sign({
          method: "POST",
          protocol: "http:",
          hostname: endpoint.hostname,
          port: Number(endpoint.port),
          path: endpoint.pathname,
          query: {},
          headers: {
            host: endpoint.host,
            "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          },
          body,
        });
        return { method: "POST" as const, headers: request.headers as Record<string, string>, body };
      };
      const describe = await signed({ Action: "DescribeInstances", MaxResults: String(PAGE) });
      const describeFew = await signed({ Action: "DescribeInstances", MaxResults: "5" });
      const regions = await signed({ Action: "DescribeRegions" });
      const check = await fetch(endpoint, describe);
      const text = await check.text();
      const items = text.split("<instanceId>").length - 1;
      if (check.status !== 200 || items !== PAGE)
        throw new Error(
          `DescribeInstances answered ${check.status}, ${items} instances: ${text.slice(0, 300)}`,
        );
      const rest = await (await fetch(`${url}/api/v1/servers?limit=${PAGE}`, { headers: bearer })).json();
      if ((rest as { items: unknown[] }).items.length !== PAGE)
        throw new Error("GET /servers did not answer a full page");
      const probe = (name: string, url: string, request: RequestInit): Probe => ({
        name,
        async send() {
          const res = await fetch(url, request);
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
        },
      });
      const statistics = scratch ? await openDatabase({ url: scratch.location }) : undefined;
      let cpu: CpuResult[];
      try {
        // BENCH_CPU_ONLY=<regular expression>: only the probes it matches (for a CPU profile of one).
        const only = new RegExp(process.env["BENCH_CPU_ONLY"] ?? "");
        cpu = await cpuPerRequest(
          child.pid!,
          statistics,
          [
            probe(`GET /api/v1/servers?limit=${PAGE}`, `${url}/api/v1/servers?limit=${PAGE}`, {
              headers: bearer,
            }),
            probe(`DescribeInstances MaxResults=${PAGE}`, endpoint.href, describe),
            probe("GET /api/v1/servers?limit=5", `${url}/api/v1/servers?limit=5`, { headers: bearer }),
            probe("DescribeInstances MaxResults=5", endpoint.href, describeFew),
            probe("GET /api/v1/me", `${url}/api/v1/me`, { headers: bearer }),
            probe("DescribeRegions", endpoint.href, regions),
          ].filter((p) => only.test(p.name)),
        );
      } finally {
        await statistics?.close();
      }
      if (!LOAD) return { load: [], cpu: cpu.map((r) => ({ ...r, name: `${kind}: ${r.name}` })) };
      const loadOn = (name: string, target: string, request?: Parameters<typeof load>[3]) =>
        load(name, child.pid!, target, request);
      await loadOn("warm-up", `${url}/api/v1/servers?limit=${PAGE}`, { headers: bearer });
      await loadOn("warm-up", endpoint.href, describe);
      const loadResults = [
        await loadOn(
          `${kind}: GET /api/v1/servers?limit=${PAGE} (bearer)`,
          `${url}/api/v1/servers?limit=${PAGE}`,
          { headers: bearer },
        ),
        await loadOn(`${kind}: DescribeInstances MaxResults=${PAGE} (SigV4)`, endpoint.href, describe),
        await loadOn(`${kind}: GET /api/v1/servers?limit=5 (bearer)`, `${url}/api/v1/servers?limit=5`, {
          headers: bearer,
        }),
        await loadOn(`${kind}: DescribeInstances MaxResults=5 (SigV4)`, endpoint.href, describeFew),
        await loadOn(`${kind}: GET /api/v1/me (bearer)`, `${url}/api/v1/me`, { headers: bearer }),
        await loadOn(`${kind}: DescribeRegions (SigV4)`, endpoint.href, regions),
      ];
      return { load: loadResults, cpu: cpu.map((r) => ({ ...r, name: `${kind}: ${r.name}` })) };
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  } finally {
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

const wanted = (process.env["BENCH_DATABASES"] ?? "postgres").split(",") as DatabaseKind[];
const kinds = (await postgresAvailable()) ? wanted : wanted.filter((k) => k !== "postgres");
const results: Result[] = [];
const cpuResults: CpuResult[] = [];
for (const kind of kinds.length > 0 ? kinds : (["pglite"] as DatabaseKind[])) {
  const { load: l, cpu } = await bench(kind);
  results.push(...l);
  cpuResults.push(...cpu);
}

const ratio = (bearer: number, sigv4: number) => (bearer > 0 ? (sigv4 / bearer).toFixed(2) : "");
console.log(
  `\nbench/ec2: CPU per request, one request at a time, ${CPU_REQUESTS} of each, ${SERVERS} servers\n`,
);
console.log(
  "| request | controller µs | PostgreSQL µs | SigV4 ÷ bearer, controller | SigV4 ÷ bearer, both |",
);
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [i, r] of cpuResults.entries()) {
  const bearer = i % 2 === 1 ? cpuResults[i - 1] : undefined;
  const both = (x: CpuResult) => x.controller + (x.database ?? 0);
  console.log(
    `| ${r.name} | ${r.controller.toFixed(0)} | ${r.database === undefined ? "–" : r.database.toFixed(0)} | ${bearer ? ratio(bearer.controller, r.controller) : ""} | ${bearer ? ratio(both(bearer), both(r)) : ""} |`,
  );
}
if (results.length === 0) process.exit(0);

console.log(
  `\nbench/ec2: ${CONNECTIONS} connections, ${DURATION} s per run, ${SERVERS} servers, pages of ${PAGE}\n`,
);
console.log(
  "| run | req/s | p99 ms | errors | controller µs/request | bearer req/s ÷ SigV4 req/s | SigV4 ÷ bearer, controller µs |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [i, r] of results.entries()) {
  const pairedWith = i % 2 === 1 ? results[i - 1] : undefined;
  const ratio = pairedWith ? (pairedWith.requestsPerSecond / r.requestsPerSecond).toFixed(2) : "";
  const cpuRatio = pairedWith ? (r.controllerCpu / pairedWith.controllerCpu).toFixed(2) : "";
  console.log(
    `| ${r.name} | ${r.requestsPerSecond} | ${r.p99Ms} | ${r.errors} | ${r.controllerCpu.toFixed(0)} | ${ratio} | ${cpuRatio} |`,
  );
}
