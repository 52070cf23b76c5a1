import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT, collectPageProblems, launchBrowser, screenshot } from "../support/browser.js";
import { ADMIN_PASSWORD, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";

describe("images in the portal, in a real browser: upload with progress, then export", () => {
  let c: TestController;
  let world: World;
  let browser: Browser | undefined;
  let dir: string;

  beforeAll(async () => {
    c = await startTestController("pglite", { webRoot: WEB_ROOT });
    world = await buildWorld(c);
    browser = await launchBrowser();
    dir = await mkdtemp(join(tmpdir(), "lb-web-images-"));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("uploads a qcow2 through the Images page, sees it imported, exports it as VDI and downloads a real VDI", async () => {
    // A real qcow2 of 8 MiB with some data in it.
    const raw = join(dir, "disk.raw");
    await writeFile(raw, Buffer.alloc(8 * 1024 * 1024, 0x5a));
    const qcow2 = join(dir, "disk.qcow2");
    await runProgram("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, qcow2]);

    const context = await browser!.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    const origin = new URL(c.url).origin;
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(world.customer1.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);

    await page.goto(`${origin}/images`);
    const form = page.locator("form.import-form");
    await form.getByLabel("Upload a file").check();
    await form.getByLabel("Image file").setInputFiles(qcow2);
    await form.getByLabel("Name", { exact: true }).fill("uploaded");
    await form.getByRole("button", { name: "Upload and import" }).click();
    await page.getByText("The image is ready").waitFor({ timeout: 60_000 });
    await page.locator("td.image-name", { hasText: "uploaded" }).waitFor();
    await screenshot(page, "60-image-uploaded");
    const image = (await world.customer1.api.get("/images")).body.items.find(
      (i: any) => i.name === "uploaded",
    );
    expect(image).toMatchObject({ status: "available" });

    await page.getByRole("button", { name: "Export uploaded" }).click();
    const dialog = page.getByRole("dialog", { name: "Export uploaded" });
    await dialog.getByLabel("Format").selectOption("vdi");
    await dialog.getByRole("button", { name: "Start export" }).click();
    const link = page.getByRole("link", { name: /^Download / });
    await link.waitFor({ timeout: 60_000 });
    await screenshot(page, "61-image-exported");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const saved = join(dir, "exported.vdi");
    await download.saveAs(saved);
    const info = JSON.parse((await runProgram("qemu-img", ["info", "--output=json", saved])).stdout) as {
      format: string;
      "virtual-size": number;
    };
    expect(info).toMatchObject({ format: "vdi", "virtual-size": 8 * 1024 * 1024 });
    expect(problems()).toEqual([]);
    await context.close();
  }, 180_000);
});
