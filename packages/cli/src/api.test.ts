import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchExplainingFailures } from "./api.js";

describe("the CLI's fetch (a real HTTP server on loopback)", () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    close = () => server.close();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

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
    const response = await fetchExplainingFailures(url)(`${url}/api/v1/servers`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name":"web1"}',
    });
    expect(response.status).toBe(201);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^cli-[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("sends no key on a read, and does not repeat it", async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req) => {
      seen.push(req.headers["idempotency-key"] as string | undefined);
      req.socket.destroy();
    });
    await expect(fetchExplainingFailures(url)(`${url}/api/v1/servers`)).rejects.toThrow(
      /Cannot reach the controller/,
    );
    expect(seen).toEqual([undefined]);
  });
});
