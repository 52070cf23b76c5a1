import { sql } from "kysely";
import type { Principal } from "@layerboom/core";
import { openDatabase } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import { migratedScratch } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findInstances } from "../../packages/controller/src/ec2/instance-queries.js";
import { seedBenchServers } from "../../bench/seed-servers.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** Servers of the big account; the small one has three, whose ids sort after all of them. */
const BIG = 2000;

describeOnEachDatabase("DescribeInstances' plain pages on %s, a big and a small customer", (kind) => {
  let scratch: ScratchDatabase;
  let database: Database;
  let big: Principal;
  let small: Principal;
  let provider: Principal;

  beforeAll(async () => {
    const made = await migratedScratch(kind);
    scratch = made.scratch;
    database = made.database;
    if (kind === "postgres") {
      // One connection, so that the prepared statements the pages run are the ones inspected.
      await database.close();
      database = await openDatabase({ url: scratch.location, maxConnections: 1 });
    }
    await seedBenchServers(database, BIG);
    const accounts = await database.db.selectFrom("accounts").selectAll().execute();
    const bench = accounts.find((a) => a.id === "acc_bench")!;
    const root = accounts.find((a) => a.kind === "provider")!;
    await sql`INSERT INTO accounts (id, kind, parent_id, path, name, slug)
      VALUES ('acc_small', 'customer', ${root.id}, ${`${root.path}acc_small/`}, 'Small', 'small')`.execute(
      database.db,
    );
    await sql`INSERT INTO servers (id, account_id, name, site_id, plan_id, image_id, desired_state)
      SELECT 'srv_9' || i, 'acc_small', 'small-' || i, t.site_id, t.plan_id, t.image_id, 'running'
      FROM (SELECT site_id, plan_id, image_id FROM servers LIMIT 1) AS t, generate_series(1, 3) AS i`.execute(
      database.db,
    );
    await sql`ANALYZE`.execute(database.db);
    const customer = (account: { id: string; path: string }): Principal => ({
      userId: "usr_none",
      accountId: account.id,
      accountKind: "customer",
      accountPath: account.path,
      role: "customer-admin",
    });
    big = customer(bench);
    small = customer({ id: "acc_small", path: `${root.path}acc_small/` });
    provider = {
      userId: "usr_none",
      accountId: root.id,
      accountKind: "provider",
      accountPath: root.path,
      role: "provider-admin",
    };
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  /** The instance ids the principal's plain pages of `limit` list, page after page (at most `pages`). */
  async function pageThrough(principal: Principal, limit: number, pages = Infinity): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (let n = 0; n < pages; n++) {
      const page = await findInstances({ database, principal }, { ids: [], filters: [], limit, after });
      ids.push(...page.rows.map((r) => r.id));
      if (!page.nextAfter) return ids;
      after = page.nextAfter;
    }
    return ids;
  }

  const serverIds = async (accountId?: string) =>
    (
      await database.db
        .selectFrom("servers")
        .select("id")
        .$if(accountId !== undefined, (q) => q.where("account_id", "=", accountId!))
        .orderBy("id")
        .execute()
    ).map((s) => s.id);

  it("each customer pages through exactly its own servers, in id order; the provider through all", async () => {
    expect(await pageThrough(small, 5)).toEqual(await serverIds("acc_small"));
    expect(await pageThrough(small, 100)).toEqual(await serverIds("acc_small"));
    const bigIds = await pageThrough(big, 100);
    expect(bigIds).toHaveLength(BIG);
    expect(bigIds).toEqual(await serverIds("acc_bench"));
    expect(await pageThrough(big, 5, 8)).toEqual(bigIds.slice(0, 40));
    expect(await pageThrough(provider, 100)).toEqual(await serverIds());
  });

  it.runIf(kind === "postgres")(
    "a customer's page keeps one generic plan per connection, on its account's index",
    async () => {
      for (let i = 0; i < 8; i++) {
        await findInstances({ database, principal: big }, { ids: [], filters: [], limit: 5 });
        await findInstances({ database, principal: small }, { ids: [], filters: [], limit: 5 });
      }
      const { rows } = await sql<{ name: string; generic_plans: number; custom_plans: number }>`
        SELECT name, generic_plans, custom_plans FROM pg_prepared_statements
        WHERE statement LIKE '%ec2_tags%' AND statement NOT LIKE '%"id" >%'
          AND statement LIKE '%limit 6%'`.execute(database.db);
      expect(rows).toHaveLength(1);
      // PostgreSQL plans the first five executions for their parameters, then keeps the
      // generic plan: planning it every time cost more than running a page of 5.
      expect(rows[0]!.custom_plans).toBeLessThanOrEqual(5);
      expect(rows[0]!.generic_plans).toBeGreaterThanOrEqual(11);
      // That plan, estimated for an average account, still starts at the small account's first
      // row instead of walking the big account's servers in id order.
      const plan = (
        await sql<{ "QUERY PLAN": string }>`EXPLAIN (ANALYZE, COSTS OFF) EXECUTE ${sql.id(rows[0]!.name)}(
          ARRAY['acc_small'], now() - interval '1 hour')`.execute(database.db)
      ).rows
        .map((r) => r["QUERY PLAN"])
        .join("\n");
      expect(plan).toContain("Index Scan using servers_account_idx on servers");
      expect(plan).not.toContain("servers_pkey on servers");
      expect(plan).not.toContain("Rows Removed by Filter");
    },
  );
});
