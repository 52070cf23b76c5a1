import { AuthenticationError } from "@layerboom/core";
import { Histogram, Registry, collectDefaultMetrics } from "prom-client";
import Fastify from "fastify";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { digestsEqual, sha256Hex } from "../base/secrets.js";
import { handleError, handleNotFound } from "./error-handler.js";

/** A Prometheus registry for one controller, with process metrics and request timings. */
export function createMetrics(): { registry: Registry; observe: (app: FastifyInstance) => void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "layerboom_" });
  const duration = new Histogram({
    name: "layerboom_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const observe = (app: FastifyInstance) => {
    app.addHook("onResponse", async (request, reply) => {
      duration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? "unmatched",
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
  };
  return { registry, observe };
}

/**
 * Who may read /metrics. The metrics name every server and host with its power, that is
 * where each tenant's servers run and how busy they are, so nothing is served without one
 * of these (docs/security.md, "Metrics").
 */
export interface MetricsAccess {
  /** A bearer token that Prometheus sends (`authorization.credentials` in its scrape config). */
  token?: string | undefined;
  /** A listener of its own (say 127.0.0.1:9464), kept off the public address. */
  listen?: { host: string; port: number } | undefined;
}

/** Refuses a scrape without the configured bearer token, comparing digests in constant time. */
function checkMetricsToken(request: FastifyRequest, token: string): void {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (!match?.[1] || !digestsEqual(sha256Hex(match[1]), sha256Hex(token)))
    throw new AuthenticationError("/metrics needs `Authorization: Bearer <LAYERBOOM_METRICS_TOKEN>`.");
}

function metricsRoute(app: FastifyInstance, registry: Registry, token: string | undefined): void {
  app.get("/metrics", { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (token !== undefined) checkMetricsToken(request, token);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

/**
 * Serves the registry as `access` says: on the API's own address only with the token; on a
 * listener of its own when one is configured (with the token too, when both are set). With
 * neither, /metrics answers 404 and shows nothing.
 */
export function exposeMetrics(app: FastifyInstance, registry: Registry, access: MetricsAccess): void {
  if (access.listen) {
    const { host, port } = access.listen;
    const own = Fastify({ logger: false });
    own.setErrorHandler(handleError);
    own.setNotFoundHandler(handleNotFound);
    metricsRoute(own, registry, access.token);
    app.addHook("onReady", async () => {
      const url = await own.listen({ host, port });
      app.log.info({ url: `${url}/metrics` }, "metrics listening");
    });
    app.addHook("onClose", async () => own.close());
  }
  if (access.token !== undefined && !access.listen) {
    metricsRoute(app, registry, access.token);
    return;
  }
  // Answered like any unknown path (and never by the portal's catch-all page).
  app.get("/metrics", { config: { public: true }, schema: { hide: true } }, async (request, reply) =>
    handleNotFound(request, reply),
  );
}
