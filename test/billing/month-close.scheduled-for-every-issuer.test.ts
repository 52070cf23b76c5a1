import { enqueueJob, previousPeriod } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { eventually } from "../support/hosts.js";
import { buildWorld, createTenant } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("the automatic month close on %s", (kind) => {
  let c: TestController;
  let world: World;

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
  }, 120_000);
  afterAll(async () => c?.close());

  it("closes the month before for every issuer, once, however often its occurrence is run", async () => {
    // An occurrence two days ago: its month before is over in every billing zone, whatever today is.
    const occurrence = new Date(Date.now() - 2 * 24 * 3_600_000).toISOString();
    const period = previousPeriod(new Date(occurrence));
    // A customer of reseller 1 and one of the provider, each with a server since before that month.
    const customers = [
      await createTenant(c, world.reseller1.api, "customer"),
      await createTenant(c, world.provider, "customer"),
    ];
    for (const tenant of customers) {
      const server = await tenant.api.post("/servers", {
        name: "billed",
        site_id: world.siteId,
        plan_id: world.planId,
        image_id: world.imageId,
      });
      expect(server.status, JSON.stringify(server.body)).toBe(201);
      await c.database.db
        .updateTable("usage_intervals")
        .set({ started_at: new Date(`${period}-01T00:00:00Z`) })
        .where("server_id", "=", server.body.id as string)
        .execute();
    }
    const [ofReseller, ofProvider] = customers as [Tenant, Tenant];
    const issuers = await c.database.db
      .selectFrom("accounts")
      .select("id")
      .where("kind", "in", ["provider", "reseller"])
      .execute();

    // What the schedule enqueues on the 1st; here it is run by hand, twice (two replicas, a retry).
    for (const key of ["first", "second"])
      await enqueueJob(c.database.db, {
        task: "billing.close-months",
        payload: { occurrence },
        uniqueKey: `test-${key}`,
      });
    const closes = await eventually("every issuer's close", async () => {
      const rows = await c.database.db
        .selectFrom("jobs")
        .select(["unique_key", "state", "last_error"])
        .where("task", "=", "billing.close-issuer-month")
        .execute();
      return rows.length === issuers.length && rows.every((r) => r.state === "succeeded") ? rows : undefined;
    });
    expect(closes.map((r) => r.unique_key).sort()).toEqual(
      issuers.map((i) => `billing.close-issuer-month:${i.id}:${period}`).sort(),
    );
    const invoices = await c.database.db
      .selectFrom("invoices")
      .select(["account_id", "issuer_account_id"])
      .where("period", "=", period)
      .where("kind", "=", "invoice")
      .execute();
    const providerId = (
      await c.database.db
        .selectFrom("accounts")
        .select("id")
        .where("kind", "=", "provider")
        .executeTakeFirstOrThrow()
    ).id;
    // Each issuer invoiced its own customer once; the provider billed reseller 1 wholesale once.
    const count = (account: string, issuer: string) =>
      invoices.filter((i) => i.account_id === account && i.issuer_account_id === issuer).length;
    expect(count(ofReseller.accountId, world.reseller1.accountId)).toBe(1);
    expect(count(ofProvider.accountId, providerId)).toBe(1);
    expect(count(world.reseller1.accountId, providerId)).toBe(1);
  });
});
