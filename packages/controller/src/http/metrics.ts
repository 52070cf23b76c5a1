import { Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { FastifyInstance } from "fastify";

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
