import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createCliClient, queryString } from "./api-client.js";
import { unwrap } from "./api.js";

describe("the CLI's API client (a real HTTP server on loopback)", () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => handler(req, res, body));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    close = () => server.close();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("sends the path, query, token and JSON body, and reads the JSON answer", async () => {
    const seen: { method?: string; url?: string; auth?: string; type?: string; body?: string }[] = [];
    const url = await serve((req, res, body) => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers["content-type"],
        body,
      });
      res.writeHead(200, { "content-type": "application/json" }).end('{"id":"srv_1","name":"web 1"}');
    });
    const api = createCliClient({ url, token: "lb_tok_x" });
    const result = await api.PATCH("/accounts/{id}", {
      params: { path: { id: "acc 1/../x" } },
      body: { name: "web 1" },
    });
    expect(unwrap(result)).toEqual({ id: "srv_1", name: "web 1" });
    expect(seen).toEqual([
      {
        method: "PATCH",
        url: "/api/v1/accounts/acc%201%2F..%2Fx",
        auth: "Bearer lb_tok_x",
        type: "application/json",
        body: '{"name":"web 1"}',
      },
    ]);
  });

  it("hands an API error to unwrap, which names the field and the hint", async () => {
    const url = await serve((_req, res) =>
      res
        .writeHead(404, { "content-type": "application/json" })
        .end('{"error":{"code":"not_found","message":"No such server.","details":{"field":"id"}}}'),
    );
    const result = await createCliClient({ url, token: "t" }).GET("/servers/{id}", {
      params: { path: { id: "srv_x" } },
    });
    expect(result.response.status).toBe(404);
    expect(() => unwrap(result)).toThrow("No such server. (field: id)");
  });

  it("writes queries as openapi-fetch does: arrays repeated, objects deep, empty values left out", () => {
    expect(queryString({ limit: 5, cursor: undefined, tag: ["a b", "c&d"], filter: { site: "ca" } })).toBe(
      "?limit=5&tag=a%20b&tag=c%26d&filter%5Bsite%5D=ca",
    );
    expect(queryString({})).toBe("");
  });

  it("reads a 204 as no data and a text answer as text", async () => {
    const url = await serve((req, res) =>
      req.url?.endsWith("/export")
        ? res.writeHead(200, { "content-type": "text/csv" }).end("email\na@b.test\n")
        : res.writeHead(204).end(),
    );
    const api = createCliClient({ url, token: "t" });
    const gone = await api.DELETE("/servers/{id}", { params: { path: { id: "srv_1" } } });
    expect(gone.response.ok).toBe(true);
    expect(gone.data).toBeUndefined();
    const csv = await api.GET("/mailing-list/export", { parseAs: "text" });
    expect(csv.data).toBe("email\na@b.test\n");
  });

  it("sends an Idempotency-Key on a create and the same key again when the connection broke", async () => {
    const keys: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      keys.push(req.headers["idempotency-key"] as string | undefined);
      if (keys.length === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(201, { "content-type": "application/json" }).end('{"id":"srv_1"}');
    });
    const result = await createCliClient({ url, token: "t" }).POST("/ssh-keys", {
      body: { name: "laptop", public_key: "ssh-ed25519 AAAA" },
    });
    expect(result.response.status).toBe(201);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^cli-[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("sends no key on a read, does not repeat it, and turns the failure into advice", async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req) => {
      seen.push(req.headers["idempotency-key"] as string | undefined);
      req.socket.destroy();
    });
    await expect(createCliClient({ url, token: "t" }).GET("/servers")).rejects.toThrow(
      /Cannot reach the controller/,
    );
    expect(seen).toEqual([undefined]);
  });

  it("says the controller is not running when the connection is refused", async () => {
    const url = await serve(() => undefined);
    close?.();
    close = undefined;
    await new Promise((r) => setTimeout(r, 50));
    await expect(
      createCliClient({ url, token: "t" }).POST("/servers", { body: {} as never }),
    ).rejects.toThrow(/Cannot reach the controller at .* \(ECONNREFUSED\)/);
  });
});
