import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import { DATABASE_KINDS, scratchDatabase } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";

describe.each(DATABASE_KINDS)("migrations on %s", (kind) => {
  let scratch: ScratchDatabase | undefined;
  let database: Database | undefined;

  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it("apply on an empty database, then re-apply as a no-op", async (ctx) => {
    scratch = await scratchDatabase(kind);
    if (!scratch) return ctx.skip();
    database = await scratch.open();
    const all = await loadMigrations();
    expect(await migrate(database)).toEqual(all.map((m) => m.version));
    expect(await migrate(database)).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`.execute(
      database.db,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["accounts", "users", "servers", "audit_log", "schema_migrations"]),
    );
  });

  it("refuses to rewrite the audit log", async (ctx) => {
    if (!database) return ctx.skip();
    await database.db
      .insertInto("audit_log")
      .values({
        id: "aud_1",
        account_id: "acc_x",
        account_path: "/acc_x/",
        action: "test",
        resource_type: "t",
        resource_id: "r",
        details: "{}",
      })
      .execute();
    await expect(database.db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
    await expect(database.db.updateTable("audit_log").set({ action: "forged" }).execute()).rejects.toThrow(
      /append-only/,
    );
  });

  it.runIf(kind === "postgres")("serialises concurrent migrators so each file runs once", async (ctx) => {
    if (!scratch) return ctx.skip();
    const fresh = await scratchDatabase("postgres");
    if (!fresh) return ctx.skip();
    const a = await fresh.open();
    const b = await fresh.open();
    try {
      const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ranA, ...ranB].sort((x, y) => x - y)).toEqual(
        (await loadMigrations()).map((m) => m.version),
      );
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
