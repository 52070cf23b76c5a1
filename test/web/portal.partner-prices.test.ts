import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  WEB_ROOT,
  collectPageProblems,
  describedError,
  launchBrowser,
  screenshot,
} from "../support/browser.js";
import { ADMIN_PASSWORD } from "../support/controller.js";
import { describeOnDatabase } from "../support/databases.js";
import { originOf } from "../support/hosts.js";
import { RETAIL, remoteServerWorld } from "../support/remote-servers.js";
import type { RemoteServerWorld } from "../support/remote-servers.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/**
 * A reseller at A prices B's plan in the portal's Plans page, as it prices the provider's (issue
 * 17, docs/federation.md "Resale of partner sites"): the "Partner sites" section shows B's plan
 * at its cost (A's retail price) and "not sold"; a bad amount is refused on its field; once
 * priced, the reseller's customer sees B's site at that price (GET /partner-sites); Remove makes
 * it unsold again. Two real installations, A serving the built portal.
 */
describeOnDatabase("postgres", "a reseller prices a partner's plan in the portal", () => {
  let w: RemoteServerWorld;
  let reseller: Tenant;
  let customer: Tenant;
  let browser: Browser;
  let page: Page;
  let problems: () => string[];

  const plansSeenByCustomer = async () =>
    (await customer.api.get("/partner-sites")).body.items.map((s: any) => [
      s.id,
      s.plans.map((p: any) => [p.id, p.hourly_price_minor, p.monthly_cap_minor]),
    ]);
  const card = () => page.getByRole("region", { name: "Partner sites" }).getByRole("listitem");

  beforeAll(async () => {
    w = await remoteServerWorld({ webRootA: WEB_ROOT });
    reseller = await createTenant(w.t.a, w.t.apiA, "reseller");
    customer = await createTenant(w.t.a, reseller.api, "customer", reseller.accountId);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    problems = collectPageProblems(page);
    const origin = originOf(w.t.a);
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(reseller.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((url) => !url.pathname.endsWith("/login"));
    await page.goto(`${origin}/admin/plans`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await w?.t.close();
  });

  it("lists B's plan with its partner, the reseller's cost, and not sold", async () => {
    await expect.poll(() => card().count(), { timeout: 15_000 }).toBe(1);
    const text = await card().innerText();
    const partner: string = (await w.t.apiA.get("/federation/peers")).body.items[0].name;
    expect(text).toContain(`operated by partner ${partner}`);
    // Its cost is A's retail price (B's wholesale + 25 %): 15.43 an hour, at most 7,500.00.
    expect(text).toMatch(/Your cost\s+\S*15\.43\/hour, at most \S*7,500\.00\/month/);
    expect(text).toMatch(/Your customers pay now\s+not sold/);
    expect(await card().getByRole("button", { name: "Remove" }).count()).toBe(0);
    expect(await plansSeenByCustomer()).toEqual([]);
  });

  it("refuses a bad amount and a cap below the hourly price on their fields", async () => {
    await page.getByLabel("Your price per hour (CAD)", { exact: true }).fill("lots");
    await page.getByLabel("Your monthly cap (CAD)", { exact: true }).fill("100.00");
    await card().getByRole("button", { name: "Save price" }).click();
    expect(await describedError(page, "Your price per hour (CAD)")).toBe("Enter an amount such as 4.50.");
    // The API's refusal (the cap below the hourly price) lands on the cap's field.
    await page.getByLabel("Your price per hour (CAD)", { exact: true }).fill("18.00");
    await page.getByLabel("Your monthly cap (CAD)", { exact: true }).fill("0.09");
    await card().getByRole("button", { name: "Save price" }).click();
    expect(await describedError(page, "Your monthly cap (CAD)")).toBe(
      "The monthly cap cannot be lower than the hourly price.",
    );
    expect(await plansSeenByCustomer()).toEqual([]);
  });

  it("sets a price: the reseller's customer then sees B's site at it", async () => {
    await page.getByLabel("Your monthly cap (CAD)", { exact: true }).fill("100.00");
    await card().getByRole("button", { name: "Save price" }).click();
    await expect.poll(() => card().getByRole("status").innerText(), { timeout: 15_000 }).toBe("Saved.");
    expect(await card().innerText()).toMatch(
      /Your customers pay now\s+\S*18\.00\/hour, at most \S*100\.00\/month/,
    );
    expect(await plansSeenByCustomer()).toEqual([[w.siteB, [[w.planB, 1800, 10_000]]]]);
    // The provider's direct customer still pays A's own price.
    const direct = (await w.customer.api.get("/partner-sites")).body.items[0].plans[0];
    expect(direct).toMatchObject({ hourly_price_minor: RETAIL.hourly, monthly_cap_minor: RETAIL.monthlyCap });
    await screenshot(page, "partner-prices-set");
  });

  it("removes it: not sold again, and gone from the customer's partner sites", async () => {
    await card().getByRole("button", { name: "Remove" }).click();
    await expect
      .poll(() => card().getByRole("status").innerText(), { timeout: 15_000 })
      .toBe("Removed: no longer sold to your customers.");
    expect(await card().innerText()).toMatch(/Your customers pay now\s+not sold/);
    expect(await plansSeenByCustomer()).toEqual([]);
    expect((await reseller.api.get("/partner-prices")).body.items[0]).toMatchObject({
      retail_hourly_minor: null,
      retail_monthly_cap_minor: null,
    });
    expect(problems()).toEqual([]);
  });
});
