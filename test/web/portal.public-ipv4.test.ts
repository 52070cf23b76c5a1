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
import type { ApiClient, TestController } from "../support/controller.js";
import { addIdleHost } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/**
 * Public IPv4 in the portal. The provider adds a pool to a site through the Sites page (after a
 * gateway outside the network, whose message shows beside the field) and removes it again. A
 * customer creates a server with one extra address through the wizard in a site whose pool was
 * made through the API, sees both addresses and the SSH command on the primary one, adds an
 * address, releases one through the confirmation dialog, and reads the month's transfer. The
 * server sits on an idle host offering the pool's bridge: nothing boots, and nothing needs to.
 */
describe("public IPv4 addresses and transfer in the web portal", () => {
  let c: TestController;
  let browser: Browser | undefined;
  let provider: ApiClient;
  let customer: Tenant;
  let publicSiteId: string;
  let otherSiteId: string;
  let plan: { id: string; name: string; extra_ipv4_monthly_minor: number; transfer_gib: number };

  async function logIn(page: Page, email: string): Promise<void> {
    const origin = new URL(c.url).origin;
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
  }

  beforeAll(async () => {
    c = await startTestController("pglite", { webRoot: WEB_ROOT });
    provider = apiClient(c.url, c.adminToken);
    const site = await provider.post("/sites", {
      name: "Toronto public",
      country_code: "CA",
      region_code: "ON",
      time_zone: "America/Toronto",
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    publicSiteId = site.body.id;
    const pool = await provider.post(`/sites/${publicSiteId}/ip-pools`, {
      cidr: "203.0.113.0/28",
      gateway: "203.0.113.1",
      bridge: "br-x",
    });
    expect(pool.status, JSON.stringify(pool.body)).toBe(201);
    const hostId = await addIdleHost(c, publicSiteId, "hv-public");
    await c.database.db
      .updateTable("hosts")
      .set({ bridges: JSON.stringify(["br-x"]) })
      .where("id", "=", hostId)
      .execute();
    const other = await provider.post("/sites", {
      name: "Montreal spare",
      country_code: "CA",
      region_code: "QC",
      time_zone: "America/Toronto",
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    otherSiteId = other.body.id;
    plan = (await provider.get("/plans")).body.items.find((p: any) => p.name === "nano");
    const image = await provider.post("/images", {
      name: "tiny-web",
      visibility: "public",
      format: "kernel+initrd",
    });
    expect(image.status, JSON.stringify(image.body)).toBe(201);
    customer = await createTenant(c, provider, "customer");
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  it("the provider adds a pool through the Sites page, after a gateway outside the network, and removes it", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await logIn(page, c.adminEmail);
    await page.goto(`${new URL(c.url).origin}/admin/sites`);
    await page.getByRole("heading", { level: 1, name: "Sites" }).waitFor();

    // The pooled site lists its pool; the other one has none yet.
    const pooled = page.getByRole("article", { name: "Toronto public" });
    await pooled.getByRole("cell", { name: "203.0.113.0/28", exact: true }).waitFor();
    await pooled.getByRole("cell", { name: "203.0.113.1 – 203.0.113.14", exact: true }).waitFor();
    await pooled.getByRole("cell", { name: "0 / 13", exact: true }).waitFor();
    const spare = page.getByRole("article", { name: "Montreal spare" });
    await spare.getByText("None: servers here use private networking").waitFor();

    await spare.getByRole("button", { name: "Add IPv4 pool" }).click();
    await page.getByLabel("Network (CIDR)", { exact: true }).fill("192.0.2.0/28");
    await page.getByLabel("Gateway", { exact: true }).fill("198.51.100.1");
    await page.getByLabel("Bridge", { exact: true }).fill("br-y");
    await page.getByLabel("DNS resolvers", { exact: true }).fill("9.9.9.9, 1.1.1.1");
    await spare.getByRole("button", { name: "Add pool" }).click();
    expect(await describedError(page, "Gateway")).toMatch(
      /198\.51\.100\.1 is not a host address of 192\.0\.2\.0\/28/,
    );
    await spare.scrollIntoViewIfNeeded();
    await screenshot(page, "ipv4-01-pool-gateway-error");

    await page.getByLabel("Gateway", { exact: true }).fill("192.0.2.1");
    await spare.getByRole("button", { name: "Add pool" }).click();
    await spare.getByRole("cell", { name: "192.0.2.0/28", exact: true }).waitFor();
    await spare.getByRole("cell", { name: "0 / 13", exact: true }).waitFor();
    await spare.getByText("DNS 9.9.9.9, 1.1.1.1").waitFor();
    expect(await spare.getByRole("form").count()).toBe(0);
    const pools = (await provider.get(`/sites/${otherSiteId}/ip-pools`)).body.items;
    expect(pools).toMatchObject([{ cidr: "192.0.2.0/28", gateway: "192.0.2.1", bridge: "br-y" }]);
    await screenshot(page, "ipv4-02-pool-added");

    // Remove asks first; then the site has no pool again.
    await spare.getByRole("button", { name: "Remove pool 192.0.2.0/28" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove pool 192.0.2.0/28?" });
    await dialog.getByRole("button", { name: "Remove pool" }).click();
    await spare.getByText("None: servers here use private networking").waitFor();
    expect((await provider.get(`/sites/${otherSiteId}/ip-pools`)).body.items).toEqual([]);

    expect(problems()).toEqual([]);
    await context.close();
  }, 120_000);

  it("a customer creates a server with an extra address, adds one, releases one and sees the transfer", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await logIn(page, customer.email);
    await page.goto(`${new URL(c.url).origin}/servers/new`);
    await page.getByRole("heading", { level: 1, name: "New server" }).waitFor();

    // Only a site with public addresses offers extra ones, at the plan's price.
    await page.getByLabel("Plan", { exact: true }).selectOption(plan.id);
    const extra = page.getByLabel("Extra IPv4 addresses", { exact: true });
    expect(await extra.count()).toBe(0);
    await page.getByLabel("Site", { exact: true }).selectOption(publicSiteId);
    await extra.waitFor();
    const price = new Intl.NumberFormat("en-US", { style: "currency", currency: "CAD" }).format(
      plan.extra_ipv4_monthly_minor / 100,
    );
    await page.getByText(`${price} a month each, billed by the hour.`).waitFor();
    await extra.fill("1");
    await page.getByText(`+ 1 extra IPv4 address, ${price} a month`).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("pub-web");
    await screenshot(page, "ipv4-03-wizard-extra-address");
    await page.getByRole("button", { name: "Create server" }).click();
    await page.waitForURL(/\/servers\/srv_/);
    await page.getByRole("heading", { level: 1, name: "pub-web" }).waitFor();
    const serverId = page.url().split("/").pop()!;

    // Both addresses, the primary one first; SSH goes to the primary one.
    const section = page.getByRole("region", { name: "Public IPv4", exact: true });
    const list = section.getByRole("list", { name: "Public IPv4 addresses" });
    const listed = async () =>
      (await list.getByRole("listitem").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    await expect
      .poll(listed)
      .toEqual([
        expect.stringMatching(/^203\.0\.113\.2\/28 primary$/),
        expect.stringMatching(/^203\.0\.113\.3\/28 extra Release$/),
      ]);
    expect(await page.getByLabel("SSH command").innerText()).toBe("ssh root@203.0.113.2");
    await section.getByText(`${price} a month per extra address, billed by the hour`).waitFor();
    await section.getByText("apply at the server’s next reboot").waitFor();
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, "ipv4-04-server-two-addresses");

    // One more.
    await section.getByRole("button", { name: "Add IPv4 address" }).click();
    await section.getByText("Added 203.0.113.4. The server configures it at its next reboot.").waitFor();
    await expect.poll(listed).toHaveLength(3);

    // Release the first extra one, through the dialog.
    await section.getByRole("button", { name: "Release 203.0.113.3" }).click();
    const dialog = page.getByRole("dialog", { name: "Release 203.0.113.3?" });
    await dialog.getByText("billing for it stops now").waitFor();
    await screenshot(page, "ipv4-05-release-dialog");
    await dialog.getByRole("button", { name: "Release address" }).click();
    await section.getByText("Released 203.0.113.3").waitFor();
    await expect
      .poll(listed)
      .toEqual([
        expect.stringMatching(/^203\.0\.113\.2\/28 primary$/),
        expect.stringMatching(/^203\.0\.113\.4\/28 extra Release$/),
      ]);
    const ipv4 = (await customer.api.get(`/servers/${serverId}`)).body.addresses
      .filter((a: any) => a.kind === "ipv4")
      .map((a: any) => a.address);
    expect(ipv4).toEqual(["203.0.113.2", "203.0.113.4"]);
    // The primary address has no Release button.
    expect(await section.getByRole("button", { name: "Release 203.0.113.2" }).count()).toBe(0);

    // The month's transfer: nothing moved yet, against the prorated allowance.
    const transfer = page.getByRole("region", { name: "Transfer this month" });
    await expect.poll(() => transfer.getByTestId("transfer-sent").innerText()).toBe("0 B");
    expect(await transfer.getByTestId("transfer-received").innerText()).toBe("0 B (free)");
    // Prorated by the time the server has existed this month: seconds so far, of the plan's monthly GiB.
    expect(await transfer.getByTestId("transfer-allowance").innerText()).toMatch(
      new RegExp(
        `^[\\d.,]+ (B|KiB|MiB) so far, of the plan’s ${plan.transfer_gib.toLocaleString("en-US")} GiB a month$`,
      ),
    );
    expect(await transfer.getByRole("meter", { name: "Allowance used" }).getAttribute("aria-valuenow")).toBe(
      "0",
    );
    await transfer.scrollIntoViewIfNeeded();
    await screenshot(page, "ipv4-06-after-release-and-transfer");

    // On a phone, the addresses and the transfer fit without sideways scrolling.
    await page.setViewportSize({ width: 375, height: 800 });
    await transfer.scrollIntoViewIfNeeded();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await screenshot(page, "ipv4-07-server-phone");

    expect(problems()).toEqual([]);
    await context.close();
  }, 120_000);
});
