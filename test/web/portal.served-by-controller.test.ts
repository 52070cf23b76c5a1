import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";

/** The status of a GET sent with its path exactly as given (fetch would resolve `..` first). */
function rawStatus(origin: string, path: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    get({ hostname, port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject);
  });
}

describe("the controller serves the portal at /", () => {
  let c: TestController;
  let base: string;
  let root: string;
  let origin: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "layerboom-web-"));
    root = join(base, "dist");
    await writeFile(join(base, "outside.txt"), "not for the web");
    c = await startTestController("pglite", { webRoot: root });
    origin = new URL(c.url).origin;
  });

  afterAll(async () => {
    await c?.close();
    await rm(base, { recursive: true, force: true });
  });

  it("says how to build the portal while there is no build", async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toContain("npm run build:web");
  });

  it("serves the build: hashed assets cached, index.html for page paths, JSON 404s for the API", async () => {
    await mkdir(join(root, "assets"), { recursive: true });
    await writeFile(join(root, "index.html"), '<!doctype html><div id="root"></div>');
    await writeFile(join(root, "assets", "index-abc123.js"), "console.log(1)");

    for (const path of ["/", "/servers", "/servers/srv_x?tab=console"]) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
      // Only its own scripts, never framed.
      expect(res.headers.get("content-security-policy"), path).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers.get("content-security-policy"), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(await res.text(), path).toContain('<div id="root">');
    }
    const asset = await fetch(`${origin}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toMatch(/max-age=31536000.*immutable/);

    expect((await fetch(`${origin}/assets/missing.js`)).status).toBe(404);
    for (const path of [
      "/assets/../../outside.txt",
      "/assets/%2e%2e/%2e%2e/outside.txt",
      "/../outside.txt",
    ]) {
      expect(await rawStatus(origin, path), path).toBeGreaterThanOrEqual(400);
    }
    const api = await fetch(`${origin}/api/v1/nowhere`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.code).toBe("route_not_found");
    expect((await fetch(`${origin}/agent/v1/nowhere`)).status).toBe(404);
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  });
});
