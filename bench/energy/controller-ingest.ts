// bench/energy controller ingest: 10,000 hosts × 50 servers at one sample a minute, on PostgreSQL.
//   npm run bench:energy:ingest                  (10,000 hosts × 50 servers, 2 simulated minutes)
//   BENCH_HOSTS=2000 BENCH_MINUTES=3 BENCH_CONCURRENCY=16 npm run bench:energy:ingest
// Each host sends one `energy` frame a minute holding one sample with 50 VMs. The platform
// path parses and validates the frame as the agent hub does, attributes it, and upserts the
// server and host buckets and the dedupe cursor in one transaction. The bare floor, in the
// same run and at the same concurrency, is `pg` inserting the same 51 rows per frame into
// plain tables with one multi-row INSERT each (no validation, attribution, upsert or dedupe).
// Headroom is how many times over the platform could keep up with the load.
import { sql } from "kysely";
import pg from "pg";
import { bootstrapProvider, ingestEnergySamples, seedDemoCatalog } from "@layerboom/controller";
import { decodeAgentMessage } from "@layerboom/core/schemas";
import type { AgentMessage } from "@layerboom/core";
import { migrate, openDatabase } from "@layerboom/db";
import { createScratchPostgres } from "@layerboom/testkit";

const HOSTS = Number(process.env["BENCH_HOSTS"] ?? 10_000);
const SERVERS_PER_HOST = Number(process.env["BENCH_SERVERS_PER_HOST"] ?? 50);
const MINUTES = Number(process.env["BENCH_MINUTES"] ?? 2);
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 16);
const T0 = Date.UTC(2026, 10, 29, 0, 0, 0);

const hostId = (h: number) => `hst_${String(h).padStart(26, "0")}`;
const vmId = (h: number, s: number) => `srv-${String(h * 1000 + s).padStart(26, "0")}`;

function frame(h: number, minute: number): string {
  const message: AgentMessage = {
    type: "energy",
    boot_id: `boot-${h}`,
    dropped: 0,
    samples: [
      {
        seq: minute + 1,
        start_ms: T0 + minute * 60_000,
        end_ms: T0 + (minute + 1) * 60_000,
        source: "rapl",
        estimated: false,
        host_energy_uj: 18_000_000_000 + h,
        idle_energy_uj: 6_600_000_000,
        host_cpus: 64,
        vms: Array.from({ length: SERVERS_PER_HOST }, (_, s) => ({
          vm_id: vmId(h, s),
          cpu_time_us: 1_000_000 + s * 10_000,
          vcpus: 1 + (s % 4),
          present_us: 60_000_000,
        })),
      },
    ],
  };
  return JSON.stringify(message);
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  return performance.now() - started;
}

async function main(): Promise<void> {
  const scratch = await createScratchPostgres();
  const database = await openDatabase({ url: scratch.location, maxConnections: CONCURRENCY });
  const bare = new pg.Pool({ connectionString: scratch.location, max: CONCURRENCY });
  try {
    await migrate(database);
    const boot = await bootstrapProvider(database, {
      adminEmail: "bench@localhost",
      adminPassword: "bench password 123",
    });
    await seedDemoCatalog(database, "UTC");
    const db = database.db;
    const site = await db.selectFrom("sites").select("id").executeTakeFirstOrThrow();
    const plan = await db.selectFrom("plans").select("id").executeTakeFirstOrThrow();
    const provider = boot.providerAccountId;
    const setupStarted = performance.now();
    await sql`INSERT INTO accounts (id, kind, parent_id, path, name, slug)
      VALUES ('acc_bench', 'customer', ${provider}, ${`/${provider}/acc_bench/`}, 'Bench customer', 'bench')`.execute(
      db,
    );
    await sql`INSERT INTO images (id, account_id, name, visibility) VALUES ('img_bench', ${provider}, 'bench', 'public')`.execute(
      db,
    );
    await sql`INSERT INTO site_energy_settings (site_id, pue_milli) VALUES (${site.id}, 1350)`.execute(db);
    await sql`INSERT INTO hosts (id, site_id, name, state, cpu_cores, memory_mib, disk_gib)
      SELECT 'hst_' || to_char(h, 'FM00000000000000000000000000'), ${site.id}, 'bench-' || h, 'up', 64, 262144, 4000
      FROM generate_series(0, ${HOSTS - 1}) AS h`.execute(db);
    await sql`INSERT INTO servers (id, account_id, name, site_id, host_id, plan_id, image_id, desired_state)
      SELECT 'srv_' || to_char(h * 1000 + s, 'FM00000000000000000000000000'), 'acc_bench', 'bench-' || h || '-' || s,
             ${site.id}, 'hst_' || to_char(h, 'FM00000000000000000000000000'), ${plan.id}, 'img_bench', 'running'
      FROM generate_series(0, ${HOSTS - 1}) AS h, generate_series(0, ${SERVERS_PER_HOST - 1}) AS s`.execute(
      db,
    );
    await sql`CREATE TABLE bare_server_rows (server_id text, bucket_start timestamptz, energy_uj bigint)`.execute(
      db,
    );
    await sql`CREATE TABLE bare_host_rows (host_id text, bucket_start timestamptz, energy_uj bigint)`.execute(
      db,
    );
    await sql`ANALYZE`.execute(db);
    console.log(
      `seeded ${HOSTS} hosts and ${HOSTS * SERVERS_PER_HOST} servers in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    const platformMs: number[] = [];
    const bareMs: number[] = [];
    for (let minute = 0; minute < MINUTES; minute++) {
      const frames = Array.from({ length: HOSTS }, (_, h) => ({ h, text: frame(h, minute) }));
      // Interleave: the bare floor and the platform take turns minute by minute.
      bareMs.push(
        await pool(frames, CONCURRENCY, async ({ h, text }) => {
          const message = JSON.parse(text) as Extract<AgentMessage, { type: "energy" }>;
          const s = message.samples[0]!;
          const at = new Date(s.start_ms);
          const values: unknown[] = [];
          const rows = s.vms.map((vm, i) => {
            values.push(vm.vm_id, at, vm.cpu_time_us);
            return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`;
          });
          const client = await bare.connect();
          try {
            await client.query("BEGIN");
            await client.query(`INSERT INTO bare_server_rows VALUES ${rows.join(",")}`, values);
            await client.query("INSERT INTO bare_host_rows VALUES ($1, $2, $3)", [
              hostId(h),
              at,
              s.host_energy_uj,
            ]);
            await client.query("COMMIT");
          } finally {
            client.release();
          }
        }),
      );
      platformMs.push(
        await pool(frames, CONCURRENCY, async ({ h, text }) => {
          const decoded = decodeAgentMessage(text);
          if (!decoded.ok || decoded.message.type !== "energy")
            throw new Error("the bench frame does not validate");
          const message = decoded.message;
          const result = await ingestEnergySamples(
            database,
            hostId(h),
            message.boot_id,
            message.dropped,
            message.samples,
          );
          if (result.applied.length !== 1 || result.servers.length !== SERVERS_PER_HOST) {
            throw new Error(`frame of host ${h} was not applied in full`);
          }
        }),
      );
      console.log(
        `minute ${minute + 1}: platform ${(platformMs[minute]! / 1000).toFixed(1)} s, bare pg ${(bareMs[minute]! / 1000).toFixed(1)} s for ${HOSTS} frames`,
      );
    }
    const check = await sql<{ n: string; cursors: string }>`SELECT
      (SELECT count(*) FROM server_energy)::text AS n, (SELECT count(*) FROM energy_cursors)::text AS cursors`.execute(
      db,
    );
    const platform = platformMs.reduce((a, b) => a + b, 0) / MINUTES;
    const floor = bareMs.reduce((a, b) => a + b, 0) / MINUTES;
    const vmSamplesPerSecond = (HOSTS * SERVERS_PER_HOST) / (platform / 1000);
    console.log(
      `\nenergy ingest on PostgreSQL, ${HOSTS} hosts × ${SERVERS_PER_HOST} servers, concurrency ${CONCURRENCY}`,
    );
    console.log(`  stored: ${check.rows[0]!.n} server buckets, ${check.rows[0]!.cursors} cursors`);
    console.log(
      `  platform: ${(platform / 1000).toFixed(1)} s per simulated minute (${Math.round(vmSamplesPerSecond)} VM samples/s)`,
    );
    console.log(`  bare pg inserts: ${(floor / 1000).toFixed(1)} s per simulated minute`);
    console.log(`  headroom: ${(60_000 / platform).toFixed(2)}x the load (must be > 1)`);
    console.log(`  ratio platform/bare: ${(platform / floor).toFixed(2)}`);
  } finally {
    await bare.end();
    await database.close();
    await scratch.drop();
  }
}

await main();
