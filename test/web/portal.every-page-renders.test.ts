import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT, collectPageProblems, launchBrowser, screenshot } from "../support/browser.js";
import { ADMIN_PASSWORD, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { insertRemoteServerRow } from "../support/remote-server-rows.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";

/**
 * Every page of the portal, as each kind of user, at desktop and phone width, on a world with
 * data in it (servers, keys, images, tokens, a ticket, an invoice): each one renders its
 * heading, never the "could not be shown" fallback, without page errors or CSP refusals, and
 * without sideways scrolling on a phone. The flows themselves have their own browser tests.
 */
/** What sticks out past the viewport, outside any box that scrolls, for a failure message. */
function tooWide(page: Page, width: number): Promise<string> {
  return page.evaluate<string>(`(() => {
    const scrolls = (e) => ["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX);
    const inScroller = (e) => {
      for (let p = e.parentElement; p; p = p.parentElement) if (scrolls(p)) return true;
      return false;
    };
    return [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > ${width} + 1 && !inScroller(e))
      .slice(0, 10)
      .map((e) => "<" + e.tagName.toLowerCase() + " class=" + e.className + "> " + (e.textContent ?? "").slice(0, 40))
      .join(", ");
  })()`);
}

// The roles' runs are independent (a browser context each) and mostly wait for the network to
// go quiet after each page, so they run two at a time (the integration project's maxConcurrency).
describe.concurrent("every portal page renders, for every role, on desktop and phone", () => {
  let c: TestController;
  let world: World;
  /** Customer 1's server at a partner's site (its own page, and a row in the servers list). */
  let remoteServerId = "";
  let browser: Browser | undefined;

  beforeAll(async () => {
    c = await startTestController("pglite", { webRoot: WEB_ROOT });
    world = await buildWorld(c);
    remoteServerId = await insertRemoteServerRow(c, {
      accountId: world.customer1.accountId,
      imageId: world.a.imageId,
      name: "web-partner",
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.close();
  });

  const customerPages = (w: World): [string, RegExp][] => [
    ["/servers", /^Servers$/],
    [`/servers/${w.a.serverId}`, /^web1$/],
    [`/servers/${remoteServerId}`, /^web-partner$/],
    ["/servers/new", /^New server$/],
    ["/images", /^Images$/],
    ["/ssh-keys", /^SSH keys$/],
    ["/invoices", /^Invoices$/],
    [`/invoices/${w.a.invoiceId}`, /^Invoice/],
    ["/tickets", /^Support$/],
    [`/tickets/${w.a.ticketId}`, /^web1 is slow$/],
    ["/account", /^Your account$/],
  ];
  const adminPages: [string, RegExp][] = [
    ["/admin", /^Dashboard$/],
    ["/admin/plans", /^Plans and prices$/],
    ["/admin/codes", /^Discount codes$/],
    ["/admin/accounts", /^Customers/],
    ["/admin/audit", /^Audit log$/],
    ["/admin/branding", /^Branding$/],
    ["/invoices", /^Invoices$/],
    ["/tickets", /^Support$/],
  ];

  for (const role of ["customer", "reseller admin", "provider admin"] as const) {
    it(`as a ${role}`, async () => {
      const email =
        role === "customer"
          ? world.customer1.email
          : role === "reseller admin"
            ? world.reseller1.email
            : c.adminEmail;
      const pages =
        role === "customer"
          ? customerPages(world)
          : role === "reseller admin"
            ? adminPages
            : [
                ...adminPages,
                ["/admin/hosts", /^Hosts$/] as [string, RegExp],
                ["/admin/sites", /^Sites$/] as [string, RegExp],
                ["/admin/federation", /^Federation$/] as [string, RegExp],
              ];
      const origin = new URL(c.url).origin;
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems = collectPageProblems(page);
      await page.goto(`${origin}/login`);
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForURL(/\/servers$/);

      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [path, heading] of pages) {
          await page.goto(`${origin}${path}`);
          await page.getByRole("heading", { level: 1, name: heading }).waitFor();
          // Lists and figures have loaded (or said why not) before the page is judged.
          await page.waitForLoadState("networkidle");
          expect(await page.getByText("This page could not be shown").count(), path).toBe(0);
          const scrollWidth = await page.evaluate<number>("document.documentElement.scrollWidth");
          const why = scrollWidth > width ? await tooWide(page, width) : "";
          expect(scrollWidth, `${path} at ${width} px: ${why}`).toBeLessThanOrEqual(width);
          if (width === 375)
            await screenshot(page, `50-${role.replace(" ", "-")}${path.replace(/\//g, "-")}-phone`);
        }
      }
      expect(problems()).toEqual([]);
      await context.close();
    }, 180_000);
  }
});
