import { sql } from "kysely";
import { migratedScratch } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";
import type { Database } from "@layerboom/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("prepared statements on %s", (kind) => {
  let scratch: ScratchDatabase;
  let database: Database;

  beforeAll(async () => {
    ({ scratch, database } = await migratedScratch(kind));
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it("run a hot read, and keep working when a migration changes the table's row type", async () => {
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
