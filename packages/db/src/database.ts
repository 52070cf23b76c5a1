import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { createHash } from "node:crypto";
import { Kysely, PostgresDialect } from "kysely";
import type { CompiledQuery } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { Schema } from "./schema.js";

export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseOptions {
  /** A postgres:// URL. When absent, the embedded PGlite database in `dataDir` is used. */
  url?: string | undefined;
  /** Folder for the embedded database; `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /** PGlite only: start from this dump of a data folder (from `dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob | undefined;
}

/** An open database: the Kysely handle plus what migrations need beyond it. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<Schema>;
  /** Runs a multi-statement SQL script in one transaction (migrations). */
  execScript(sql: string): Promise<void>;
  /**
   * Runs a hot read as a named prepared statement on PostgreSQL, so each pooled connection
   * parses and plans it once instead of on every request (docs/architecture.md, "Prepared
   * statements"). Outside a transaction only. On PGlite it is an ordinary query.
   */
  prepared<R>(query: CompiledQuery<R>): Promise<R[]>;
  /** PGlite only: the whole data folder as a tarball, for `loadDataDir` (tests clone a migrated database). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Money and sizes are bigint columns; every value we store fits in a double exactly
// (below 2^53), and the domain works in numbers, so parse them as numbers.
const parseInt8 = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} exceeds the safe integer range`);
  return n;
};

function openPostgres(url: string, maxConnections: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? parseInt8
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // A broken idle connection must not crash the controller; the next query reconnects.
  pool.on("error", () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  // Statement names carry a generation: after a migration changes a table's row type, a
  // connection's cached plan fails once with 0A000; the next generation re-prepares everywhere.
  let generation = 0;
  const nameOf = (text: string) =>
    `lb${generation}_${createHash("sha256").update(text).digest("hex").slice(0, 20)}`;
  return {
    kind: "postgres",
    db,
    async prepared<R>(query: CompiledQuery<R>): Promise<R[]> {
      const values = [...query.parameters];
      try {
        return (await pool.query({ name: nameOf(query.sql), text: query.sql, values })).rows as R[];
      } catch (err) {
        if ((err as { code?: string }).code !== "0A000") throw err;
        generation++;
        return (await pool.query({ name: nameOf(query.sql), text: query.sql, values })).rows as R[];
      }
    },
    async execScript(script) {
      const client = await pool.connect();
      try {
        await client.query(`BEGIN;\n${script}\nCOMMIT;`);
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string, loadDataDir: Blob | undefined): Promise<Database> {
  if (!dataDir.startsWith("memory://")) await mkdir(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, {
    parsers: { [INT8_OID]: parseInt8, [NUMERIC_OID]: (v: string) => v },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  await pglite.waitReady;
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: "pglite",
    db,
    async prepared<R>(query: CompiledQuery<R>): Promise<R[]> {
      return (await db.executeQuery(query)).rows;
    },
    async execScript(script) {
      await pglite.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    dumpDataDir: () => pglite.dumpDataDir("none"),
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Opens PostgreSQL when a URL is given, the embedded PGlite otherwise. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10);
  if (!options.dataDir) throw new Error("openDatabase needs either a url or a dataDir");
  return openPglite(options.dataDir, options.loadDataDir);
}
