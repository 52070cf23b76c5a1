import { sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { loadMigrations, migrate } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import { scratchDatabase } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("migrations on %s", (kind) => {
  let scratch: ScratchDatabase;
  let database: Database;

  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it("apply on an empty database, then re-apply as a no-op", async () => {
    scratch = await scratchDatabase(kind);
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

  it("refuses to rewrite the audit log", async () => {
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

  it.runIf(kind === "postgres")("serialises concurrent migrators so each file runs once", async () => {
    const fresh = await scratchDatabase("postgres");
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
