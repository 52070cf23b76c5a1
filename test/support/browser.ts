import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, LaunchOptions, Page } from "playwright-core";

const repo = join(import.meta.dirname, "..", "..");

/** The built portal the test controllers serve (`npm run build:web`; `npm test` builds it first). */
export const WEB_ROOT = join(repo, "packages", "web", "dist");
/** Screenshots of key pages, for a person to look at (git-ignored). */
export const SCREENSHOTS = join(repo, "test-results", "screenshots");
const CHROMIUM = process.env["LAYERBOOM_CHROMIUM"] ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, driven by playwright-core; fails clearly when the portal or browser is missing. */
export async function launchBrowser(options: { hostMap?: string[] } = {}): Promise<Browser> {
  if (!existsSync(join(WEB_ROOT, "index.html"))) {
    throw new Error(`The portal is not built (${WEB_ROOT}); run \`npm run build:web\` first.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: apt-get install chromium`);
  await mkdir(SCREENSHOTS, { recursive: true });
  const args = ["--no-sandbox"];
  // Names such as a reseller's portal domain resolve to loopback, and only inside this browser.
  if (options.hostMap?.length) {
    args.push(`--host-resolver-rules=${options.hostMap.map((h) => `MAP ${h} 127.0.0.1`).join(",")}`);
  }
  const launch: LaunchOptions = { executablePath: CHROMIUM, args };
  return chromium.launch(launch);
}

/** A full-page screenshot under SCREENSHOTS. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The error text a control points at through aria-describedby, once the control is marked
 * invalid. The control is looked up afresh on every poll: a page may re-create it while the
 * request is pending, and a handle taken earlier would watch a detached element forever.
 */
export async function describedError(page: Page, label: string, timeoutMs = 30_000): Promise<string> {
  const control = page.getByLabel(label, { exact: true });
  const deadline = Date.now() + timeoutMs;
  while ((await control.getAttribute("aria-invalid", { timeout: timeoutMs })) !== "true") {
    if (Date.now() > deadline) {
      await screenshot(page, `failed-${label.replace(/\W+/g, "-").toLowerCase()}-never-invalid`);
      const alerts = await page.getByRole("alert").allInnerTexts();
      throw new Error(
        `the control labelled "${label}" was never marked invalid at ${page.url()}; alerts on the page: ${JSON.stringify(alerts)}`,
      );
    }
    await page.waitForTimeout(100);
  }
  const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(" ");
}

/**
 * Collects what the page reports as broken: uncaught errors and Content-Security-Policy
 * refusals (a refused script or style fails silently otherwise).
 */
export function collectPageProblems(page: Page): () => string[] {
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      problems.push(`csp: ${message.text()}`);
    }
  });
  return () => [...problems];
}
