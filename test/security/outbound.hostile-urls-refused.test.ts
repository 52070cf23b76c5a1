import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { enqueueWebhookEvent } from "@layerboom/controller";
import { hostileDnsScript, hostileUrls, startCanary, startTestDnsServer } from "@layerboom/testkit";
import type { Canary, HostileUrl, TestDnsServer } from "@layerboom/testkit";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, ApiResponse, TestController } from "../support/controller.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

const ZONE = "hostile.test";
/** Plays the public server that the rebinding name answers first; 127.0.0.2 is allowlisted for it. */
const STAND_IN = "127.0.0.2";

/** What a tenant may be told: the rule and the host, never how a connection failed. */
const NAMED_REFUSAL =
  /^(the address of \S+ is not public \(\S+\)|could not resolve \S+|could not connect to \S+|too many redirects .+|only http and https URLs are fetched, not \S+|(\S+|the receiver) answered HTTP \d{3})$/;

function listen(server: Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The hostile URL corpus (testkit) against a real controller: every URL is submitted as an image
 * import and as a webhook, and the loopback canary they aim at must never see a request, nor its
 * secret appear in any answer, job, delivery or log line.
 */
describeOnEachDatabase("hostile outbound URLs on %s", (kind) => {
  let c: TestController;
  let canary: Canary;
  let dns: TestDnsServer;
  let standIn: Server;
  let redirector: Server;
  let corpus: HostileUrl[];
  let customer: Tenant;
  const standInRequests: string[] = [];
  const redirectorRequests: string[] = [];
  const logs: string[] = [];
  /** Every answer the API gave in this test, to search for the canary's secret. */
  const answers: string[] = [];

  async function call(api: ApiClient, method: "get" | "post", path: string, body?: unknown) {
    const res: ApiResponse = method === "get" ? await api.get(path) : await api.post(path, body);
    answers.push(JSON.stringify(res.body));
    return res;
  }

  beforeAll(async () => {
    canary = await startCanary();
    standIn = createServer((req, res) => {
      standInRequests.push(`${req.headers.host} ${req.url}`);
      res.writeHead(404).end("the stand-in for a public server");
    });
    await listen(standIn, STAND_IN, canary.port);
    redirector = createServer((req, res) => {
      redirectorRequests.push(req.url ?? "");
      const to = new URL(req.url ?? "/", "http://x").searchParams.get("u");
      res.writeHead(to ? 302 : 404, to ? { location: to } : {}).end();
    });
    const redirectorPort = await listen(redirector, STAND_IN);
    dns = await startTestDnsServer(hostileDnsScript(ZONE, STAND_IN));
    corpus = hostileUrls({
      canaryPort: canary.port,
      zone: ZONE,
      redirector: `http://${STAND_IN}:${redirectorPort}`,
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString());
        callback();
      },
    });
    c = await startTestController(kind, {
      outbound: {
        // Exactly the two allowed servers; the canary's own address is on no list.
        allowlist: [`${STAND_IN}:${redirectorPort}`, `${STAND_IN}:${canary.port}`],
        dnsServers: [dns.address],
        connectTimeoutMs: 2_000,
      },
      webhooks: { pollMs: 20, maxAttempts: 1, timeoutMs: 3_000 },
      loggerInstance: pino({ level: "debug" }, sink),
    });
    customer = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
  });

  afterAll(async () => {
    await c?.close();
    for (const s of [standIn, redirector]) {
      s?.closeAllConnections();
      await new Promise((r) => (s ? s.close(r) : r(undefined)));
    }
    await canary?.close();
    await dns?.close();
  });

  it("refuses every URL of the corpus as an image import, with a named check, and fetches nothing internal", async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const jobs: { entry: HostileUrl; id: string }[] = [];
    for (const [i, entry] of corpus.entries()) {
      const queued = await call(customer.api, "post", "/images/imports", {
        url: entry.url,
        name: `hostile-url-${i}`,
        format: "raw",
      });
      expect(queued.status, `${entry.why}: ${JSON.stringify(queued.body)}`).toBe(202);
      jobs.push({ entry, id: queued.body.id as string });
      // One at a time, so that the rebinding name is asked in the corpus's order.
      await eventually(`job for ${entry.why}`, async () => {
        const res = await call(customer.api, "get", `/image-jobs/${queued.body.id}`);
        return res.body.state === "failed" || res.body.state === "succeeded" ? res.body : undefined;
      });
    }
    const outcomes: string[] = [];
    for (const { entry, id } of jobs) {
      const job = (await call(customer.api, "get", `/image-jobs/${id}`)).body;
      outcomes.push(`${job.error?.check}  ${job.error?.message}  <- ${entry.why}`);
      expect(job.state, `${entry.why}: ${JSON.stringify(job)}`).toBe("failed");
      expect(job.image_id, entry.why).toBeNull();
      expect(job.error.message, entry.why).toMatch(NAMED_REFUSAL);
      const expected = entry.why.startsWith("/etc/hosts")
        ? "fetch-resolve"
        : entry.why.includes("first answer")
          ? "fetch-status"
          : entry.why.includes("another scheme")
            ? "fetch-url"
            : "fetch-address";
      expect(job.error.check, `${entry.why}: ${job.error.message}`).toBe(expected);
    }
    // The allowlisted servers were reached (the guard does not simply refuse everything) ...
    expect(standInRequests).toEqual([`rebind.${ZONE}:${canary.port} /`]);
    expect(redirectorRequests.length).toBeGreaterThanOrEqual(8);
    // ... and nothing internal was: not one request, whatever the spelling, hop or DNS answer.
    expect(canary.requests, outcomes.join("\n")).toEqual([]);
    // Nothing was registered either.
    const images = await call(customer.api, "get", "/images?limit=100");
    expect(images.body.items.filter((i: { name: string }) => i.name.startsWith("hostile-url-"))).toEqual([]);
  }, 180_000); // 60 import jobs, each resolved and refused: minutes when the cores are busy.

  it("refuses every URL of the corpus as a webhook: literals when registered, names at delivery", async () => {
    const registered: { entry: HostileUrl; id: string }[] = [];
    for (const entry of corpus) {
      const res = await call(customer.api, "post", "/webhooks", {
        url: entry.url,
        events: ["server.created"],
      });
      const host = new URL(entry.url).hostname;
      // Addresses, and localhost (RFC 6761: always loopback), are judged without asking DNS.
      const knownNow = /^[\d.]+$|^\[/.test(host) || /(^|\.)localhost\.?$/.test(host);
      if (knownNow && !host.startsWith(STAND_IN)) {
        expect(res.status, `${entry.why}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.details.field).toBe("url");
        expect(res.body.error.message, entry.why).toMatch(/^the address of \S+ is not public \(\S+\)\.$/);
      } else {
        expect(res.status, `${entry.why}: ${JSON.stringify(res.body)}`).toBe(201);
        registered.push({ entry, id: res.body.id as string });
      }
    }
    expect(registered.length).toBeGreaterThanOrEqual(20);
    await c.database.db.transaction().execute((trx) =>
      enqueueWebhookEvent(trx, {
        accountId: customer.accountId,
        type: "server.created",
        payload: { n: 1 },
      }),
    );
    for (const { entry, id } of registered) {
      const delivery = await eventually(`delivery for ${entry.why}`, async () => {
        const res = await call(customer.api, "get", `/webhooks/${id}/deliveries`);
        const d = res.body.items?.[0];
        return d && d.state !== "pending" ? d : undefined;
      });
      expect(delivery.state, entry.why).toBe("failed");
      expect(delivery.last_error, entry.why).toMatch(NAMED_REFUSAL);
      // A webhook follows no redirect: the allowed first hop answers 302 and that is the end.
      if (entry.why.includes("302") || entry.why.includes("hops"))
        expect(delivery.last_error, entry.why).toMatch(/answered HTTP 302$/);
      // Deliveries run side by side, so either rebinding endpoint may get the stand-in's answer.
      else if (entry.why.startsWith("DNS rebinding"))
        expect(delivery.last_error, entry.why).toMatch(/answered HTTP 404$|is not public \(loopback\)$/);
      else expect(delivery.last_error, entry.why).toMatch(/is not public|could not resolve/);
    }
    expect(canary.requests).toEqual([]);
  });

  it("shows the canary's secret in no answer and no log line", async () => {
    expect(answers.length).toBeGreaterThan(100);
    for (const text of [...answers, ...logs]) expect(text).not.toContain(canary.secret);
    expect(logs.join("")).not.toContain("CANARY-");
    expect(canary.requests).toEqual([]);
  });
});
