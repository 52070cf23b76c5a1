import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT, launchBrowser, screenshot } from "../support/browser.js";
import { ADMIN_PASSWORD, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";

describe("invoices in the portal, in a real browser", () => {
  let c: TestController;
  let world: World;
  let browser: Browser | undefined;

  beforeAll(async () => {
    c = await startTestController("pglite", { webRoot: WEB_ROOT });
    world = await buildWorld(c);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  async function logIn(tenant: Tenant) {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${new URL(c.url).origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(tenant.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
    return { context, page };
  }

  it("shows the customer its invoice with the energy line and a PDF; the reseller records the payment", async () => {
    const invoice = (await world.customer1.api.get(`/invoices/${world.a.invoiceId}`)).body;
    const resellerName = (await world.reseller1.api.get("/branding")).body.name;

    // The customer: the list, then the invoice with its energy line and the PDF.
    const customer = await logIn(world.customer1);
    await customer.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Invoices" })
      .click();
    await customer.page.getByRole("link", { name: invoice.number }).click();
    await customer.page
      .getByRole("heading", { name: new RegExp(invoice.number) })
      .first()
      .waitFor();
    await customer.page.getByRole("cell", { name: "Energy" }).first().waitFor();
    // It is billed by its reseller, under the reseller's name.
    await customer.page.locator(".parties").getByText(resellerName, { exact: true }).waitFor();
    await screenshot(customer.page, "40-invoice-customer");
    const pdfHref = await customer.page.getByRole("link", { name: "Download PDF" }).getAttribute("href");
    const pdf = await customer.context.request.get(new URL(pdfHref ?? "", c.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toMatch(/application\/pdf/);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    // A customer cannot record payments on its own invoice.
    expect(await customer.page.getByRole("button", { name: "Record payment" }).count()).toBe(0);

    // The reseller that issued it records the payment through the form and its confirmation.
    const reseller = await logIn(world.reseller1);
    await reseller.page.goto(`${new URL(c.url).origin}/invoices/${world.a.invoiceId}`);
    // The reseller issued it: it is the seller, under its own name.
    await reseller.page.locator(".parties").getByText(resellerName, { exact: true }).waitFor();
    await reseller.page.getByLabel("Reference (optional)").fill("ET-42");
    await reseller.page.getByRole("button", { name: "Record payment" }).click();
    await reseller.page
      .getByRole("dialog", { name: "Record this payment?" })
      .getByRole("button", { name: "Record payment" })
      .click();
    await reseller.page
      .getByRole("list", { name: "Payments" })
      .getByText(/reference ET-42/)
      .waitFor();
    await screenshot(reseller.page, "41-invoice-paid");

    // The customer sees it paid, with the payment listed.
    await customer.page.reload();
    await customer.page
      .getByRole("list", { name: "Payments" })
      .getByText(/reference ET-42/)
      .waitFor();
    expect((await world.customer1.api.get(`/invoices/${world.a.invoiceId}`)).body.status).toBe("paid");

    // The session expires (the cookie is gone): the next step sends the user to the login page,
    // and logging in again brings them back to the invoice they were reading.
    await customer.context.clearCookies();
    await customer.page.getByRole("link", { name: "Invoices", exact: true }).first().click();
    await customer.page.waitForURL(/\/login$/);
    await customer.page.getByLabel("Email", { exact: true }).fill(world.customer1.email);
    await customer.page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await customer.page.getByRole("button", { name: "Log in" }).click();
    await customer.page.waitForURL(/\/invoices$/);
    await customer.page.getByRole("link", { name: invoice.number }).waitFor();
    await customer.context.close();
    await reseller.context.close();
  }, 120_000);
});
