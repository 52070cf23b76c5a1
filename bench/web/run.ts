// bench/web: the portal's initial route, against a static HTML page of the same list as the floor.
//   npm run bench:web
//   BENCH_RUNS=9 BENCH_SERVERS=1000 npm run bench:web
// Prints the gzipped JavaScript the initial route loads, and the time from navigation to the
// servers list being interactive (its rows rendered and its first link clickable) in headless
// Chromium, with BENCH_SERVERS servers in the customer's account. The floor is a static HTML
// page with the same rows, served by a bare node:http server in the same run; the ratio is
// portal / floor. Each load uses a new browser context, so nothing is cached between runs.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { openDatabase } from "@layerboom/db";
import { BENCH_ADMIN, seedBenchServers } from "../seed-servers.js";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 7);
const SERVERS = Number(process.env["BENCH_SERVERS"] ?? 1000);
const CHROMIUM = process.env["LAYERBOOM_CHROMIUM"] ?? "/usr/bin/chromium";
const root = join(import.meta.dirname, "..", "..");
const dist = join(root, "packages", "web", "dist");
const CUSTOMER = { email: "customer@bench.test", password: "customer password 123" };

/** The JavaScript files index.html loads before anything renders: its entry and modulepreloads. */
function initialRouteJs(): { files: string[]; gzipBytes: number; rawBytes: number; allChunksGzip: number } {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? "");
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const all = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
  return {
    files,
    gzipBytes: files.reduce((sum, f) => sum + gz(f), 0),
    rawBytes: files.reduce((sum, f) => sum + readFileSync(join(dist, f)).length, 0),
    allChunksGzip: all.reduce((sum, f) => sum + gz(join("assets", f)), 0),
  };
}

async function seed(dataDir: string): Promise<void> {
  const database = await openDatabase({ dataDir });
  try {
    await seedBenchServers(database, SERVERS, { prefix: "web-", digits: 5 });
  } finally {
    await database.close();
  }
}

function startController(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAYERBOOM_DATA_DIR: dataDir,
    LAYERBOOM_PORT: "0",
    LAYERBOOM_LOG_LEVEL: "warn",
  };
  delete env["DATABASE_URL"];
  return new Promise((resolve, reject) => {
    const child = spawn("node", [join(root, "packages/cli/dist/main.js"), "server"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /(?:LISTENING|listening on) (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`the controller exited with ${code}: ${out}`)));
  });
}

async function api(url: string, path: string, init: { method?: string; token?: string; body?: unknown }) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? null : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${res.status} ${await res.text()}`);
  return { res, body: (await res.json()) as Record<string, unknown> };
}

/** The customer's session as the portal holds it: the HttpOnly cookie and the tab's CSRF token. */
async function customerSession(url: string): Promise<{ cookie: string; csrf: string; rows: string[][] }> {
  const admin = (await api(url, "/auth/token", { method: "POST", body: BENCH_ADMIN })).body[
    "token"
  ] as string;
  await api(url, "/users", {
    method: "POST",
    token: admin,
    body: { ...CUSTOMER, role: "customer-admin", account_id: "acc_bench" },
  });
  const login = await api(url, "/auth/session", { method: "POST", body: CUSTOMER });
  const cookie = /lb_session=([^;]+)/.exec(login.res.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error("no session cookie in the login answer");
  const token = (await api(url, "/auth/token", { method: "POST", body: CUSTOMER })).body["token"] as string;
  const page = (await api(url, "/servers?limit=100", { token })).body["items"] as {
    name: string;
    observed_state: string;
    created_at: string;
  }[];
  const rows = page.map((s) => [s.name, s.observed_state, "—", new Date(s.created_at).toLocaleString()]);
  return { cookie, csrf: login.body["csrf_token"] as string, rows };
}

/** The floor: the same table as plain HTML, no script at all. */
function staticListPage(rows: string[][]): string {
  const esc = (t: string) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = rows
    .map(
      (r, i) =>
        `<tr><td><a href="/servers/${i}">${esc(r[0] ?? "")}</a></td>${r
          .slice(1)
          .map((c) => `<td>${esc(c)}</td>`)
          .join("")}</tr>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Servers</title></head><body>
<main><h1>Servers</h1><table><thead><tr><th>Name</th><th>Status</th><th>Address</th><th>Created</th></tr></thead>
<tbody>${body}</tbody></table></main></body></html>`;
}

/** Milliseconds from navigation start to the list's rows being on screen with a clickable first link. */
async function timeToList(
  browser: Browser,
  url: string,
  session?: { origin: string; cookie: string; csrf: string },
): Promise<number> {
  const context = await browser.newContext();
  try {
    if (session) {
      const { hostname } = new URL(session.origin);
      await context.addCookies([
        {
          name: "lb_session",
          value: session.cookie,
          domain: hostname,
          path: "/",
          httpOnly: true,
          sameSite: "Strict",
        },
      ]);
      await context.addInitScript(
        `sessionStorage.setItem("layerboom.csrf", ${JSON.stringify(session.csrf)})`,
      );
    }
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "commit" });
    // A locator, not waitForFunction: the portal's CSP forbids the eval that a string predicate needs.
    await page.locator("tbody tr").nth(99).waitFor({ timeout: 60_000 });
    await page.locator("tbody tr a").first().click({ trial: true });
    return await page.evaluate<number>("performance.now()");
  } finally {
    await context.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const js = initialRouteJs();
const work = mkdtempSync(join(tmpdir(), "layerboom-bench-web-"));
let controller: { child: ChildProcess; url: string } | undefined;
const floorServer = createServer();
let browser: Browser | undefined;
try {
  await seed(join(work, "db"));
  controller = await startController(work);
  const session = await customerSession(controller.url);
  const html = staticListPage(session.rows);
  floorServer.on("request", (_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  });
  await new Promise<void>((r) => floorServer.listen(0, "127.0.0.1", r));
  const floorUrl = `http://127.0.0.1:${(floorServer.address() as AddressInfo).port}/servers`;

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const portal: number[] = [];
  const floor: number[] = [];
  // Warm-up: the controller's first requests and Chromium's first page are not what is measured.
  await timeToList(browser, `${controller.url}/servers`, { origin: controller.url, ...session });
  await timeToList(browser, floorUrl);
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so a noisy moment on the machine hits both sides.
    portal.push(
      await timeToList(browser, `${controller.url}/servers`, { origin: controller.url, ...session }),
    );
    floor.push(await timeToList(browser, floorUrl));
  }
  const p = median(portal);
  const f = median(floor);
  console.log(`initial route JS: ${js.files.length} files, ${(js.gzipBytes / 1024).toFixed(1)} KiB gzipped`);
  console.log(
    `  (${(js.rawBytes / 1024).toFixed(1)} KiB raw; all JS chunks: ${(js.allChunksGzip / 1024).toFixed(1)} KiB gzipped)`,
  );
  console.log(`servers list interactive, ${SERVERS} servers in the account, median of ${RUNS} cold loads:`);
  console.log(
    `  portal /servers:        ${p.toFixed(0)} ms   (runs: ${portal.map((x) => x.toFixed(0)).join(", ")})`,
  );
  console.log(
    `  static HTML (floor):    ${f.toFixed(0)} ms   (runs: ${floor.map((x) => x.toFixed(0)).join(", ")})`,
  );
  console.log(`  ratio portal / floor:   ${(p / f).toFixed(2)}`);
} finally {
  await browser?.close();
  floorServer.close();
  if (controller) {
    controller.child.kill("SIGTERM");
    await new Promise((r) => controller?.child.once("exit", r));
  }
  rmSync(work, { recursive: true, force: true });
}
