import { Secret, TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  WEB_ROOT,
  collectPageProblems,
  describedError,
  launchBrowser,
  screenshot,
} from "../support/browser.js";
import { ADMIN_PASSWORD, apiClient, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/** What an authenticator app shows, computed with the same library the controller uses. */
function codeAt(secret: string, timestamp = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp });
}

/** Waits out the end of a 30-second step when little is left, so "a step ago" and "now" both stay valid. */
async function awayFromStepEnd(marginMs = 12_000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}

describe("two-factor login in the portal, in a real browser", () => {
  let c: TestController;
  let browser: Browser | undefined;
  let admin: Tenant;
  let secret = "";
  let recoveryCodes: string[] = [];
  let origin = "";

  beforeAll(async () => {
    c = await startTestController("pglite", { webRoot: WEB_ROOT });
    origin = new URL(c.url).origin;
    admin = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  async function newPage(): Promise<{ page: Page; problems: () => string[] }> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    return { page, problems: collectPageProblems(page) };
  }

  async function passwordStep(page: Page, email: string): Promise<void> {
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
  }

  it("enrols from the account page: secret shown as text, first code confirms, recovery codes shown once", async () => {
    const { page, problems } = await newPage();
    await passwordStep(page, admin.email);
    await page.waitForURL(/\/servers$/);
    await page.goto(`${origin}/account`);
    await page.getByRole("heading", { name: "Two-factor login" }).waitFor();
    await page.getByRole("button", { name: "Set up two-factor login" }).click();
    secret = (await page.getByTestId("totp-secret").innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByLabel("otpauth link").inputValue()).toContain(`secret=${secret}`);
    await screenshot(page, "two-factor-enrol");

    await page.getByLabel("Code from your app").fill("000000");
    await page.getByRole("button", { name: "Turn on two-factor login" }).click();
    expect(await describedError(page, "Code from your app")).toMatch(/code is wrong/i);
    await awayFromStepEnd();
    // The previous step's code (still inside the window), so the current one is left for the login below.
    await page.getByLabel("Code from your app").fill(codeAt(secret, Date.now() - 30_000));
    await page.getByRole("button", { name: "Turn on two-factor login" }).click();
    const list = page.getByRole("list", { name: "Recovery codes" });
    await list.waitFor();
    recoveryCodes = (await list.getByRole("listitem").allInnerTexts()).map((t) => t.trim());
    expect(recoveryCodes).toHaveLength(10);
    await screenshot(page, "two-factor-recovery-codes");
    await page.reload();
    await page.getByText(/Two-factor login is on/).waitFor();
    expect(await page.content()).not.toContain(recoveryCodes[0]);
    expect(problems()).toEqual([]);
  });

  it("logs in with the password and then the code, refusing a wrong code beside the field", async () => {
    const { page, problems } = await newPage();
    await passwordStep(page, admin.email);
    await page.getByLabel("Authentication code").waitFor();
    await screenshot(page, "two-factor-login-code");
    await page.getByLabel("Authentication code").fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await describedError(page, "Authentication code")).toMatch(/code is wrong/i);
    await page.getByLabel("Authentication code").fill(codeAt(secret));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole("heading", { name: "No servers yet" }).waitFor();
    expect(problems()).toEqual([]);
  });

  it("logs in once with a recovery code", async () => {
    const { page } = await newPage();
    await passwordStep(page, admin.email);
    await page.getByLabel("Authentication code").fill(recoveryCodes[0] ?? "");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(/\/servers$/);
    const again = await newPage();
    await passwordStep(again.page, admin.email);
    await again.page.getByLabel("Authentication code").fill(recoveryCodes[0] ?? "");
    await again.page.getByRole("button", { name: "Verify" }).click();
    expect(await describedError(again.page, "Authentication code")).toMatch(/code is wrong/i);
  });

  it("lets an admin require it, and walks a member through enrolment before anything else", async () => {
    const memberEmail = `member-${Date.now()}@example.test`;
    // The provider creates the member directly (an account's own admin would invite it).
    const member = await apiClient(c.url, c.adminToken).post("/users", {
      account_id: admin.accountId,
      email: memberEmail,
      role: "customer-member",
      password: ADMIN_PASSWORD,
    });
    expect(member.status).toBe(201);

    const { page } = await newPage();
    await passwordStep(page, admin.email);
    await page.getByLabel("Authentication code").fill(recoveryCodes[1] ?? "");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(/\/servers$/);
    await page.goto(`${origin}/account`);
    const toggle = page.getByLabel("Require two-factor login for everyone in this account");
    // The box shows the policy as the server holds it, so it turns checked only once the change
    // is saved; on a busy machine that is after check() looks. Click (which waits until the box
    // is enabled), then wait for the saved policy.
    await toggle.click();
    await page.waitForFunction(async (accountId) => {
      const res = await fetch(`/api/v1/accounts/${accountId}/two-factor`, { credentials: "include" });
      return res.ok && ((await res.json()) as { required: boolean }).required;
    }, admin.accountId);

    const m = await newPage();
    await passwordStep(m.page, memberEmail);
    await m.page.getByRole("heading", { name: "Set up two-factor login" }).waitFor();
    await screenshot(m.page, "two-factor-required");
    await m.page.getByRole("button", { name: "Set up two-factor login" }).click();
    const memberSecret = (await m.page.getByTestId("totp-secret").innerText()).trim();
    await m.page.getByLabel("Code from your app").fill(codeAt(memberSecret));
    await m.page.getByRole("button", { name: "Turn on two-factor login" }).click();
    await m.page.getByRole("list", { name: "Recovery codes" }).waitFor();
    await m.page.getByRole("button", { name: "Continue" }).click();
    await m.page.getByRole("heading", { name: "No servers yet" }).waitFor();
    expect(m.problems()).toEqual([]);
  });
});
