import { sql } from "kysely";
import { DATABASE_KINDS, migratedScratch } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";
import type { Database } from "@layerboom/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(DATABASE_KINDS)("prepared statements on %s", (kind) => {
  let scratch: ScratchDatabase | undefined;
  let database: Database;

  beforeAll(async () => {
    const opened = await migratedScratch(kind);
    if (!opened) return;
    ({ scratch, database } = opened);
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it("run a hot read, and keep working when a migration changes the table's row type", async (ctx) => {
    if (!scratch) return ctx.skip();
    const byName = () =>
      database.prepared(
        database.db.selectFrom("sites").selectAll().where("name", "=", "prepared-site").compile(),
      );
    await database.db
      .insertInto("sites")
      .values({ id: "site_prepared", name: "prepared-site", country_code: "CA", time_zone: "UTC" })
      .execute();
    // Use it on every pooled connection, so each has the plan cached.
    for (let i = 0; i < 3; i++) {
      const rows = await Promise.all(Array.from({ length: 12 }, byName));
      expect(rows.every((r) => r.length === 1 && r[0]!.id === "site_prepared")).toBe(true);
    }
    // A rolling migration adds a column: `SELECT sites.*` now returns another row type.
    await sql`ALTER TABLE sites ADD COLUMN prepared_probe text NOT NULL DEFAULT 'new'`.execute(database.db);
    const after = await Promise.all(Array.from({ length: 12 }, byName));
    for (const rows of after) expect(rows[0]).toMatchObject({ id: "site_prepared", prepared_probe: "new" });
  });
});
