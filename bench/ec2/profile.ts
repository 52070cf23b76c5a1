// bench/ec2/profile.ts: where one DescribeInstances request spends its time, stage by stage,
// beside GET /api/v1/servers on the same rows (docs/benchmarks.md, "bench/ec2"). In one
// process, one call at a time (app.inject for whole requests), every stage interleaved with the
// others; the controller's CPU time per call, and PostgreSQL's from /proc.
//   npx tsx --conditions=layerboom-source bench/ec2/profile.ts      (PostgreSQL when it answers)
//   BENCH_DATABASES=postgres,pglite BENCH_ROUNDS=500 npx tsx --conditions=layerboom-source bench/ec2/profile.ts
//   BENCH_PLANS=1 …   also prints PostgreSQL's plan of each query
//   BENCH_LOOP=ec2 BENCH_LOOP_S=10 node --import tsx --conditions=layerboom-source --cpu-prof bench/ec2/profile.ts
//                     only whole DescribeInstances requests (or `rest`), for a CPU profile
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";
import { CompiledQuery } from "kysely";
import type { KyselyPlugin, RootOperationNode } from "kysely";
import { buildApp, issueLocalCliToken } from "@layerboom/controller";
import type { App } from "@layerboom/controller";
import type { InjectOptions } from "fastify";
import { openDatabase } from "@layerboom/db";
import type { Database, DatabaseKind } from "@layerboom/db";
import { createScratchPostgres, postgresAvailable } from "@layerboom/testkit";
import { NodeSha256 } from "../../test/support/node-sha256.js";
import { SecretBox } from "../../packages/controller/src/base/secret-box.js";
import { EC2_ACTIONS } from "../../packages/controller/src/ec2/actions.js";
import { accessKeyHolder } from "../../packages/controller/src/ec2/access-keys.js";
import { findInstances } from "../../packages/controller/src/ec2/instance-queries.js";
import { reservationsXml } from "../../packages/controller/src/ec2/instance-view.js";
import { Ec2Params } from "../../packages/controller/src/ec2/query-params.js";
import {
  checkSignatureScope,
  parseAuthorization,
  verifySignature,
} from "../../packages/controller/src/ec2/sigv4.js";
import { ec2ResponseXml, xmlList } from "../../packages/controller/src/ec2/xml.js";
import { listServers } from "../../packages/controller/src/servers/servers.js";
import { BENCH_USER, seedBenchServers } from "../seed-servers.js";

const SERVERS = Number(process.env["BENCH_SERVERS"] ?? 10_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 300);
const REGION = "local-1";
/** USER_HZ: the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = 100;

/** One thing timed, for a page size. */
interface Stage {
  label: string;
  run(limit: number): unknown;
  /** Whether it queries the database: its database CPU is measured too. */
  database?: boolean;
}

/** CPU ticks so far of the PostgreSQL backends serving `database` (from /proc: same machine). */
async function backendCpuTicks(database: Database): Promise<number | undefined> {
  if (database.kind !== "postgres") return undefined;
  const { rows } = await database.db.executeQuery<{ pid: number }>(
    CompiledQuery.raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"),
  );
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined;
    }
  }
  return ticks;
}

/** PostgreSQL's CPU µs per call of `fn`, over ROUNDS sequential calls (ticks are 10 ms: a mean). */
async function databaseCpu(database: Database, fn: () => unknown): Promise<number | undefined> {
  const before = await backendCpuTicks(database);
  for (let i = 0; i < ROUNDS; i++) await fn();
  const after = await backendCpuTicks(database);
  return before === undefined || after === undefined
    ? undefined
    : ((after - before) * 1e6) / CLOCK_TICKS / ROUNDS;
}

/**
 * Every stage at both page sizes, ROUNDS times round-robin after ROUNDS / 5 untimed rounds:
 * interleaved, so that whatever else the shared machine runs meanwhile weighs on all of them
 * alike. The median wall time, and the mean CPU time of this process (user + system, every
 * thread, garbage collection included).
 */
async function interleaved(stages: Stage[]): Promise<Map<number, { wall: number; cpu: number }>[]> {
  const samples = stages.map(() => new Map([100, 5].map((l) => [l, { walls: [] as number[], cpu: 0 }])));
  for (let round = -Math.floor(ROUNDS / 5); round < ROUNDS; round++)
    for (const [i, stage] of stages.entries())
      for (const limit of [100, 5]) {
        const cpuBefore = process.cpuUsage();
        const start = process.hrtime.bigint();
        await stage.run(limit);
        const wall = Number(process.hrtime.bigint() - start) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        if (round < 0) continue;
        const s = samples[i]!.get(limit)!;
        s.walls.push(wall);
        s.cpu += cpu.user + cpu.system;
      }
  return samples.map(
    (byLimit) =>
      new Map(
        [...byLimit].map(([limit, s]) => [
          limit,
          { wall: s.walls.sort((a, b) => a - b)[Math.floor(s.walls.length / 2)]!, cpu: s.cpu / ROUNDS },
        ]),
      ),
  );
}

async function inject(app: App, options: InjectOptions): Promise<string> {
  const res = await app.inject(options);
  if (res.statusCode !== 200) throw new Error(`${res.statusCode}: ${res.body.slice(0, 300)}`);
  return res.body;
}

/** The SQL a service runs, caught on its way to the database (for EXPLAIN). */
function capturing(database: Database): { database: Database; last: () => CompiledQuery } {
  let node: { node: RootOperationNode; queryId: Parameters<KyselyPlugin["transformQuery"]>[0]["queryId"] };
  let compiled: CompiledQuery | undefined;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      node = args;
      compiled = undefined;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return {
    database: {
      ...database,
      db: database.db.withPlugin(plugin),
      prepared: (query) => {
        compiled = query;
        return database.prepared(query);
      },
    },
    last: () => compiled ?? database.db.getExecutor().compileQuery(node.node, node.queryId),
  };
}

/** A parameter as an SQL literal, for EXECUTE. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(", ")}]`;
  if (typeof value === "number") return String(value);
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Planning and execution time of `query` as PostgreSQL reports them: once as a plain query
 * (planned every time), then as a prepared statement on one connection, its 7th execution
 * (PostgreSQL tries custom plans 5 times before it may settle on a generic one).
 */
async function explain(database: Database, label: string, query: CompiledQuery): Promise<void> {
  const times = (rows: { "QUERY PLAN": string }[]) =>
    rows
      .map((r) => r["QUERY PLAN"])
      .filter((l) => /^(Planning|Execution) Time/.test(l))
      .join(", ");
  const plain = await database.db.executeQuery<{ "QUERY PLAN": string }>(
    CompiledQuery.raw(`EXPLAIN (ANALYZE, SUMMARY) ${query.sql}`, [...query.parameters]),
  );
  console.log(`- ${label}, planned each time: ${times(plain.rows)}`);
  await database.db.connection().execute(async (conn) => {
    await conn.executeQuery(CompiledQuery.raw(`PREPARE profiled AS ${query.sql}`));
    const args = query.parameters.map(literal).join(", ");
    let last: { "QUERY PLAN": string }[] = [];
    for (let i = 0; i < 7; i++)
      last = (
        await conn.executeQuery<{ "QUERY PLAN": string }>(
          CompiledQuery.raw(`EXPLAIN (ANALYZE, SUMMARY) EXECUTE profiled(${args})`),
        )
      ).rows;
    await conn.executeQuery(CompiledQuery.raw("DEALLOCATE profiled"));
    console.log(`- ${label}, prepared (7th run): ${times(last)}`);
    if (process.env["BENCH_PLANS"]) console.log(last.map((r) => `    ${r["QUERY PLAN"]}`).join("\n"));
  });
}

async function profile(kind: DatabaseKind): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "layerboom-profile-ec2-"));
  const scratch = kind === "postgres" ? await createScratchPostgres() : undefined;
  let database: Database | undefined;
  let app: App | undefined;
  try {
    database = scratch
      ? await openDatabase({ url: scratch.location })
      : await openDatabase({ dataDir: join(work, "db") });
    await seedBenchServers(database, SERVERS);
    const token = await issueLocalCliToken(database, BENCH_USER);
    const secretKey = SecretBox.generateKey();
    const secretBox = new SecretBox(secretKey);
    app = await buildApp({
      database,
      logger: { level: "warn" },
      blobDir: join(work, "blobs"),
      webRoot: false,
      backupSchedule: false,
      monthClose: false,
      ec2: { region: REGION },
      secretKey,
    });
    await app.ready();
    const bearer = { authorization: `Bearer ${token}` };
    const key = JSON.parse(
      await app
        .inject({ method: "POST", url: "/api/v1/ec2-credentials", headers: bearer, payload: { name: "p" } })
        .then((r) => r.body),
    ) as { id: string; secret_access_key: string };
    const signer = new SignatureV4({
      credentials: { accessKeyId: key.id, secretAccessKey: key.secret_access_key },
      region: REGION,
      service: "ec2",
      sha256: NodeSha256,
    });
    const signed = async (form: Record<string, string>) => {
      const body = new URLSearchParams({ Version: "2016-11-15", ...form }).toString();
      const request = await signer.sign({
        method: "POST",
        protocol: "http:",
        hostname: "localhost",
        path: "/ec2",
        query: {},
        headers: { host: "localhost:80", "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body,
      });
      return { method: "POST" as const, url: "/ec2", headers: request.headers, payload: body };
    };

    const holder = await accessKeyHolder(database, secretBox, key.id);
    const ctx = { database, principal: holder.principal };
    const requests = new Map<number, Awaited<ReturnType<typeof signed>>>();
    for (const limit of [100, 5])
      requests.set(limit, await signed({ Action: "DescribeInstances", MaxResults: String(limit) }));
    const regions = await signed({ Action: "DescribeRegions" });

    // BENCH_LOOP=ec2|rest: only that whole request, pages of 100, for `node --cpu-prof`.
    const loop = process.env["BENCH_LOOP"];
    if (loop) {
      const transactions = async () =>
        Number(
          (
            await database!.db.executeQuery<{ n: string }>(
              CompiledQuery.raw(
                "SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()",
              ),
            )
          ).rows[0]!.n,
        );
      const before = kind === "postgres" ? await transactions() : 0;
      const started = Date.now();
      let count = 0;
      for (; Date.now() - started < Number(process.env["BENCH_LOOP_S"] ?? 10) * 1000; count++)
        await (loop === "ec2"
          ? inject(app, requests.get(100)!)
          : inject(app, { url: "/api/v1/servers?limit=100", headers: bearer }));
      console.log(`${loop}: ${count} requests, ${((Date.now() - started) / count).toFixed(2)} ms each`);
      // Statistics reach pg_stat_database within a second or so.
      await new Promise((r) => setTimeout(r, 1500));
      if (kind === "postgres")
        console.log(`${((await transactions()) - before - 1) / count} statements per request`);
      return;
    }

    const pages = new Map<number, Awaited<ReturnType<typeof findInstances>>>();
    for (const limit of [100, 5]) pages.set(limit, await findInstances(ctx, { ids: [], filters: [], limit }));
    const views = new Map<number, ReturnType<typeof reservationsXml>>();
    for (const limit of [100, 5]) views.set(limit, reservationsXml(pages.get(limit)!.rows));
    const stages: Stage[] = [
      {
        label: "whole request: GET /api/v1/servers",
        run: (limit) => inject(app!, { url: `/api/v1/servers?limit=${limit}`, headers: bearer }),
        database: true,
      },
      {
        label: "whole request: DescribeInstances",
        run: (limit) => inject(app!, requests.get(limit)!),
        database: true,
      },
      {
        label: "whole request: GET /api/v1/me (no rows)",
        run: () => inject(app!, { url: "/api/v1/me", headers: bearer }),
      },
      { label: "whole request: DescribeRegions (no rows)", run: () => inject(app!, regions) },
      {
        label: "REST: listServers (the route's query)",
        run: (limit) => listServers(ctx, {}, { limit }),
        database: true,
      },
      {
        label: "EC2: DescribeInstances action + XML, no HTTP",
        run: async (limit) => {
          const params = Ec2Params.parse(requests.get(limit)!.payload);
          const body = await EC2_ACTIONS["DescribeInstances"]!.run({
            ctx,
            params,
            region: REGION,
            hub: undefined!,
          });
          return ec2ResponseXml("DescribeInstances", "req-1", body);
        },
      },
      {
        label: "EC2: form parse (Ec2Params.parse)",
        run: (limit) => Ec2Params.parse(requests.get(limit)!.payload),
      },
      {
        label: "EC2: SigV4 (parse, scope, verify; key cached)",
        run: async (limit) => {
          const r = requests.get(limit)!;
          const request = { method: "POST", path: "/ec2", query: "", headers: r.headers, body: r.payload };
          const auth = parseAuthorization(r.headers["authorization"]);
          const amzDate = checkSignatureScope(request, auth, {
            region: REGION,
            service: "ec2",
            now: new Date(),
          });
          const h = await accessKeyHolder(database!, secretBox, auth.accessKeyId);
          verifySignature(request, auth, amzDate, h.signingKey);
        },
      },
      {
        label: "EC2: findInstances (the action's query)",
        run: (limit) => findInstances(ctx, { ids: [], filters: [], limit }),
        database: true,
      },
      {
        label: "EC2: reservationsXml (rows to view)",
        run: (limit) => reservationsXml(pages.get(limit)!.rows),
      },
      {
        label: "EC2: ec2ResponseXml (XMLBuilder)",
        run: (limit) =>
          ec2ResponseXml("DescribeInstances", "req-1", { reservationSet: xmlList(views.get(limit)!) }),
      },
    ];
    console.log(`\n## ${kind}: ${SERVERS} servers, ${ROUNDS} rounds\n`);
    console.log(
      "Per call: median wall µs / controller CPU µs (mean) / database CPU µs (mean, its own pass; – where no query).\n",
    );
    console.log("| stage | pages of 100 | pages of 5 |");
    console.log("| --- | ---: | ---: |");
    const measured = await interleaved(stages);
    for (const [i, stage] of stages.entries()) {
      const cells = [];
      for (const limit of [100, 5]) {
        const m = measured[i]!.get(limit)!;
        const pg = stage.database ? await databaseCpu(database, () => stage.run(limit)) : undefined;
        cells.push(`${m.wall.toFixed(0)} / ${m.cpu.toFixed(0)} / ${pg === undefined ? "–" : pg.toFixed(0)}`);
      }
      console.log(`| ${stage.label} | ${cells.join(" | ")} |`);
    }
    if (kind === "postgres") {
      const caught = capturing(database);
      const seen = { ...ctx, database: caught.database };
      console.log("");
      for (const limit of [100, 5]) {
        await listServers(seen, {}, { limit });
        await explain(database, `listServers, ${limit} rows`, caught.last());
        await findInstances(seen, { ids: [], filters: [], limit });
        await explain(database, `findInstances, ${limit} rows`, caught.last());
      }
    }
    for (const limit of [100, 5]) {
      const rest = await inject(app, { url: `/api/v1/servers?limit=${limit}`, headers: bearer });
      const xml = await inject(app, requests.get(limit)!);
      console.log(`| bytes, pages of ${limit}: JSON ${rest.length}, XML ${xml.length} | | |`);
    }
  } finally {
    await app?.close();
    await database?.close();
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

const wanted = (process.env["BENCH_DATABASES"] ?? "postgres").split(",") as DatabaseKind[];
const kinds = (await postgresAvailable()) ? wanted : wanted.filter((k) => k !== "postgres");
for (const kind of kinds.length > 0 ? kinds : (["pglite"] as DatabaseKind[])) await profile(kind);
