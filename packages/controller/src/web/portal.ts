import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Where `npm run build:web` puts the portal, relative to this file in src/ or dist/ alike. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

/** Paths that belong to the API, the agent channel or the probes: never answered with the portal. */
const NOT_PORTAL = /^\/(api|agent)(\/|$)/;
/** A request for a file (it has an extension), as opposed to a page of the single-page app. */
const FILE = /\/[^/]*\.[^/]*$/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Layerboom</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Layerboom</h1>
<p>The API is running under <a href="/api/v1/openapi.json"><code>/api/v1</code></a>, but the web portal has not been built.</p>
<p>Build it with <code>npm run build:web</code> in the repository, then reload this page.</p>
</body></html>
`;

/**
 * What the portal's pages may load: only their own scripts, styles and API (the console's
 * WebSocket included), images also from https and data: URLs (brand logos); never framed.
 * Styles allow inline because xterm.js and uPlot add <style> elements and style attributes.
 */
const PAGE_SECURITY_HEADERS = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Serves the built web portal at `/`: its files as they are (hashed assets cached for a year),
 * and index.html for any other page path, since the portal routes in the browser. Without a
 * build, pages answer a short note on how to make one.
 *
 * `brandName` names the brand of the domain a page was asked on: index.html goes out with it
 * as the title, so a reseller's customer never sees another name, not even while the script loads.
 */
export async function registerPortal(
  app: FastifyInstance,
  root: string,
  brandName: (hostname: string) => Promise<string | undefined>,
): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false });
  const index = `${root.replace(/\/+$/, "")}/index.html`;

  async function page(hostname: string, reply: FastifyReply) {
    reply.headers(PAGE_SECURITY_HEADERS).header("cache-control", "no-cache").type("text/html");
    const html = await readFile(index, "utf8").catch(() => undefined);
    if (html === undefined) return reply.send(NOT_BUILT);
    const name = await brandName(hostname).catch(() => undefined);
    return reply.send(
      name ? html.replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(name)}</title>`) : html,
    );
  }

  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (NOT_PORTAL.test(path)) return reply.callNotFound();
    if (FILE.test(path)) {
      const immutable = path.startsWith("/assets/");
      return reply.sendFile(path.slice(1), { maxAge: immutable ? "365d" : 0, immutable });
    }
    return page(request.hostname, reply);
  });
}
