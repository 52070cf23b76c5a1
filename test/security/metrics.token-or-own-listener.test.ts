import { createServer } from "node:net";
import { compileControllerOptions } from "@layerboom/controller";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_METRICS_TOKEN, apiClient, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { describeOnEachDatabase } from "../support/databases.js";

/**
 * /metrics names every server and host with its power (issue 12, item 5). It is served only
 * with a bearer token or on a listener of its own; by default it shows nothing to anyone.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

const originOf = (c: TestController) => c.url.replace(/\/api\/v1$/, "");

describeOnEachDatabase("/metrics access on %s", (kind) => {
  let c: TestController | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it("answers 404 and shows nothing when neither a token nor a listener is configured", async () => {
    c = await startTestController(kind, { metrics: {} });
    const anon = apiClient(originOf(c));
    const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TEST_METRICS_TOKEN}` }];
    for (const headers of attempts) {
      const res = await anon.get("/metrics", headers);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("route_not_found");
      expect(JSON.stringify(res.body)).not.toContain("layerboom_");
    }
  });

  it("wants the bearer token, compared whole, when one is configured", async () => {
    c = await startTestController(kind, { metrics: { token: TEST_METRICS_TOKEN } });
    const anon = apiClient(originOf(c));
    const refused: Record<string, string>[] = [
      {},
      { authorization: "Bearer " },
      { authorization: `Bearer ${TEST_METRICS_TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${TEST_METRICS_TOKEN}x` },
      { authorization: `Basic ${Buffer.from(`x:${TEST_METRICS_TOKEN}`).toString("base64")}` },
      // An API token of the provider admin is not the metrics token.
      { authorization: `Bearer ${c.adminToken}` },
    ];
    for (const headers of refused) {
      const res = await anon.get("/metrics", headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain("layerboom_");
    }
    const ok = await anon.get("/metrics", { authorization: `Bearer ${TEST_METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("layerboom_http_request_duration_seconds");
  });

  it("serves a listener of its own and nothing on the API's address", async () => {
    const port = await freePort();
    c = await startTestController(kind, { metrics: { listen: { host: "127.0.0.1", port } } });
    expect((await apiClient(originOf(c)).get("/metrics")).status).toBe(404);
    const own = apiClient(`http://127.0.0.1:${port}`);
    const res = await own.get("/metrics");
    expect(res.status).toBe(200);
    expect(res.body).toContain("layerboom_http_request_duration_seconds");
    // Only /metrics: the API is not reachable through the metrics listener.
    expect((await own.get("/api/v1/servers")).status).toBe(404);
    expect((await own.get("/healthz")).status).toBe(404);
  });
});

describe("metrics settings", () => {
  it("reads the token and listener from the environment, and refuses weak or malformed ones", () => {
    const token = "a".repeat(32);
    const compiled = compileControllerOptions(
      {},
      { LAYERBOOM_METRICS_TOKEN: token, LAYERBOOM_METRICS_LISTEN: "[::1]:9464" },
    );
    expect(compiled.metrics).toEqual({ token, listen: { host: "::1", port: 9464 } });
    expect(compileControllerOptions({ metricsListen: "127.0.0.1:9464" }, {}).metrics.listen).toEqual({
      host: "127.0.0.1",
      port: 9464,
    });
    expect(compileControllerOptions({}, {}).metrics).toEqual({ token: undefined, listen: undefined });
    expect(() => compileControllerOptions({}, { LAYERBOOM_METRICS_TOKEN: "short" })).toThrow(
      /LAYERBOOM_METRICS_TOKEN/,
    );
    for (const listen of ["9464", "127.0.0.1", "127.0.0.1:99999", "::1:9464", "host :1"])
      expect(() => compileControllerOptions({ metricsListen: listen }, {}), listen).toThrow(
        /--metrics-listen/,
      );
  });
});
