// The data bench/api, bench/ec2 and bench/web measure on: `servers` servers in one customer
// account, whose admin then gets a bearer token and an EC2 access key (bench/ec2), or the
// provider admin's token (bench/api), or a portal session (bench/web).
import { sql } from "kysely";
import { bootstrapProvider, seedDemoCatalog } from "@layerboom/controller";
import { migrate } from "@layerboom/db";
import type { Database } from "@layerboom/db";

/** The customer admin the load runs as. */
export const BENCH_USER = "usr_bench";

/** The provider admin the seed makes (bench/web logs in as it). */
export const BENCH_ADMIN = { email: "bench@localhost", password: "bench password 123" };

/**
 * Migrates and seeds `database`, then gathers the planner's statistics; returns the provider
 * admin. Servers are named `<prefix><n>`, `n` zero-padded to `digits` when given.
 */
export async function seedBenchServers(
  database: Database,
  servers: number,
  names: { prefix: string; digits?: number } = { prefix: "bench-" },
): Promise<{ providerAdminId: string }> {
  await migrate(database);
  const boot = await bootstrapProvider(database, {
    adminEmail: BENCH_ADMIN.email,
    adminPassword: BENCH_ADMIN.password,
  });
  await seedDemoCatalog(database, "UTC");
  const provider = boot.providerAccountId;
  const db = database.db;
  const site = await db.selectFrom("sites").select("id").executeTakeFirstOrThrow();
  const plan = await db.selectFrom("plans").select("id").executeTakeFirstOrThrow();
  await sql`INSERT INTO accounts (id, kind, parent_id, path, name, slug)
    VALUES ('acc_bench', 'customer', ${provider}, ${`/${provider}/acc_bench/`}, 'Bench customer', 'bench')`.execute(
    db,
  );
  await sql`INSERT INTO users (id, account_id, email, role, password_hash)
    VALUES (${BENCH_USER}, 'acc_bench', 'customer@bench', 'customer-admin', NULL)`.execute(db);
  await sql`INSERT INTO images (id, account_id, name, visibility) VALUES ('img_bench', ${provider}, 'bench', 'public')`.execute(
    db,
  );
  const number =
    names.digits === undefined ? sql`i::text` : sql`to_char(i, ${`FM${"0".repeat(names.digits)}`})`;
  await sql`INSERT INTO servers (id, account_id, name, site_id, plan_id, image_id, desired_state)
    SELECT 'srv_' || to_char(i, 'FM00000000000000000000000000'), 'acc_bench', ${names.prefix} || ${number}, ${site.id}, ${plan.id}, 'img_bench', 'running'
    FROM generate_series(1, ${servers}) AS i`.execute(db);
  await sql`ANALYZE`.execute(db);
  return { providerAdminId: boot.firstAdmin?.userId ?? "" };
}
