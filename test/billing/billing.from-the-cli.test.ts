import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { addIdleHost, runCli } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { apiClient } from "../support/controller.js";

/** The billing commands a provider and a customer use, end to end through the real CLI. */
describe("billing through the CLI", () => {
  let c: TestController;
  let customer: Tenant;
  let dir: string;

  beforeAll(async () => {
    c = await startTestController("pglite");
    const provider = apiClient(c.url, c.adminToken);
    const siteId = (await provider.get("/sites")).body.items[0].id as string;
    const planId = (await provider.get("/plans")).body.items[0].id as string;
    await addIdleHost(c, siteId);
    const image = await provider.post("/images", {
      name: "img",
      visibility: "public",
      format: "kernel+initrd",
    });
    customer = await createTenant(c, provider, "customer");
    const server = await customer.api.post("/servers", {
      name: "cli-web",
      site_id: siteId,
      plan_id: planId,
      image_id: image.body.id,
    });
    expect(server.status).toBe(201);
    await c.database.db
      .updateTable("usage_intervals")
      .set({ started_at: new Date("2026-05-03T12:00:00Z") })
      .where("server_id", "=", server.body.id)
      .execute();
    dir = await mkdtemp(join(tmpdir(), "lb-cli-billing-"));
  }, 60_000);

  afterAll(async () => {
    await c?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("creates and redeems a code, closes a month, shows, pays and downloads the invoice", async () => {
    const created = await runCli(c, c.adminToken, [
      "codes",
      "create",
      "SPRING",
      "--amount",
      "1.00",
      "--months",
      "1",
    ]);
    expect(created.code, created.output).toBe(0);
    expect(created.output).toMatch(/code\s+SPRING\nkind\s+amount\nvalue\s+100/);
    const bad = await runCli(c, c.adminToken, ["codes", "create", "BAD", "--months", "1"]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/exactly one of --percent or --amount/);

    const redeemed = await runCli(c, customer.token, ["codes", "redeem", "spring"]);
    expect(redeemed.output).toContain("Redeemed SPRING.");
    expect((await runCli(c, customer.token, ["codes", "redeem", "SPRING"])).output).toMatch(
      /already redeemed SPRING/,
    );
    // As if redeemed in May, the month being closed (a code counts from its month of redemption).
    await c.database.db
      .updateTable("code_redemptions")
      .set({ redeemed_at: new Date("2026-05-01T12:00:00Z") })
      .where("account_id", "=", customer.accountId)
      .execute();

    const profile = await runCli(c, customer.token, ["billing", "profile", "--tax-region", "CA-ON"]);
    expect(profile.code, profile.output).toBe(0);
    expect((await runCli(c, customer.token, ["billing", "profile", "--tax-region", "XX-YY"])).output).toMatch(
      /Unknown tax region XX-YY/,
    );

    const closed = await runCli(c, c.adminToken, ["billing", "close", "2026-05"]);
    expect(closed.code, closed.output).toBe(0);
    expect(closed.output).toMatch(/INV-000001\s+invoice\s+2026-05/);
    const list = await runCli(c, customer.token, ["-o", "json", "invoices", "list"]);
    const [invoice] = JSON.parse(list.output);
    const shown = await runCli(c, customer.token, ["invoices", "show", invoice.id]);
    expect(shown.output).toMatch(/^usage\s+Server srv_\S+ on plan/m);
    expect(shown.output).toMatch(/^energy\s+Energy: 0\.000 kWh/m);
    expect(shown.output).toMatch(/^discount\s+SPRING: amount off\s+-1\.00/m);
    expect(shown.output).toMatch(/^tax\s+HST 13%/m);

    const pdf = join(dir, "invoice.pdf");
    const saved = await runCli(c, customer.token, ["invoices", "download", invoice.id, "--out", pdf]);
    expect(saved.code, saved.output).toBe(0);
    expect((await readFile(pdf)).subarray(0, 5).toString()).toBe("%PDF-");

    const due = (invoice.amount_due_minor / 100).toFixed(2);
    const paid = await runCli(c, c.adminToken, ["invoices", "pay", invoice.id, due, "--method", "cheque"]);
    expect(paid.code, paid.output).toBe(0);
    expect(paid.output).toMatch(/\bpaid\b/);
    const payments = await runCli(c, customer.token, ["invoices", "payments", invoice.id]);
    expect(payments.code, payments.output).toBe(0);
    expect(payments.output).toMatch(new RegExp(`${due.replace(".", "\\.")}\\s+cheque`));
  }, 120_000);
});
