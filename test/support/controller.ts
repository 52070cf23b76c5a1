import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, bootstrapProvider, issueLocalCliToken, seedDemoCatalog } from "@layerboom/controller";
import type { App, AppOptions } from "@layerboom/controller";
import type { Database, DatabaseKind } from "@layerboom/db";
import { migratedScratch } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";

/** A controller on a scratch database, listening on loopback, with a provider admin. */
export interface TestController {
  kind: DatabaseKind;
  url: string;
  app: App;
  database: Database;
  scratch: ScratchDatabase;
  adminToken: string;
  adminEmail: string;
  adminPassword: string;
  /** The controller's blob store folder (image files served to agents). */
  blobDir: string;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = "correct horse battery staple";

/** The bearer token test controllers want on /metrics (docs/security.md, "Metrics"). */
export const TEST_METRICS_TOKEN = "test-metrics-token-0123456789abcdef0123456789";

/** Starts a controller on a migrated scratch database of `kind` (for PostgreSQL, inside describeOnEachDatabase). */
export async function startTestController(
  kind: DatabaseKind,
  options: {
    agents?: AppOptions["agents"];
    mailer?: AppOptions["mailer"];
    publicUrl?: string;
    webhooks?: AppOptions["webhooks"];
    /** Image-job limits, quota defaults, runner concurrency and hooks (the image security tests). */
    imageJobs?: AppOptions["imageJobs"];
    /** The blob folder to use (made by the test, removed on close); by default a fresh temporary one. */
    blobDir?: string;
    /** The built web portal to serve at `/`; by default none, so API tests never depend on a build. */
    webRoot?: AppOptions["webRoot"];
    /** A logger to read what the controller logged (the outbound test looks for its canary there). */
    loggerInstance?: AppOptions["loggerInstance"];
    /** The outbound guard's allowlist and DNS servers; by default public addresses only, system DNS. */
    outbound?: AppOptions["outbound"];
    /** Which proxies' X-Forwarded-* to believe; `true` lets a test speak for many client addresses. */
    trustProxy?: AppOptions["trustProxy"];
    /** Reserved names and where portal domain proofs are checked (a local DNS server in tests). */
    portalDomains?: AppOptions["portalDomains"];
    /** Who may read /metrics; by default a scrape with TEST_METRICS_TOKEN. */
    metrics?: AppOptions["metrics"];
    /** The key that seals secrets (a test that opens one itself, the federation key); by default a random one. */
    secretKey?: Buffer;
  } = {},
): Promise<TestController> {
  const { scratch, database } = await migratedScratch(kind);
  const boot = await bootstrapProvider(database, {
    adminEmail: "admin@provider.test",
    adminPassword: ADMIN_PASSWORD,
  });
  await seedDemoCatalog(database, "America/Toronto");
  const blobDir = options.blobDir ?? (await mkdtemp(join(tmpdir(), "layerboom-blobs-")));
  const app = await buildApp({
    database,
    blobDir,
    logger: process.env["LAYERBOOM_TEST_LOG"] ? { level: process.env["LAYERBOOM_TEST_LOG"] } : false,
    ...(options.agents ? { agents: options.agents } : {}),
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.imageJobs ? { imageJobs: options.imageJobs } : {}),
    webRoot: options.webRoot ?? false,
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : {}),
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.portalDomains ? { portalDomains: options.portalDomains } : {}),
    metrics: options.metrics ?? { token: TEST_METRICS_TOKEN },
    ...(options.secretKey ? { secretKey: options.secretKey } : {}),
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const adminToken = await issueLocalCliToken(database, boot.firstAdmin?.userId ?? "");
  return {
    kind,
    url: `${address}/api/v1`,
    app,
    database,
    scratch,
    adminToken,
    adminEmail: "admin@provider.test",
    adminPassword: ADMIN_PASSWORD,
    blobDir,
    async close() {
      await app.close();
      await database.close();
      await scratch.drop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A thin HTTP client for tests that need to send things a generated client would never send. */
export function apiClient(baseUrl: string, token?: string) {
  async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Non-JSON bodies (metrics) stay text.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) =>
      call<T>("GET", path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>("POST", path, body ?? {}, headers),
    patch: <T = any>(path: string, body: unknown) => call<T>("PATCH", path, body),
    del: <T = any>(path: string) => call<T>("DELETE", path),
    /** PUT with a text body (CSV imports). */
    putText: <T = any>(path: string, text: string, contentType: string) =>
      call<T>("PUT", path, text, { "content-type": contentType }),
    put: <T = any>(path: string, body: unknown) => call<T>("PUT", path, body),
    call,
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export const TEST_SSH_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGvW1u1m0wq9Jk2Qv3z1d0mQ6s7rB3cQ6l1x8H9h2f3K test@layerboom";
