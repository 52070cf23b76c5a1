import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WEB_ROOT, collectPageProblems, launchBrowser, screenshot } from "../support/browser.js";
import { ADMIN_PASSWORD, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { describeOnDatabase } from "../support/databases.js";
import { originOf } from "../support/hosts.js";

/**
 * The portal's Federation page, driven in Chromium by A's provider admin against a second,
 * independent installation B (its own PostgreSQL database and keys, on loopback): A's admin
 * sets the profile, issues an invitation that B redeems, approves B only with B's real
 * fingerprint, sees B's offer and sets a markup on it, then suspends and revokes B; a join with a
 * bad token shows B's refusal.
 */
describeOnDatabase("postgres", "the Federation page peers two installations", () => {
  let a: TestController;
  let b: TestController;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let browser: Browser;
  let page: Page;
  let problems: () => string[];

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestController("pglite", { webRoot: WEB_ROOT }),
      startTestController("postgres"),
    ]);
    apiA = apiClient(a.url, a.adminToken);
    apiB = apiClient(b.url, b.adminToken);
    const setB = await apiB.patch("/federation/profile", { name: "Provider B", url: originOf(b) });
    expect(setB.status, JSON.stringify(setB.body)).toBe(200);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = collectPageProblems(page);
    await page.goto(`${originOf(a)}/login`);
    await page.getByLabel("Email", { exact: true }).fill(a.adminEmail);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([a?.close(), b?.close()]);
  });

  it("shows the installation's fingerprint and saves its profile", async () => {
    await page
      .getByRole("navigation", { name: "Provider" })
      .getByRole("link", { name: "Federation" })
      .click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe("Federation");
    const own = (await apiA.get("/federation/profile")).body;
    expect(await page.getByLabel("This installation's key fingerprint").inputValue()).toBe(own.fingerprint);

    await page.getByRole("button", { name: "Edit the profile" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Provider A (Ontario)");
    await page.getByLabel("URL peers call").fill(originOf(a));
    await page.getByLabel("Jurisdictions").fill("ca");
    await page.getByRole("button", { name: "Save the profile" }).click();
    // A lowercase code is refused, and the field says how to write it.
    await expect
      .poll(() => page.getByRole("alert").allInnerTexts())
      .toContain("Use ISO 3166 codes such as CA or CA-QC, in capitals.");
    await page.getByLabel("Jurisdictions").fill("CA, CA-ON");
    await page.getByRole("button", { name: "Save the profile" }).click();
    await page.getByRole("button", { name: "Edit the profile" }).waitFor();
    expect((await apiA.get("/federation/profile")).body).toMatchObject({
      name: "Provider A (Ontario)",
      url: originOf(a),
      jurisdictions: ["CA", "CA-ON"],
    });
  });

  it("issues an invitation whose token B redeems; B is approved only with its real fingerprint", async () => {
    await page.getByLabel("Note").fill("for Provider B");
    await page.getByRole("button", { name: "Issue an invitation" }).click();
    const token = await page.getByLabel("The invitation token").inputValue();
    expect(token.length).toBeGreaterThan(20);
    // The token is in that one answer only: the list shows the note, never the token.
    expect((await apiA.get("/federation/invitations")).body.items[0]).not.toHaveProperty("token");

    const joined = await apiB.post("/federation/join", { url: originOf(a), token });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    await page.reload();
    const row = page.getByRole("row", { name: /^Provider B/ });
    await expect.poll(() => row.innerText()).toMatch(/pending/);
    await expect
      .poll(() => page.getByRole("row", { name: /^for Provider B/ }).innerText())
      .toMatch(/redeemed/);

    const fingerprintB = (await apiB.get("/federation/profile")).body.fingerprint as string;
    expect(await row.innerText()).toContain(fingerprintB);
    await page.getByRole("button", { name: "Approve Provider B" }).click();
    const form = page.getByRole("form", { name: "Approve Provider B" });
    // A fingerprint read out wrong (one character off) is refused.
    const wrong = `${fingerprintB.slice(0, -1)}${fingerprintB.endsWith("A") ? "B" : "A"}`;
    await form.getByLabel("Their key fingerprint").fill(wrong);
    await form.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => form.getByRole("alert").allInnerTexts()).not.toEqual([]);
    expect((await apiA.get("/federation/peers")).body.items[0].state).toBe("pending");

    await form.getByLabel("Their key fingerprint").fill(fingerprintB);
    await form.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => row.innerText()).toMatch(/active/);
    await screenshot(page, "federation-peers");
  });

  it("shows B's offer with A's markup and retail price once both sides are active", async () => {
    const aOnB = (await apiB.get("/federation/peers")).body.items[0].id as string;
    const fingerprintA = (await apiA.get("/federation/profile")).body.fingerprint as string;
    const approved = await apiB.post(`/federation/peers/${aOnB}/approve`, { fingerprint: fingerprintA });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const siteB = (await apiB.get("/sites")).body.items[0].id as string;
    const planB = (await apiB.get("/plans")).body.items[0].id as string;
    const offered = await apiB.post(`/federation/peers/${aOnB}/offer`, {
      currency: "CAD",
      site_ids: [siteB],
      plans: [{ plan_id: planB, hourly_price_minor: 1_234, monthly_cap_minor: 600_000 }],
    });
    expect(offered.status, JSON.stringify(offered.body)).toBe(201);

    // B pushed it; "Fetch offer" pulls it again (a signed request to B), which changes nothing.
    await page.getByRole("button", { name: "Fetch Provider B's offer" }).click();
    const card = page.getByRole("article", { name: "Offer from Provider B" });
    await expect.poll(() => card.innerText()).toMatch(/version 1/);
    expect(await card.innerText()).toMatch(/on sale/);
    expect(await card.getByRole("row").nth(1).innerText()).toMatch(/12\.34/);

    const markup = card.getByRole("form", { name: "Markup on Provider B's offer" });
    await markup.getByLabel("Markup on every plan, in percent").fill("12.345");
    await markup.getByRole("button", { name: "Set the markup" }).click();
    await expect
      .poll(() => markup.getByRole("alert").allInnerTexts())
      .toEqual(["A percentage such as 25 or 12.5 (two decimals at most)."]);
    await markup.getByLabel("Markup on every plan, in percent").fill("25");
    await markup.getByRole("button", { name: "Set the markup" }).click();
    // 1234 at 25 % is 1542.5, rounded up: A never sells below its markup.
    await expect.poll(() => card.getByRole("row").nth(1).innerText()).toMatch(/25 %[\s\S]*15\.43/);
    const offers = (await apiA.get("/federation/offers")).body.items;
    expect(offers[0].plans[0]).toMatchObject({ retail_hourly_minor: 1_543 });
    await screenshot(page, "federation-offers");
  });

  it("suspends and revokes B, each after a confirmation", async () => {
    const row = page.getByRole("row", { name: /^Provider B/ });
    await page.getByRole("button", { name: "Suspend Provider B" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Suspend" }).click();
    await expect.poll(() => row.innerText()).toMatch(/suspended/);
    await page.getByRole("button", { name: "Revoke Provider B" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.innerText()).toMatch(/revoked/);
    expect(await page.getByRole("button", { name: "Approve Provider B" }).count()).toBe(0);
    // A revoked partner's offer is kept, but no longer sold.
    await page.reload();
    await expect
      .poll(() => page.getByRole("article", { name: "Offer from Provider B" }).innerText())
      .toMatch(/not on sale/);
    expect((await apiA.get("/federation/peers")).body.items[0].state).toBe("revoked");
  });

  it("shows B's refusal when a join's token is not one B issued", async () => {
    const join = page.getByRole("form", { name: "Join a partner" });
    await join.getByLabel("Partner's URL").fill(originOf(b));
    await join.getByLabel("Invitation token").fill("not-a-token-b-issued");
    await join.getByRole("button", { name: "Join" }).click();
    await expect.poll(() => join.getByRole("alert").allInnerTexts()).not.toEqual([]);
    expect((await apiA.get("/federation/peers")).body.items).toHaveLength(1);
    expect(problems()).toEqual([]);
  });
});
