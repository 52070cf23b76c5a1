import { createSmtpMailer } from "@layerboom/controller";
import type { Mailer } from "@layerboom/controller";
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
import { startSmtpSink } from "../support/smtp-sink.js";
import type { SmtpSink } from "../support/smtp-sink.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/**
 * The origin the mail links name. The test controller listens on a port chosen when it
 * starts, after its public URL is set, so the test opens each link's path and query on the
 * controller's own origin (as the signup test does), having checked the link's origin.
 */
const PUBLIC_URL = "https://panel.northwind.test";
const BRAND = "Northwind Hosting";
const ACCOUNT = "Bakery Ltd";
const MEMBER_PASSWORD = "a member's very own password";

describe("inviting users in the portal, in a real browser", () => {
  let c: TestController;
  let sink: SmtpSink;
  let mailer: Mailer;
  let browser: Browser | undefined;
  let origin = "";
  let admin: Tenant;
  /** The admin's tab, logged in once and shared by the cases. */
  let adminPage: Page;
  let adminProblems: () => string[];
  const memberEmail = `mia-${Date.now()}@invited.test`;
  const otherEmail = `otto-${Date.now()}@invited.test`;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = createSmtpMailer({ smtpUrl: sink.url, from: "Northwind <noreply@northwind.test>" });
    c = await startTestController("pglite", { webRoot: WEB_ROOT, mailer, publicUrl: PUBLIC_URL });
    origin = new URL(c.url).origin;
    const provider = apiClient(c.url, c.adminToken);
    const brand = await provider.put("/branding", { name: BRAND });
    expect(brand.status, JSON.stringify(brand.body)).toBe(200);
    admin = await createTenant(c, provider, "customer", undefined, { name: ACCOUNT });
    browser = await launchBrowser();

    adminPage = await (await browser.newContext()).newPage();
    adminProblems = collectPageProblems(adminPage);
    await logIn(adminPage, admin.email, ADMIN_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.close();
    mailer?.close();
    await sink?.close();
  });

  async function logIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
  }

  /** A fresh browser context: no cookie, no session, like the invitee's own browser. */
  async function freshPage(): Promise<{ page: Page; problems: () => string[] }> {
    const page = await (await browser!.newContext()).newPage();
    return { page, problems: collectPageProblems(page) };
  }

  /** Sends an invitation through the Account page's form, as the admin. */
  async function invite(email: string, name: string): Promise<void> {
    const form = adminPage.getByRole("form", { name: "Invite a user" });
    await form.getByLabel("Email", { exact: true }).fill(email);
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Role", { exact: true }).selectOption({ label: "Member" });
    await form.getByRole("button", { name: "Send invitation" }).click();
    await form.getByRole("status").getByText(`Invitation sent to ${email}.`).waitFor();
  }

  /** The path and query of the accept-invitation link mailed to `email`, after checking its origin. */
  async function mailedLink(email: string): Promise<string> {
    const mail = await sink.waitFor(email, (m) => m.text.includes("/accept-invitation?token="));
    expect(mail.subject).toContain(ACCOUNT);
    const match = /(https?:\/\/\S+?)(\/accept-invitation\?token=\S+)/.exec(mail.text);
    expect(match, mail.text).not.toBeNull();
    expect(match?.[1]).toBe(PUBLIC_URL);
    return match?.[2] ?? "";
  }

  const pendingTable = () => adminPage.getByRole("table", { name: "Pending invitations" });

  it("an admin invites a member on the Account page and sees the invitation pending", async () => {
    await adminPage.goto(`${origin}/account`);
    await adminPage.getByRole("heading", { name: "Invite a user" }).waitFor();
    // Inviting asks for no password: the invitee chooses it.
    const form = adminPage.getByRole("form", { name: "Invite a user" });
    expect(await form.locator('input[type="password"]').count()).toBe(0);
    await invite(memberEmail, "Mia");
    const row = pendingTable().getByRole("row").filter({ hasText: memberEmail });
    await row.waitFor();
    expect(await row.innerText()).toContain("Member");
    expect(await adminPage.locator("body").innerText()).not.toMatch(/user (was )?(created|added)/i);
    await screenshot(adminPage, "invitations-pending");
    expect(adminProblems()).toEqual([]);
  });

  it("the invitee opens the mailed link, sets a password, joins and logs in", async () => {
    const link = await mailedLink(memberEmail);
    const { page, problems } = await freshPage();
    await page.goto(`${origin}${link}`);
    await page.getByRole("heading", { name: `Join ${ACCOUNT} on ${BRAND} as member` }).waitFor();
    expect(await page.locator("main").innerText()).toContain(memberEmail);
    await screenshot(page, "invitations-accept");

    // The API's complaint about a weak password shows beside the field.
    await page.getByLabel("Choose a password", { exact: true }).fill("short");
    await page.getByRole("button", { name: `Join ${ACCOUNT}` }).click();
    expect(await describedError(page, "Choose a password")).toMatch(/password/i);
    await page.getByLabel("Choose a password", { exact: true }).fill(MEMBER_PASSWORD);
    await page.getByRole("button", { name: `Join ${ACCOUNT}` }).click();
    await page.getByRole("heading", { name: `You joined ${ACCOUNT}` }).waitFor();
    await screenshot(page, "invitations-joined");
    await page.getByRole("link", { name: "Log in" }).click();
    await page.waitForURL(/\/login$/);
    await logIn(page, memberEmail, MEMBER_PASSWORD);
    // A member sees the users of the account, and neither the invitations nor the form.
    await page.goto(`${origin}/account`);
    await page.getByRole("heading", { name: "Users of your account" }).waitFor();
    expect(await page.getByRole("heading", { name: "Invite a user" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Pending invitations" }).count()).toBe(0);
    expect(problems()).toEqual([]);

    // The admin's list no longer holds the accepted invitation, and the users list has the member.
    await adminPage.reload();
    await adminPage.getByRole("heading", { name: "Pending invitations" }).waitFor();
    await adminPage.getByText("No invitations are waiting for an answer.").waitFor();
    await adminPage.getByRole("cell", { name: memberEmail }).waitFor();
  });

  it("a withdrawn invitation's link shows the API's message and no form", async () => {
    await invite(otherEmail, "Otto");
    const link = await mailedLink(otherEmail);
    const row = pendingTable().getByRole("row").filter({ hasText: otherEmail });
    await row.getByRole("button", { name: `Withdraw the invitation to ${otherEmail}` }).click();
    const dialog = adminPage.getByRole("dialog", { name: `Withdraw the invitation to ${otherEmail}?` });
    await dialog.getByRole("button", { name: "Withdraw invitation" }).click();
    await adminPage.getByText(`Withdrew the invitation to ${otherEmail}.`).waitFor();
    await row.waitFor({ state: "detached" });
    expect(adminProblems()).toEqual([]);

    const { page, problems } = await freshPage();
    await page.goto(`${origin}${link}`);
    await page.getByRole("heading", { name: "This invitation cannot be used" }).waitFor();
    expect(await page.getByRole("alert").innerText()).toMatch(/withdrawn/);
    expect(await page.getByLabel("Choose a password", { exact: true }).count()).toBe(0);
    await screenshot(page, "invitations-withdrawn");

    // A link without its token says so, and asks the API nothing.
    await page.goto(`${origin}/accept-invitation`);
    await page.getByRole("heading", { name: "This link is incomplete" }).waitFor();
    expect(problems()).toEqual([]);
  });
});
