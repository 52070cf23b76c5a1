import { randomUUID } from "node:crypto";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import websocket from "@fastify/websocket";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { isMigrated } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import Fastify from "fastify";
import type { FastifyServerOptions } from "fastify";
import { NO_MAIL } from "./mail/mailer.js";
import type { Mailer } from "./mail/mailer.js";
import { AgentHub } from "./agents/agent-hub.js";
import type { AgentHubOptions } from "./agents/agent-hub.js";
import { registerAgentRoutes } from "./agents/agent-routes.js";
import { BlobStore } from "./blobs/blob-store.js";
import { SecretBox } from "./base/secret-box.js";
import type { TrustProxy } from "./config.js";
import { authenticationHook, routeScopeHook } from "./identity/authenticate.js";
import { handleError, handleNotFound } from "./http/error-handler.js";
import { idempotencyHooks } from "./http/idempotency.js";
import { createMetrics, exposeMetrics } from "./http/metrics.js";
import type { MetricsAccess } from "./http/metrics.js";
import { EnergyMetrics } from "./energy/energy-metrics.js";
import "./http/principal.js";
import type { App } from "./http/types.js";
import { createValidatorCompiler, limitJsonDepth, rejectUnrepresentableText } from "./http/validation.js";
import { registerAccountRoutes } from "./accounts/account-routes.js";
import { registerAuditRoutes } from "./accounts/audit-routes.js";
import { registerBillingRoutes } from "./billing/billing-routes.js";
import { registerCodeRoutes } from "./billing/code-routes.js";
import { registerInvoiceRoutes } from "./billing/invoice-routes.js";
import { registerResellerRoutes } from "./resellers/reseller-routes.js";
import { registerAuthRoutes } from "./identity/auth-routes.js";
import { registerCatalogRoutes } from "./catalog/catalog-routes.js";
import { registerImageRoutes } from "./images/image-routes.js";
import { registerConsoleRoutes } from "./agents/console-routes.js";
import { registerHostRoutes } from "./hosts/host-routes.js";
import { registerDashboardRoutes } from "./dashboard/dashboard-routes.js";
import { registerEnergyRoutes } from "./energy/energy-routes.js";
import { registerImageJobRoutes } from "./images/image-job-routes.js";
import { JobRunner } from "./jobs/job-runner.js";
import type { JobRunnerOptions } from "./jobs/job-runner.js";
import { scheduleWork } from "./scheduled-work.js";
import { ImageJobRunner } from "./images/runner.js";
import type { ImageJobRunnerOptions } from "./images/runner.js";
import { registerServerRoutes } from "./servers/server-routes.js";
import { registerNetworkingRoutes } from "./networking/networking-routes.js";
import { registerSignupRoutes } from "./identity/signup-routes.js";
import { registerSshKeyRoutes } from "./ssh-keys/ssh-key-routes.js";
import { registerTicketRoutes } from "./tickets/ticket-routes.js";
import { registerWebhookRoutes } from "./webhooks/webhook-routes.js";
import { WebhookDispatcher } from "./webhooks/dispatcher.js";
import type { WebhookDispatcherOptions } from "./webhooks/dispatcher.js";
import { OutboundGuard } from "./outbound/guard.js";
import type { OutboundGuardOptions } from "./outbound/guard.js";
import { registerTokenRoutes } from "./identity/token-routes.js";
import { registerUserRoutes } from "./identity/user-routes.js";
import { DEFAULT_WEB_ROOT, registerPortal } from "./web/portal.js";
import { registerAccessKeyRoutes } from "./ec2/access-key-routes.js";
import { DEFAULT_EC2_REGION, registerEc2Routes } from "./ec2/ec2-routes.js";
import { registerFederationRoutes } from "./federation/federation-routes.js";
import { ensureIdentity } from "./federation/identity.js";
import { PeerClient } from "./federation/peer-client.js";
import { registerProtocolRoutes } from "./federation/protocol-routes.js";
import { registerRemoteServerRoutes } from "./federation/remote-server-routes.js";
import { ensureImageAtPeer } from "./federation/image-transfer.js";
import { registerRemoteConsoleRoute } from "./federation/console-relay.js";
import { publicBrand } from "./branding/brands.js";
import { releaseNewlyReservedClaims } from "./branding/verified-domains.js";
import { challengeFetchThrough, compilePortalDomainPolicy } from "./branding/policy.js";
import type { PortalDomainOptions } from "./branding/policy.js";

export interface AppOptions {
  database: Database;
  /** A pino logger configuration, `false` to silence it (benchmarks), or a logger instance. */
  logger?: FastifyServerOptions["logger"];
  loggerInstance?: FastifyServerOptions["loggerInstance"];
  /** Largest accepted JSON body. */
  bodyLimitBytes?: number;
  version?: string;
  /** Where image files for agents are kept (content-addressed). */
  blobDir: string;
  /** Heartbeat and resync timing of the agent channel. */
  agents?: Omit<AgentHubOptions, "database" | "logger">;
  /** Image import/export jobs; `runner: false` leaves them queued (tests of the queue itself) and this controller runs none. */
  imageJobs?: Omit<ImageJobRunnerOptions, "database" | "blobs" | "logger"> & { runner?: boolean };
  /** Webhook delivery timing; `dispatcher: false` leaves deliveries queued (tests of the outbox itself). */
  webhooks?: Omit<WebhookDispatcherOptions, "database" | "logger"> & { dispatcher?: boolean };
  /** Outgoing mail (signup, password reset, tickets, invoices). Default: none configured. */
  mailer?: Mailer;
  /** The controller's public origin, for links in mail (`https://panel.example.com`). */
  publicUrl?: string;
  /** The built web portal served at `/` (default: packages/web/dist); `false` serves none. */
  webRoot?: string | false;
  /** The backup schedule (docs/backups.md): how often it runs (default 10 min), or `false` for never. */
  backupSchedule?: { checkEveryMs?: number } | false;
  /** The automatic close of the month before for every issuer (docs/billing.md): when (cron, UTC), or `false` for never. */
  monthClose?: { cron?: string } | false;
  /** The durable job runner (docs/jobs.md): how often it polls, how long a stop waits for running jobs. */
  jobs?: Omit<JobRunnerOptions, "database" | "logger">;
  /** Which proxies' X-Forwarded-* headers to believe (config.ts, --trust-proxy); default none. */
  trustProxy?: TrustProxy;
  /** The 32-byte key that seals TOTP secrets. Without one, a random key lives as long as the process (tests). */
  secretKey?: Buffer;
  /** Where requests made for tenants (image URLs, webhooks) may go: public addresses, plus this allowlist (docs/security.md, "Outbound requests"). */
  outbound?: OutboundGuardOptions | OutboundGuard;
  /** Portal domain claims (docs/security.md, "Portal domains"): reserved names, where proofs are checked. */
  portalDomains?: PortalDomainOptions;
  /** Who may read /metrics (docs/security.md, "Metrics"); by default nobody. */
  metrics?: MetricsAccess;
  /** The EC2 Query API at /ec2 (docs/ec2.md): the region name its signatures are scoped to (default `local-1`). */
  ec2?: { region?: string };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Secrets that must never reach a log line. */
export const LOG_REDACTIONS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** A hop count as the function Fastify's types accept (its runtime takes the number, its types do not). */
function trustProxyForFastify(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === "number" ? (_address, hop) => hop < trust : trust;
}

/** Builds the controller's HTTP application. No listening happens here; see startController. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { database } = options;
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? { level: "info", redact: LOG_REDACTIONS } }),
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    // Start-up hooks (the job runner's first pass, the federation identity, releasing claims)
    // wait on the database: on a busy host that can pass Fastify's 10 s default, and a
    // controller that refuses to start then is worse than one that starts late. A hook that
    // really hangs still fails the start, after a minute.
    pluginTimeout: 60_000,
    // request.ip and request.protocol come from X-Forwarded-* only from proxies the provider named.
    trustProxy: trustProxyForFastify(options.trustProxy ?? false),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(createValidatorCompiler());
  // NUL bytes and lone surrogates are refused with a 400 before any route, present or future, sees them.
  app.addHook("preValidation", rejectUnrepresentableText);
  limitJsonDepth(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook("onRequest", async (request, reply) => {
    void reply.header("x-request-id", request.id);
  });

  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 4 * 1024 * 1024 } });
  const metrics = createMetrics();
  metrics.observe(app);
  const energyMetrics = new EnergyMetrics(metrics.registry);
  const hub = new AgentHub({ database, logger: app.log, energyMetrics, ...options.agents });
  app.addHook("onClose", async () => hub.close());
  const secretBox = new SecretBox(options.secretKey ?? SecretBox.generateKey());
  const blobs = new BlobStore(options.blobDir);
  const outbound =
    options.outbound instanceof OutboundGuard ? options.outbound : new OutboundGuard(options.outbound);
  const imageJobs = new ImageJobRunner({ database, blobs, logger: app.log, outbound, ...options.imageJobs });
  const imageJobsRun = options.imageJobs?.runner !== false;
  const webhooks = new WebhookDispatcher({ database, logger: app.log, outbound, ...options.webhooks });
  const jobs = scheduleWork(
    new JobRunner({
      database,
      logger: app.log,
      ...options.jobs,
      // Tests that ask for quick image jobs or deliveries get a runner that polls that often.
      pollMs: Math.min(
        options.jobs?.pollMs ?? 1_000,
        options.webhooks?.pollMs ?? Infinity,
        options.imageJobs?.pollMs ?? Infinity,
      ),
    }),
    {
      database,
      hub,
      imageJobs: imageJobsRun ? imageJobs : undefined,
      webhooks: options.webhooks?.dispatcher !== false ? webhooks : undefined,
      backupSchedule: options.backupSchedule,
      monthClose: options.monthClose,
      federationUsage: { database, secretBox, peers: new PeerClient(outbound) },
      remoteServers: {
        database,
        secretBox,
        peers: new PeerClient(outbound),
        // The image travels before the create (image-transfer.ts).
        ensureImageAtPeer: async (peer, imageId) =>
          ensureImageAtPeer({ database, secretBox, peers: new PeerClient(outbound) }, peer, { id: imageId }),
      },
    },
  );
  app.addHook("onReady", async () => jobs.start());
  app.addHook("onClose", async () => jobs.stop());

  // A reseller's portal domain counts only once proven; the provider's own names never (docs/security.md).
  const portalDomains = compilePortalDomainPolicy(
    {
      // The HTTP proof is a fetch for a tenant like any other: through the one outbound guard.
      fetch: challengeFetchThrough(outbound),
      // And the TXT proof asks the DNS servers that guard asks (LAYERBOOM_DNS_SERVERS).
      dnsServers: options.outbound instanceof OutboundGuard ? undefined : options.outbound?.dnsServers,
      ...options.portalDomains,
    },
    options.publicUrl,
  );
  // The reserved list may have grown since the last start: a reseller's claim on a newly reserved name goes.
  app.addHook("onReady", async () => {
    await releaseNewlyReservedClaims(database.db, portalDomains.reserved)
      .then((released) => {
        if (released.length > 0)
          app.log.warn(
            { domains: released },
            "released resellers' claims on domains the provider now reserves",
          );
      })
      .catch((err: unknown) =>
        app.log.error({ err }, "could not check portal domains against the reserved list"),
      );
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Layerboom API",
        version: options.version ?? "0.1.0",
        description:
          'Virtual private servers on your own hardware. Errors are `{"error":{"code","message","details"}}`; lists use cursor pagination; creates accept an Idempotency-Key header.',
      },
      servers: [{ url: "/api/v1" }],
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description:
              "An API token from POST /auth/token or POST /tokens. Each operation lists the token scope it needs: <group>:read to read, <group> to change; full and read also cover it.",
          },
          session: { type: "apiKey", in: "cookie", name: "lb_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // Paths in the document are relative to the /api/v1 server url.
    transform: ({ schema, url }) => ({ schema, url: url.replace(/^\/api\/v1/, "") }),
  });

  app.get("/healthz", { config: { public: true }, schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const ready = await isMigrated(database).catch(() => false);
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready" });
  });
  exposeMetrics(app, metrics.registry, options.metrics ?? {});

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<TypeBoxTypeProvider>();
      // Every route below gets its token scope decided now, or the controller does not start.
      typed.addHook("onRoute", routeScopeHook("/api/v1"));
      const idempotency = idempotencyHooks(database);
      typed.addHook("preHandler", authenticationHook(database));
      typed.addHook("preHandler", idempotency.preHandler);
      typed.addHook("onSend", idempotency.onSend);
      typed.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      const deps = {
        database,
        hostChanged: hub.hostChanged,
        mailer: options.mailer ?? NO_MAIL,
        publicUrl: options.publicUrl,
        outbound,
        ec2Region: options.ec2?.region ?? DEFAULT_EC2_REGION,
      };
      registerAuthRoutes(typed, { ...deps, secretBox });
      registerAccountRoutes(typed, deps);
      registerUserRoutes(typed, deps);
      registerTokenRoutes(typed, deps);
      registerAccessKeyRoutes(typed, { ...deps, secretBox });
      registerCatalogRoutes(typed, deps);
      registerImageRoutes(typed, { ...deps, imageQuotas: imageJobs.config.limits.quotas });
      registerSshKeyRoutes(typed, deps);
      registerServerRoutes(typed, deps);
      registerNetworkingRoutes(typed, deps);
      registerConsoleRoutes(typed, { ...deps, hub });
      registerHostRoutes(typed, deps);
      registerDashboardRoutes(typed, deps);
      registerEnergyRoutes(typed, deps);
      registerImageJobRoutes(typed, {
        ...deps,
        imageJobs: imageJobs.config,
        jobQueued: () => {
          if (imageJobsRun) jobs.wake();
        },
      });
      registerAuditRoutes(typed, deps);
      registerBillingRoutes(typed, deps);
      registerInvoiceRoutes(typed, deps);
      registerCodeRoutes(typed, deps);
      registerResellerRoutes(typed, { ...deps, portalDomains });
      registerTicketRoutes(typed, deps);
      registerWebhookRoutes(typed, deps);
      registerSignupRoutes(typed, deps);
      registerFederationRoutes(typed, { ...deps, secretBox, peers: new PeerClient(outbound) });
      registerRemoteConsoleRoute(typed, { ...deps, secretBox, outbound });
      registerRemoteServerRoutes(typed, { ...deps, jobQueued: () => jobs.wake() });
    },
    { prefix: "/api/v1" },
  );

  registerAgentRoutes(app, { database, hub, blobs, imageJobs: imageJobs.config });
  await registerEc2Routes(app, {
    database,
    secretBox,
    hub,
    hostChanged: hub.hostChanged,
    region: options.ec2?.region ?? DEFAULT_EC2_REGION,
  });
  // This installation's federation key pair, made once at first start (docs/federation.md).
  app.addHook("onReady", async () => {
    await ensureIdentity(database.db, secretBox).catch((err: unknown) =>
      app.log.error({ err }, "could not make the federation identity"),
    );
  });
  await registerProtocolRoutes(app, {
    database,
    secretBox,
    blobs,
    imageJobs: imageJobs.config,
    jobQueued: () => {
      if (imageJobsRun) jobs.wake();
    },
    hub,
  });
  if (options.webRoot !== false) {
    await registerPortal(
      app,
      options.webRoot ?? DEFAULT_WEB_ROOT,
      async (hostname) => (await publicBrand(database.db, { domain: hostname }))?.name,
    );
  }

  return app;
}
