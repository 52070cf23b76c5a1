import type { RunningAgent } from "@layerboom/agent";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT, collectPageProblems, launchBrowser, screenshot } from "../support/browser.js";
import { ADMIN_PASSWORD, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  catalogTiny,
  eventually,
  hostFolders,
  serverReaches,
  startTestAgent,
  sweepHost,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/** The text xterm.js shows, without the row breaks its wrapping adds. */
async function consoleText(page: Page): Promise<string> {
  return page.locator(".xterm-rows").evaluate((rows) => (rows.textContent ?? "").replace(/\s+/g, " "));
}

/** Waits for the console to show `pattern`; the console is scrolled into view (xterm.js draws only then). */
async function waitForConsole(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  await page.locator(".console-screen").scrollIntoViewIfNeeded();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await consoleText(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) {
      await screenshot(page, "backups-failed-console");
      throw new Error(`${pattern} never showed on the console; it shows:\n${text}`);
    }
    await page.waitForTimeout(250);
  }
}

describe("server backups and capture in the web portal, against a real agent and real QEMU", () => {
  let c: TestController;
  let folders: HostFolders;
  let agent: RunningAgent | undefined;
  let browser: Browser | undefined;
  let provider: ApiClient;
  let customer: Tenant;
  let siteId: string;
  let plan: { id: string; backups_price_percent: number };
  let imageId: string;

  beforeAll(async () => {
    c = await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 },
      webRoot: WEB_ROOT,
    });
    provider = apiClient(c.url, c.adminToken);
    siteId = (await provider.get("/sites")).body.items[0].id;
    plan = (await provider.get("/plans")).body.items.find((p: any) => p.name === "nano");
    imageId = (await catalogTiny(c)).imageId;
    folders = await hostFolders();
    const added = await addHost(provider, siteId, "hv-web-backups");
    agent = await startTestAgent(c, folders, { joinToken: added.joinToken });
    customer = await createTenant(c, provider, "customer");
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    if (folders) await sweepHost(folders);
    await c?.close();
  });

  it("turns daily backups on, backs up now, restores the backup (the guest boots from it) and deletes it", async () => {
    const created = await customer.api.post("/servers", {
      name: "backed-up",
      site_id: siteId,
      plan_id: plan.id,
      image_id: imageId,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect(created.body.backups_enabled).toBe(false);
    await serverReaches(customer.api, id, "running");

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const shot = (name: string) => screenshot(page, name);
    const problems = collectPageProblems(page);
    const origin = new URL(c.url).origin;

    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(customer.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
    await page.goto(`${origin}/servers/${id}`);
    await page.getByRole("heading", { name: "backed-up" }).waitFor();
    await page.getByText("Connected", { exact: true }).waitFor({ timeout: 30_000 });
    await waitForConsole(page, /LAYERBOOM-READY[^]*boots=1/, 120_000);

    // The section: no backups yet, the add-on off, and its price from the plan.
    const section = page.getByRole("region", { name: "Backups", exact: true });
    await section.getByRole("heading", { name: "No backups yet" }).waitFor();
    await section.getByText(`Adds ${plan.backups_price_percent} % of the server's price`).waitFor();
    await section.getByText(/takes one at any time, even with daily backups off/).waitFor();
    const daily = section.getByRole("switch", { name: "Daily backups" });
    expect(await daily.isChecked()).toBe(false);
    await section.scrollIntoViewIfNeeded();
    await shot("backups-01-empty");

    // Daily backups on: the server says so.
    await daily.click();
    await section.getByText("Daily backups are on.").waitFor();
    expect(await daily.isChecked()).toBe(true);
    expect((await customer.api.get(`/servers/${id}`)).body.backups_enabled).toBe(true);

    // Back up now: the row is pending (the button waits meanwhile), then available with a size.
    const backUpNow = section.getByRole("button", { name: "Back up now" });
    await backUpNow.click();
    const row = section.getByRole("row").filter({ hasText: "Manual" });
    await row.waitFor();
    await row.locator(".badge", { hasText: "available" }).waitFor({ timeout: 120_000 });
    expect(await row.getByRole("cell", { name: /\d+(\.\d)? (KiB|MiB|GiB)/ }).count()).toBe(1);
    expect(await backUpNow.isEnabled()).toBe(true);
    const [backup] = (await customer.api.get(`/servers/${id}/backups`)).body.items;
    expect(backup).toMatchObject({ state: "available", kind: "manual" });
    await section.scrollIntoViewIfNeeded();
    await shot("backups-02-available");

    // Reboot: the disk's boot counter moves on to 2 (the backup holds 1). A marker on the console
    // then separates what came before the restore from what comes after.
    await page.getByRole("button", { name: "Reboot" }).click();
    await waitForConsole(page, /LAYERBOOM-READY[^]*boots=2/, 120_000);
    await page.locator(".page-head .badge", { hasText: "running" }).waitFor({ timeout: 60_000 });
    await page.getByText("Connected", { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole("group", { name: "Console" }).click();
    await page.keyboard.type("echo restore-mark-$((6*7))\n");
    await waitForConsole(page, /restore-mark-42/, 20_000);

    // Restore, through the confirmation dialog.
    await row.getByRole("button", { name: /^Restore the backup of/ }).click();
    const dialog = page.getByRole("dialog", { name: "Restore this backup?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/disk of backed-up is replaced by this backup[^]*restarts/);
    await shot("backups-03-restore-dialog");
    await dialog.getByRole("button", { name: "Restore backup" }).click();
    await section.getByText(/Restoring the backup of .*: the server restarts from it/).waitFor();

    // The guest boots again, from the backup: its counter says 2 again, not 3.
    const after = await waitForConsole(page, /restore-mark-42[^]*LAYERBOOM-READY[^]*boots=2/, 120_000);
    expect(after).not.toMatch(/boots=3/);
    await page.locator(".page-head .badge", { hasText: "running" }).waitFor({ timeout: 60_000 });
    await shot("backups-04-restored-console");

    // Delete the backup, through its dialog: the list is empty again once the host removed the file.
    await row.getByRole("button", { name: /^Delete the backup of/ }).click();
    const deleteDialog = page.getByRole("dialog", { name: "Delete this backup?" });
    await deleteDialog.waitFor();
    await deleteDialog.getByRole("button", { name: "Delete backup" }).click();
    await section.getByRole("heading", { name: "No backups yet" }).waitFor({ timeout: 90_000 });
    await section.scrollIntoViewIfNeeded();
    await shot("backups-05-deleted");
    await eventually("the backup row to go", async () =>
      (await customer.api.get(`/servers/${id}/backups`)).body.items.length === 0 ? true : undefined,
    );

    // Make an image of the running server (docs/images.md, "Capture"): copied live, then ready.
    const capture = page.getByRole("region", { name: "Make an image", exact: true });
    await capture.getByLabel("Image name").fill("backed-up-golden");
    await capture.getByRole("button", { name: "Capture image" }).click();
    await capture.getByText(/Image backed-up-golden is ready \(copied live/).waitFor({ timeout: 240_000 });
    await capture.scrollIntoViewIfNeeded();
    await shot("backups-06-captured");
    const images = (await customer.api.get("/images")).body.items as { name: string; status: string }[];
    expect(images.find((i) => i.name === "backed-up-golden")).toMatchObject({ status: "available" });

    expect(problems()).toEqual([]);
    await context.close();
  }, 600_000);
});
