import type { App } from "@layerboom/controller";
import type { Browser, BrowserContext, Page } from "playwright-core";
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
import { eventually, originOf } from "../support/hosts.js";
import { RETAIL, WHOLESALE, remoteServerWorld, stopB } from "../support/remote-servers.js";
import type { RemoteServerWorld } from "../support/remote-servers.js";

const PARTNER = "Provider B (Québec)";
/** PARTNER inside a regular expression. */
const PARTNER_RE = PARTNER.replace(/[()]/g, "\\$&");

/**
 * A server at a partner's site through the portal (issue 17, docs/federation.md): A's customer
 * sees B's site in the create wizard after A's own, labelled with B's name, its country and
 * jurisdiction, and B's plan at A's retail price; creates there and lands on the server's page,
 * whose console is B's, relayed by A; sees it in the servers list; stops it from its page (B's
 * desired state changes, read through B's own API); sees `unknown` with "last seen" while B is
 * down, as A's provider admin does on the Federation page; and deletes it after a confirmation
 * once B is back. Two real installations (A on PGlite serving the portal, B on PostgreSQL); B
 * places on an idle host, which has no agent.
 */
describeOnDatabase("postgres", "the portal manages a server at a partner's site", () => {
  let w: RemoteServerWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: () => string[];
  let restartedB: App | undefined;
  let origin = "";
  let siteName = "";
  let rsv = "";
  let remoteId = "";

  const viewOnA = async () => (await w.customer.api.get(`/remote-servers/${rsv}`)).body;
  const onB = async () => (await w.t.apiB.get(`/servers/${remoteId}`)).body;

  beforeAll(async () => {
    w = await remoteServerWorld({ webRootA: WEB_ROOT });
    // B's site under a name and jurisdiction of its own (both installations seed one "local"
    // site in CA), offered again so that A sells it as B now describes it.
    siteName = "mtl-1";
    await w.t.b.database.db
      .updateTable("sites")
      .set({ name: siteName, region_code: "QC", jurisdiction: "CA-QC" })
      .where("id", "=", w.siteB)
      .execute();
    const offer = await w.t.apiB.post(`/federation/peers/${w.peerOfB}/offer`, {
      currency: "CAD",
      site_ids: [w.siteB],
      plans: [
        { plan_id: w.planB, hourly_price_minor: WHOLESALE.hourly, monthly_cap_minor: WHOLESALE.monthlyCap },
      ],
      max_servers: 5,
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    await eventually("B's second offer version at A", async () => {
      const sites = (await w.customer.api.get("/partner-sites")).body.items;
      return sites[0]?.name === siteName ? sites : undefined;
    });

    origin = originOf(w.t.a);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    problems = collectPageProblems(page);
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(w.customer.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await restartedB?.close();
    await w?.t.close();
  });

  it("lists B's site after A's own in the wizard, labelled with B, its country and jurisdiction, at A's price", async () => {
    await page.goto(`${origin}/servers/new`);
    const step1 = page.getByRole("region", { name: "Where it runs" });
    const partnerCard = step1.getByRole("button", { name: new RegExp(`${siteName}.*Operated by partner`) });
    await partnerCard.waitFor();
    const card = await partnerCard.innerText();
    expect(card).toContain(`Operated by partner ${PARTNER}`);
    expect(card).toContain("Canada");
    expect(card).toContain("Jurisdiction CA-QC");
    // A's own site comes first; B's after it, in the cards and in the select alike.
    const cards = await step1.getByRole("button").allInnerTexts();
    expect(cards.findIndex((t) => t.includes("local"))).toBeLessThan(
      cards.findIndex((t) => t.includes(siteName)),
    );
    const options = await page.getByLabel("Site", { exact: true }).locator("option").allInnerTexts();
    expect(options.at(-1)).toMatch(new RegExp(`${siteName} \\(CA-QC, Canada\\), operated by ${PARTNER_RE}`));

    await partnerCard.click();
    expect(await partnerCard.getAttribute("aria-pressed")).toBe("true");
    // The plans are B's, at A's retail price (1234 wholesale + 25 % = 1543), never the wholesale one.
    const plans = page.getByRole("region", { name: "How big" }).getByRole("button");
    await expect.poll(() => plans.count()).toBe(1);
    expect(await plans.first().innerText()).toMatch(/15\.43[\s\S]*7,500\.00/);
    expect(await page.locator("main").innerText()).not.toMatch(/12\.34/);
    // Backups and extra addresses are not sold at a partner's site.
    expect(await page.getByLabel(/Daily backups/).count()).toBe(0);
    // No plan chosen yet: A refuses the create, and the Plan field says what is missing.
    await page.getByRole("button", { name: "Create server" }).click();
    expect(await describedError(page, "Plan")).toBe("Choose a plan.");
    expect((await w.customer.api.get("/remote-servers")).body.items).toEqual([]);
    await screenshot(page, "remote-servers-wizard");
  });

  it("creates the server at B through A and shows its page: partner, site, price, state", async () => {
    await page.getByRole("region", { name: "How big" }).getByRole("button").first().click();
    await page.getByLabel("Name", { exact: true }).fill("web-portal");
    const summary = await page.getByRole("complementary", { name: "Summary" }).innerText();
    expect(summary).toContain(`operated by partner ${PARTNER}`);
    expect(summary).toMatch(/15\.43/);
    await page.getByRole("button", { name: "Create server" }).click();
    await page.waitForURL(/\/servers\/rsv_/);
    rsv = new URL(page.url()).pathname.split("/").at(-1)!;
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe("web-portal");

    // A's job asked B, which placed it on its idle host in the account that represents A.
    const answered = await eventually("B's answer to the create", async () => {
      const view = await viewOnA();
      return view.remote_server_id ? view : undefined;
    });
    remoteId = answered.remote_server_id;
    expect(answered).toMatchObject({
      operated_by: PARTNER,
      site_id: w.siteB,
      hourly_price_minor: RETAIL.hourly,
      image_id: w.imageA,
    });
    expect(await onB()).toMatchObject({ account_id: w.representedByB, desired_state: "running" });

    const details = page.getByRole("heading", { name: "Details" }).locator("..");
    await expect.poll(() => details.innerText(), { timeout: 15_000 }).toMatch(/provisioning/);
    const text = await details.innerText();
    expect(text).toContain(PARTNER);
    expect(text).toMatch(new RegExp(`${siteName} \\(Canada, jurisdiction CA-QC\\)`));
    expect(text).toMatch(/15\.43[\s\S]*7,500\.00/);
    expect(text).toContain(rsv);
    // The console is B's, relayed by A: B's host has no agent, and B's own refusal, naming B's id
    // for the server, reaches the customer's terminal through A.
    await expect
      .poll(() => page.locator(".console-status").innerText(), { timeout: 15_000 })
      .toContain(`The host of server ${remoteId} is not connected`);
    await screenshot(page, "remote-servers-page");
  });

  it("shows the server in the servers list, with its partner and state", async () => {
    await page.getByRole("link", { name: "Servers", exact: true }).first().click();
    await page.waitForURL(/\/servers$/);
    const table = page.getByRole("region", { name: "At partners’ sites" });
    const row = table.getByRole("row", { name: /web-portal/ });
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/provisioning/);
    expect(await row.innerText()).toContain(`operated by ${PARTNER}`);
    await row.getByRole("link", { name: "web-portal" }).click();
    await page.waitForURL(new RegExp(`/servers/${rsv}$`));
  });

  it("stops it from its page: B's desired state becomes stopped", async () => {
    const stop = page.getByRole("group", { name: "Power" }).getByRole("button", { name: "Stop" });
    await expect.poll(() => stop.isEnabled(), { timeout: 15_000 }).toBe(true);
    await stop.click();
    await eventually("B's desired state stopped", async () =>
      (await onB()).desired_state === "stopped" ? true : undefined,
    );
    expect((await viewOnA()).desired_state).toBe("stopped");
    await expect.poll(() => stop.isDisabled(), { timeout: 15_000 }).toBe(true);
    expect(
      await page.getByRole("group", { name: "Power" }).getByRole("button", { name: "Start" }).isEnabled(),
    ).toBe(true);
  });

  it("shows the state as unknown, last seen some minutes ago, while B does not answer", async () => {
    const restart = await stopB(w);
    // As if B had last answered five minutes ago: with B down, nothing refreshes it.
    await w.t.a.database.db
      .updateTable("remote_servers")
      .set({ last_seen_at: new Date(Date.now() - 5 * 60_000) })
      .where("id", "=", rsv)
      .execute();
    const head = page.locator(".page-head");
    await expect
      .poll(() => head.innerText(), { timeout: 15_000 })
      .toMatch(/unknown\s+last seen [5-9] minutes ago/);
    await page.goto(`${origin}/servers`);
    const row = page
      .getByRole("region", { name: "At partners’ sites" })
      .getByRole("row", { name: /web-portal/ });
    await expect
      .poll(() => row.innerText(), { timeout: 15_000 })
      .toMatch(/unknown\s+last seen [5-9] minutes ago/);

    // A's provider admin sees the same on the Federation page.
    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const adminPage = await admin.newPage();
    await adminPage.goto(`${origin}/login`);
    await adminPage.getByLabel("Email", { exact: true }).fill(w.t.a.adminEmail);
    await adminPage.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await adminPage.getByRole("button", { name: "Log in" }).click();
    await adminPage.waitForURL(/\/servers$/);
    await adminPage.goto(`${origin}/admin/federation`);
    const adminRow = adminPage
      .getByRole("table", { name: "Servers at partners' sites" })
      .getByRole("row", { name: /web-portal/ });
    await expect
      .poll(() => adminRow.innerText(), { timeout: 15_000 })
      .toMatch(/unknown\s+last seen [5-9] minutes ago/);
    const adminText = await adminRow.innerText();
    expect(adminText).toContain(PARTNER);
    expect(adminText).toContain(w.customer.accountId);
    expect(adminText).toContain(remoteId);
    await screenshot(adminPage, "remote-servers-federation-page");
    await admin.close();

    restartedB = await restart();
  });

  it("deletes it after a confirmation: B's desired state becomes deleted", async () => {
    await page.goto(`${origin}/servers/${rsv}`);
    const del = page.getByRole("group", { name: "Power" }).getByRole("button", { name: "Delete" });
    await del.click();
    const dialog = page.getByRole("dialog", { name: "Delete web-portal?" });
    // Cancel leaves it alone.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await viewOnA()).desired_state).toBe("stopped");
    await del.click();
    await dialog.getByRole("button", { name: "Delete server" }).click();
    await page.waitForURL(/\/servers$/);
    await eventually(
      "B's desired state deleted",
      async () => ((await onB()).desired_state === "deleted" ? true : undefined),
      90_000,
    );
    expect(problems()).toEqual([]);
  }, 120_000);
});
