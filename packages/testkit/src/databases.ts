import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { loadMigrations, migrate, openDatabase } from "@layerboom/db";
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

async function postgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a PostgreSQL database with a random name on the test server (a copy of `template`, if given). */
async function createPostgres(template?: string): Promise<ScratchDatabase> {
  const name = `lb_test_${randomBytes(6).toString("hex")}`;
  const create = `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await postgresAdmin((c) => c.query(create));
      break;
    } catch (err) {
      // 55006 object_in_use: the template is briefly held by a concurrent CREATE DATABASE.
      if ((err as { code?: string }).code !== "55006" || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    location: url.toString(),
    open: () => openDatabase({ url: url.toString() }),
    drop: () =>
      postgresAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Creates an empty PostgreSQL database with a random name on the test server. */
export function createScratchPostgres(): Promise<ScratchDatabase> {
  return createPostgres();
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

/** Throws when PostgreSQL does not answer: tests on it run inside a block that skips then. */
async function requirePostgres(): Promise<void> {
  if (await postgresAvailable()) return;
  throw new Error(
    `PostgreSQL at ${TEST_POSTGRES_URL} did not answer; tests that use it belong in describeOnEachDatabase (test/support/databases.ts), which skips them`,
  );
}

/** A scratch database of the given kind (PostgreSQL must answer: see requirePostgres). */
export async function scratchDatabase(kind: DatabaseKind): Promise<ScratchDatabase> {
  if (kind === "pglite") return createScratchPglite();
  await requirePostgres();
  return createScratchPostgres();
}

/**
 * A name for the current migrations: their file names and text, hashed. A template made from
 * other migrations is never used, so editing a migration needs no cache to be cleared.
 */
let migrationsKey: Promise<string> | undefined;
function currentMigrationsKey(): Promise<string> {
  migrationsKey ??= loadMigrations().then((all) => {
    const hash = createHash("sha256");
    for (const m of all) hash.update(`${m.version}\0${m.name}\0${m.sql}\0`);
    return hash.digest("hex").slice(0, 16);
  });
  return migrationsKey;
}

/** Where migrated PGlite data folders are kept between test files and runs (under node_modules, never committed). */
const PGLITE_TEMPLATE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "node_modules",
  ".cache",
  "layerboom",
  "pglite-templates",
);

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A dump of a freshly migrated PGlite cluster. Creating a PGlite cluster (initdb) and migrating
 * it costs seconds per test file; loading a dump of one costs about one. Made once per set of
 * migrations and kept on disk, written atomically so parallel test files never read half a file.
 */
function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const path = join(PGLITE_TEMPLATE_DIR, `${await currentMigrationsKey()}.tar`);
    const cached = await readFile(path).catch(() => undefined);
    if (cached) return new Blob([cached]);
    const database = await openDatabase({ dataDir: "memory://" });
    try {
      await migrate(database);
      const dump = await database.dumpDataDir!();
      await mkdir(PGLITE_TEMPLATE_DIR, { recursive: true });
      const partial = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, path);
      return dump;
    } finally {
      await database.close();
    }
  })();
  pgliteTemplate.catch(() => (pgliteTemplate = undefined));
  return pgliteTemplate;
}

/**
 * The name of a migrated template database on the test server, made once per set of migrations:
 * built under a private name, then renamed, so a half-migrated template is never visible and
 * two test files that race to build it both end up using the one that won the rename.
 */
async function migratedPostgresTemplate(): Promise<string> {
  const template = `lb_template_${await currentMigrationsKey()}`;
  const exists = await postgresAdmin(
    async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount === 1,
  );
  if (exists) return template;
  const building = await createScratchPostgres();
  const database = await building.open();
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
  const buildingName = new URL(building.location).pathname.slice(1);
  await postgresAdmin(async (c) => {
    try {
      await c.query(`ALTER DATABASE ${buildingName} RENAME TO ${template}`);
    } catch (err) {
      // 42P04 duplicate_database: another test file built it first; use theirs.
      if ((err as { code?: string }).code !== "42P04") throw err;
      await c.query(`DROP DATABASE IF EXISTS ${buildingName} WITH (FORCE)`);
    }
  });
  return template;
}

/**
 * A migrated scratch database: a copy of one migrated template (PGlite: loaded from a dump;
 * PostgreSQL: CREATE DATABASE ... TEMPLATE), so the migrations run once per change rather than
 * once per test file. test/db/migrations.apply-and-reapply.test.ts still migrates from empty.
 */
export async function migratedScratch(
  kind: DatabaseKind,
): Promise<{ scratch: ScratchDatabase; database: Database }> {
  if (kind === "pglite") {
    const loadDataDir = await migratedPgliteTemplate();
    const scratch = createScratchPglite();
    const database = await openDatabase({ dataDir: "memory://", loadDataDir });
    return { scratch, database };
  }
  await requirePostgres();
  const scratch = await createPostgres(await migratedPostgresTemplate());
  const database = await scratch.open();
  return { scratch, database };
}
