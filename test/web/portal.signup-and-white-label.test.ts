import { get as httpGet } from "node:http";
import { createSmtpMailer } from "@layerboom/controller";
import type { Mailer } from "@layerboom/controller";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT, describedError, launchBrowser, screenshot } from "../support/browser.js";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { startSmtpSink } from "../support/smtp-sink.js";
import { createTenant } from "../support/tenants.js";
import type { SmtpSink, SunkMail } from "../support/smtp-sink.js";

const PASSWORD = "a long enough portal password";
const PROVIDER_BRAND = "Northwind Hosting";
const RESELLER_DOMAIN = "panel.kite.test";
// A 1×1 teal PNG: the reseller's logo, as a data: URL.
const KITE_LOGO =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkqPtfDwAFAgJ/vO9hvwAAAABJRU5ErkJggg==";

/** The path and query of the first link to `<page>` in a mail, to open on another origin. */
function linkPath(mail: SunkMail, page: string): string {
  const match = new RegExp(`https?://\\S+?(/${page}\\?token=\\S+)`).exec(mail.text);
  expect(match, mail.text).not.toBeNull();
  return match?.[1] ?? "";
}

/** Everything a visitor can read on the page, plus its title. */
async function visibleText(page: Page): Promise<string> {
  return `${await page.title()}\n${await page.locator("body").innerText()}`;
}

describe("the web portal's signup and white label, in a real browser", () => {
  let c: TestController;
  let sink: SmtpSink;
  let mailer: Mailer;
  let browser: Browser | undefined;
  let provider: ApiClient;
  let origin: string;
  let resellerOrigin: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = createSmtpMailer({ smtpUrl: sink.url, from: "Panel <noreply@northwind.test>" });
    c = await startTestController("pglite", {
      webRoot: WEB_ROOT,
      mailer,
      publicUrl: "https://portal.northwind.test",
    });
    origin = new URL(c.url).origin;
    resellerOrigin = `http://${RESELLER_DOMAIN}:${new URL(c.url).port}`;
    provider = apiClient(c.url, c.adminToken);
    const own = await provider.put("/branding", { name: PROVIDER_BRAND, primary_color: "#7c3aed" });
    expect(own.status, JSON.stringify(own.body)).toBe(200);

    // A reseller with its own brand and portal domain.
    const reseller = await createTenant(c, provider, "reseller", undefined, {
      name: "Kite Hosting Inc",
      slug: "kite",
      email: "admin@kite.test",
    });
    const brand = await reseller.api.put("/branding", {
      name: "Kite Cloud",
      logo_url: KITE_LOGO,
      primary_color: "#0f766e",
      accent_color: "#f59e0b",
      support_email: "help@kite.test",
    });
    expect(brand.status, JSON.stringify(brand.body)).toBe(200);
    // The provider assigns the portal domain (a reseller would prove it: docs/security.md, "Portal domains").
    const domain = await provider.post("/branding/domains", {
      domain: RESELLER_DOMAIN,
      account_id: reseller.accountId,
    });
    expect(domain.status, JSON.stringify(domain.body)).toBe(201);
    browser = await launchBrowser({ hostMap: [RESELLER_DOMAIN] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.close();
    mailer?.close();
    await sink?.close();
  });

  /** Signs up on a portal origin, opens the mailed link there, and logs in; returns the page on the servers list. */
  async function signUpVerifyAndLogIn(
    page: Page,
    at: string,
    email: string,
    shots: string,
  ): Promise<SunkMail> {
    await page.goto(`${at}/login`);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/signup$/);
    // The router keeps the login page on screen until the signup page's chunk has loaded, and
    // that page has an "Email" field too: wait for the signup form itself.
    await page.getByRole("button", { name: "Create account" }).waitFor();
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Company or project name").fill("Gina's Garden");
    await page.getByLabel("Your name").fill("Gina");
    await page.getByRole("button", { name: "Create account" }).click();
    // The API's complaint about the password sits beside the password.
    expect(await describedError(page, "Password")).toMatch(/password/i);
    await screenshot(page, `${shots}-signup-error`);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText(/inbox/i).first().waitFor();
    await screenshot(page, `${shots}-signup-sent`);

    const mail = await sink.waitFor(email);
    await page.goto(`${at}${linkPath(mail, "verify-email")}`);
    await page.getByText(/Your email is confirmed/i).waitFor();
    await screenshot(page, `${shots}-verified`);
    await page.getByRole("link", { name: "Log in" }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole("heading", { name: "No servers yet" }).waitFor();
    return mail;
  }

  it("signs up, confirms the email through the SMTP sink, and logs in", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const mail = await signUpVerifyAndLogIn(page, origin, "gina@garden.test", "10");
    expect(mail.subject).toBe(`Confirm your email address for ${PROVIDER_BRAND}`);
    expect(await page.title()).toContain(PROVIDER_BRAND);
    await screenshot(page, "10-signed-up-servers");

    // The link works once: opening it again says so instead of confirming twice.
    await page.goto(`${origin}${linkPath(mail, "verify-email")}`);
    await page.getByText(/already used/i).waitFor();
    await context.close();
  }, 120_000);

  it("shows a reseller's customer only the reseller's brand, from signup to every page", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    // The page the server sends is titled with the reseller's brand before any script runs.
    const html = await new Promise<string>((resolve, reject) => {
      httpGet(
        `${origin}/servers`,
        { headers: { host: `${RESELLER_DOMAIN}:${new URL(c.url).port}` } },
        (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve(body));
        },
      ).on("error", reject);
    });
    expect(html).toContain("<title>Kite Cloud</title>");
    expect(html).not.toContain(PROVIDER_BRAND);

    // Before logging in, the reseller's domain already wears its brand.
    await page.goto(`${resellerOrigin}/login`);
    await page.getByRole("heading", { name: /Kite Cloud/ }).waitFor();
    expect(await visibleText(page)).not.toContain(PROVIDER_BRAND);
    await screenshot(page, "20-reseller-login");

    const mail = await signUpVerifyAndLogIn(page, resellerOrigin, "hana@kite-customer.test", "21");
    expect(mail.subject).toBe("Confirm your email address for Kite Cloud");
    expect(mail.from).toBe("help@kite.test");
    expect(mail.text).not.toContain(PROVIDER_BRAND);
    expect(mail.text).toContain(`https://${RESELLER_DOMAIN}/verify-email?token=`);
    const account = await c.database.db
      .selectFrom("accounts")
      .select("parent_id")
      .where("name", "=", "Gina's Garden")
      .where("parent_id", "!=", (await provider.get("/me")).body.account_id)
      .executeTakeFirst();
    expect(account, "the signup on the reseller's domain belongs to the reseller").toBeDefined();

    // Every page the customer can open shows the reseller's name, logo and colour, never the provider's.
    for (const [path, heading] of [
      ["/servers", "No servers yet"],
      ["/servers/new", "New server"],
      ["/images", "Images"],
      ["/ssh-keys", "SSH keys"],
      ["/invoices", "Invoices"],
      ["/tickets", "Support"],
      ["/account", "Account"],
    ] as const) {
      await page.goto(`${resellerOrigin}${path}`);
      await page.getByRole("heading", { name: heading }).first().waitFor();
      await expect.poll(() => page.title()).toContain("Kite Cloud");
      expect(await visibleText(page), path).not.toContain(PROVIDER_BRAND);
      await expect.poll(() => page.locator(".brand-name").innerText()).toBe("Kite Cloud");
      expect(await page.locator("img.brand-logo").getAttribute("src")).toBe(KITE_LOGO);
      expect(
        await page.evaluate(
          "getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim()",
        ),
      ).toBe("#0f766e");
    }
    await page.goto(`${resellerOrigin}/servers`);
    await page.getByRole("heading", { name: "No servers yet" }).waitFor();
    await screenshot(page, "22-reseller-customer-servers");
    await context.close();
  }, 180_000);
});
