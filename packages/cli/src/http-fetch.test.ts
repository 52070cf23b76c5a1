import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetch } from "./http-fetch.js";

/** A real HTTP server that echoes what it received, as JSON, or answers as the path says. */
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/empty") {
        res.writeHead(204).end();
        return;
      }
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json" });
      const body = Buffer.concat(chunks);
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization,
          bytes: body.length,
          head: body.subarray(0, 16).toString(),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("httpFetch", () => {
  it("sends the method, headers and query, and reads status, headers and body", async () => {
    const res = await httpFetch(`${base}/servers?limit=2`, { headers: { authorization: "Bearer t" } });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await res.json()).toMatchObject({
      method: "GET",
      url: "/servers?limit=2",
      authorization: "Bearer t",
      bytes: 0,
    });
  });

  it("takes a Request, as the generated client passes one, and sends its body", async () => {
    const res = await httpFetch(
      new Request(`${base}/servers`, { method: "POST", body: JSON.stringify({ name: "web1" }) }),
    );
    expect(await res.json()).toMatchObject({ method: "POST", bytes: 15, head: '{"name":"web1"}' });
  });

  it("streams a large request body (an image upload)", async () => {
    const size = 8 * 1024 * 1024;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        const chunk = new Uint8Array(64 * 1024).fill(0x61);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await httpFetch(`${base}/uploads`, {
      method: "POST",
      body,
      headers: { "content-length": String(size) },
      duplex: "half",
    });
    expect(await res.json()).toMatchObject({ bytes: size, head: "a".repeat(16) });
  });

  it("answers 204 and 404 as Responses, not errors", async () => {
    const empty = await httpFetch(`${base}/empty`, { method: "DELETE" });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
    const missing = await httpFetch(`${base}/missing`);
    expect(missing.status).toBe(404);
    expect(missing.ok).toBe(false);
  });

  it("rejects a refused connection as fetch does: a TypeError whose cause carries the code", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await httpFetch(`http://127.0.0.1:${port}/`).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
  });

  it("refuses a scheme other than http and https", async () => {
    await expect(httpFetch("file:///etc/passwd")).rejects.toThrow(/file: is not http: or https:/);
  });
});
