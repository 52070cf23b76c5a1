import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUsageRecord } from "@layerboom/controller";
import { WEB_ROOT, collectPageProblems, launchBrowser, screenshot } from "../support/browser.js";
import { ADMIN_PASSWORD } from "../support/controller.js";
import { describeOnDatabase } from "../support/databases.js";
import { sendSigned } from "../support/federation.js";
import { originOf } from "../support/hosts.js";
import { settlementWorld } from "../support/settlement.js";
import type { SettlementWorld } from "../support/settlement.js";

/**
 * The Federation page's reconciliation (docs/federation.md, "Usage and settlement"), in Chromium:
 * B has pushed its November records and invoiced A; A's provider admin reconciles November and
 * sees both servers match, the totals, and the one record B sent again with other content, refused.
 */
describeOnDatabase("postgres", "the Federation page reconciles a partner's invoice", () => {
  let w: SettlementWorld;
  let browser: Browser;
  let page: Page;
  let problems: () => string[];

  beforeAll(async () => {
    w = await settlementWorld({ webRootA: WEB_ROOT });
    const pushed = await w.t.apiB.post(`/federation/peers/${w.peerOfB}/usage/push`, {});
    expect(pushed.body.push_error, JSON.stringify(pushed.body)).toBe("");
    const closed = await w.t.apiB.post("/billing/close", { period: "2026-11" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    // B sends record 1 again with another amount: refused, flagged.
    const first = await w.t.a.database.db
      .selectFrom("federation_usage_records_received")
      .select("document")
      .where("seq", "=", 1)
      .executeTakeFirstOrThrow();
    const altered = signUsageRecord(w.t.signingB, { ...JSON.parse(first.document), wholesale_cost_minor: 1 });
    const sent = await sendSigned(w.t.originA, w.t.signingB, "POST", "/usage-records", {
      body: { records: [altered] },
    });
    expect(sent.body.refused, JSON.stringify(sent.body)).toHaveLength(1);

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = collectPageProblems(page);
    await page.goto(`${originOf(w.t.a)}/login`);
    await page.getByLabel("Email", { exact: true }).fill(w.t.a.adminEmail);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await w?.t.close();
  });

  it("shows B's November invoice beside A's records, server by server, with no difference", async () => {
    await page
      .getByRole("navigation", { name: "Provider" })
      .getByRole("link", { name: "Federation" })
      .click();
    const form = page.getByRole("form", { name: "Reconcile a partner's invoice" });
    await expect.poll(() => form.getByLabel("Partner").inputValue()).toBe(w.peerOfA);
    await expect
      .poll(() => page.getByLabel("Usage records held").innerText())
      .toMatch(/usage records held, complete through number \d+/);
    await form.getByLabel("Month").fill("2026-11");
    await form.getByRole("button", { name: "Reconcile" }).click();
    const report = page.getByRole("article", { name: "Reconciliation of 2026-11" });
    await expect.poll(() => report.getByRole("heading").innerText()).toBe("2026-11: no difference");
    const rows = report.locator("tbody tr");
    expect(await rows.count()).toBe(2);
    for (const s of w.servers) {
      const row = rows.filter({ hasText: s.onB });
      expect(await row.innerText()).toContain(s.onA);
      expect(await row.innerText()).toContain("match");
    }
    // 343 h × 12.34 + 6000.00 (capped), in CAD.
    expect(await report.locator("tfoot").innerText()).toContain("10,232.62");
    expect(await report.innerText()).toMatch(/Refused records: 1 \(seq conflict\)/);
    await screenshot(page, "federation-reconciliation");
    expect(problems()).toEqual([]);
  });
});
