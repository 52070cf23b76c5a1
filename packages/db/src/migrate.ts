import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { Database } from "./database.js";

/** The folder of numbered SQL files, shipped beside the compiled code. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `NNNN_name.sql` files in order, refusing gaps and duplicates. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`Migration file name ${file} does not match NNNN_name.sql`);
    const version = Number(match[1]);
    if (version !== migrations.length + 1) {
      throw new Error(`Migration ${file} breaks the sequence: expected version ${migrations.length + 1}`);
    }
    migrations.push({ version, name: match[2] ?? "", sql: await readFile(`${dir}/${file}`, "utf8") });
  }
  return migrations;
}

// Any fixed number works; it only has to be the same for every controller replica.
const MIGRATION_LOCK_ID = 7_347_201;

/**
 * Applies pending migrations, each in its own transaction. Several controllers starting at
 * once serialise on an advisory lock, so each file runs exactly once.
 *
 * We run plain SQL files ourselves instead of Kysely's Migrator because the same
 * multi-statement files must run on both pg and PGlite, and Kysely's PGlite path only
 * speaks the extended protocol (one statement per query).
 */
export async function migrate(database: Database, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  return database.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`.execute(conn);
      const done = await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(conn);
      const applied = new Set(done.rows.map((r) => r.version));
      const ran: number[] = [];
      for (const m of all) {
        if (applied.has(m.version)) continue;
        await database.execScript(
          `${m.sql}\nINSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name}');`,
        );
        ran.push(m.version);
      }
      return ran;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn);
    }
  });
}

/** Whether every known migration has been applied (for /readyz). */
export async function isMigrated(database: Database, migrations?: Migration[]): Promise<boolean> {
  const all = migrations ?? (await loadMigrations());
  try {
    const done = await sql<{ n: number }>`SELECT count(*)::int AS n FROM schema_migrations`.execute(
      database.db,
    );
    return (done.rows[0]?.n ?? 0) >= all.length;
  } catch {
    return false;
  }
}
