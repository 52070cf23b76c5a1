import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate, openDatabase } from "@layerboom/db";
import type { Database, DatabaseKind } from "@layerboom/db";

/** The server every PostgreSQL test uses; override with LAYERBOOM_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL =
  process.env["LAYERBOOM_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/** In CI (or with LAYERBOOM_REQUIRE_POSTGRES=1) a missing PostgreSQL fails the run instead of skipping. */
export const POSTGRES_REQUIRED =
  process.env["LAYERBOOM_REQUIRE_POSTGRES"] === "1" || process.env["CI"] === "true";

let postgresAnswers: Promise<boolean> | undefined;

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (err) {
    if (POSTGRES_REQUIRED) {
      throw new Error(
        `PostgreSQL is required (CI or LAYERBOOM_REQUIRE_POSTGRES=1) but ${TEST_POSTGRES_URL} did not answer: ${String(err)}`,
      );
    }
    const banner = "!".repeat(78);
    console.warn(
      `\n${banner}\n!! PostgreSQL at ${TEST_POSTGRES_URL} did not answer: SKIPPING every PostgreSQL test.\n!! Only PGlite was tested. Set LAYERBOOM_REQUIRE_POSTGRES=1 to make this a failure.\n${banner}\n`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the test PostgreSQL server answers; throws when it is required and does not. */
export function postgresAvailable(): Promise<boolean> {
  postgresAnswers ??= probePostgres();
  return postgresAnswers;
}

/** A fresh, empty database of one kind, and how to throw it away. */
export interface ScratchDatabase {
  kind: DatabaseKind;
  /** The connection URL for PostgreSQL, or the data dir for PGlite. */
  location: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database with a random name on the test server. */
export async function createScratchPostgres(): Promise<ScratchDatabase> {
  const name = `lb_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    location: url.toString(),
    open: () => openDatabase({ url: url.toString() }),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** An in-memory PGlite database. */
export function createScratchPglite(dataDir = "memory://"): ScratchDatabase {
  return {
    kind: "pglite",
    location: dataDir,
    open: () => openDatabase({ dataDir }),
    drop: async () => undefined,
  };
}

/** The database kinds every database test runs on. */
export const DATABASE_KINDS: readonly DatabaseKind[] = ["pglite", "postgres"];

/**
 * A scratch database of the given kind, or undefined when it is PostgreSQL and no server
 * answers (which has already been announced loudly, or thrown when Postgres is required).
 */
export async function scratchDatabase(kind: DatabaseKind): Promise<ScratchDatabase | undefined> {
  if (kind === "pglite") return createScratchPglite();
  return (await postgresAvailable()) ? createScratchPostgres() : undefined;
}

/** Opens and migrates a scratch database. */
export async function migratedScratch(
  kind: DatabaseKind,
): Promise<{ scratch: ScratchDatabase; database: Database } | undefined> {
  const scratch = await scratchDatabase(kind);
  if (!scratch) return undefined;
  const database = await scratch.open();
  await migrate(database);
  return { scratch, database };
}
