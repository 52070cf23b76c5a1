import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// nodejs/undici#5360: a `Connection: close` answer whose FIN arrives while the reader holds the
// body back (the parser paused by backpressure) crashed the process from undici's socket 'end'
// handler, uncatchably. The outbound guard fetches tenants' image URLs through undici, so any
// tenant's server could stop the controller this way (it stopped a federation peer's import in
// bench/federation). patches/undici+7.30.3.patch (applied by patch-package at npm install)
// carries the upstream fix, which ships only in undici 8 (Node 22); without it this file's
// worker dies.
describe("undici, patched: a server that closes while the body is held back", () => {
  const body = Buffer.alloc(4 * 1024 * 1024, 0x61);
  let server: Server;
  let port: number;
  let extraDeclared = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      socket.once("data", () => {
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Length: ${body.length + extraDeclared}\r\nConnection: close\r\n\r\n`,
        );
        socket.write(body);
        socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  async function readLate(): Promise<number> {
    const answer = await request(`http://127.0.0.1:${port}/`);
    // Nothing read for a second: the parser pauses, and the server's FIN arrives meanwhile.
    await new Promise((r) => setTimeout(r, 1_000));
    let read = 0;
    for await (const chunk of answer.body) {
      read += (chunk as Buffer).length;
      await new Promise((r) => setTimeout(r, 1));
    }
    return read;
  }

  it("delivers the whole body", async () => {
    extraDeclared = 0;
    expect(await readLate()).toBe(body.length);
  });

  it("and a body cut short ends in an error, never a completion", async () => {
    extraDeclared = 10;
    await expect(readLate()).rejects.toThrow(/content-length/i);
  });
});
