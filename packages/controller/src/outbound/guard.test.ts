import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { promisify } from "node:util";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo, Server as TcpServer, Socket } from "node:net";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostResolver } from "./guard.js";
import { OutboundGuard, OutboundRefusedError } from "./guard.js";

/** A fake DNS: answers each name from a script, one answer per question, and counts the questions. */
class FakeResolver implements HostResolver {
  readonly asked: string[] = [];
  constructor(private readonly answers: Record<string, string[][]>) {}
  async resolve4(name: string): Promise<string[]> {
    this.asked.push(name);
    const next = this.answers[name]?.shift();
    if (!next) throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: "ENOTFOUND" });
    return next;
  }
  async resolve6(): Promise<string[]> {
    return [];
  }
}

function listen(server: Server | TcpServer, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function refusal(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundRefusedError);
  return err as OutboundRefusedError;
}

describe("OutboundGuard", () => {
  // 127.0.0.2 stands in for a public server (allowlisted); the canary on 127.0.0.1, on the
  // same port, is what a rebinding or a redirect would reach if the guard let it.
  let canaryHits = 0;
  const seen: { host: string | undefined; url: string | undefined }[] = [];
  let target: Server;
  let canary: Server;
  let silent: TcpServer;
  const silentSockets = new Set<Socket>();
  let port: number;
  let silentPort: number;
  let closedPort: number;

  beforeAll(async () => {
    target = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push({ host: req.headers.host, url: req.url });
      if (req.url === "/to-loopback")
        res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
      else if (req.url === "/to-self") res.writeHead(302, { location: "/to-self" }).end();
      else if (req.url === "/big") res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000));
      else if (req.url === "/stream") {
        res.writeHead(200);
        res.end("y".repeat(5000));
      } else res.end("hello from the checked address");
    });
    port = await listen(target, "127.0.0.2");
    canary = createServer((_req, res) => {
      canaryHits++;
      res.end("CANARY");
    });
    await listen(canary, "127.0.0.1", port);
    silent = createTcpServer((socket) => silentSockets.add(socket));
    silentPort = await listen(silent, "127.0.0.2");
    const probe = createTcpServer();
    closedPort = await listen(probe, "127.0.0.2");
    await new Promise((r) => probe.close(r));
  });
  afterAll(async () => {
    target.closeAllConnections();
    for (const socket of silentSockets) socket.destroy();
    for (const s of [target, canary, silent]) await new Promise((r) => s.close(r));
  });

  it("connects to the address it checked, not to what the name resolves to next (DNS rebinding)", async () => {
    const resolver = new FakeResolver({ "rebind.test": [["127.0.0.2"], ["127.0.0.1"]] });
    const guard = new OutboundGuard({ resolver, allowlist: [`127.0.0.2:${port}`] });
    const answer = await guard.request(`http://rebind.test:${port}/hello`, { timeoutMs: 5_000 });
    expect(answer.status).toBe(200);
    expect(await text(answer.body)).toBe("hello from the checked address");
    expect(resolver.asked).toEqual(["rebind.test"]);
    expect(seen.at(-1)).toEqual({ host: `rebind.test:${port}`, url: "/hello" });
    // The next request asks again and gets loopback: refused before any connection.
    const second = await refusal(guard.request(`http://rebind.test:${port}/hello`, { timeoutMs: 5_000 }));
    expect(second).toMatchObject({
      rule: "address",
      message: "the address of rebind.test is not public (loopback)",
    });
    expect(canaryHits).toBe(0);
  });

  it("refuses a name that resolves to any non-public address, and localhost without asking DNS", async () => {
    const resolver = new FakeResolver({ "mixed.test": [["127.0.0.2", "10.0.0.1"]] });
    const guard = new OutboundGuard({ resolver, allowlist: [`127.0.0.2:${port}`] });
    const mixed = await refusal(guard.request(`http://mixed.test:${port}/`, { timeoutMs: 5_000 }));
    expect(mixed.message).toBe("the address of mixed.test is not public (private)");
    for (const url of ["http://localhost/", "http://LOCALHOST./", "http://a.localhost/"]) {
      expect((await refusal(guard.request(url, { timeoutMs: 5_000 }))).rule, url).toBe("address");
    }
    expect(resolver.asked).toEqual(["mixed.test"]);
    expect(canaryHits).toBe(0);
  });

  it("refuses every spelling of a loopback or internal literal without connecting", async () => {
    const guard = new OutboundGuard({ resolver: new FakeResolver({}) });
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://127.1:${port}/`,
      `http://0:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[64:ff9b::7f00:1]:${port}/`,
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/",
      "http://[fc00::1]/",
      "http://100.64.0.1/",
      "http://192.168.0.1/",
    ]) {
      const err = await refusal(guard.request(url, { timeoutMs: 5_000 }));
      expect(err.rule, url).toBe("address");
      expect(err.message, url).toMatch(/^the address of .+ is not public \(.+\)$/);
      expect(() => guard.checkWithoutResolving(url), url).toThrow(OutboundRefusedError);
    }
    expect(() => guard.checkWithoutResolving("http://anything.example/")).not.toThrow();
    expect(canaryHits).toBe(0);
  });

  it("checks every redirect hop like the first URL, and caps the hops", async () => {
    const guard = new OutboundGuard({ resolver: new FakeResolver({}), allowlist: [`127.0.0.2:${port}`] });
    const hop = await refusal(guard.request(`http://127.0.0.2:${port}/to-loopback`, { timeoutMs: 5_000 }));
    expect(hop.message).toBe("the address of 127.0.0.1 is not public (loopback)");
    const loop = await refusal(
      guard.request(`http://127.0.0.2:${port}/to-self`, { timeoutMs: 5_000, maxRedirects: 3 }),
    );
    expect(loop).toMatchObject({
      rule: "redirects",
      message: "too many redirects (more than 3) from 127.0.0.2",
    });
    const kept = await guard.request(`http://127.0.0.2:${port}/to-self`, {
      timeoutMs: 5_000,
      maxRedirects: 0,
    });
    expect(kept.status).toBe(302);
    kept.body.destroy();
    expect(canaryHits).toBe(0);
  });

  it("says the same for a closed port and for one that never answers", async () => {
    const guard = new OutboundGuard({
      resolver: new FakeResolver({}),
      allowlist: ["127.0.0.2"],
      connectTimeoutMs: 300,
    });
    const closed = await refusal(guard.request(`http://127.0.0.2:${closedPort}/`, { timeoutMs: 600 }));
    const hung = await refusal(guard.request(`http://127.0.0.2:${silentPort}/`, { timeoutMs: 600 }));
    expect(closed).toMatchObject({ rule: "connect", message: "could not connect to 127.0.0.2" });
    expect(hung).toMatchObject({ rule: "connect", message: closed.message });
  });

  it("caps the body by Content-Length and by counting", async () => {
    const guard = new OutboundGuard({ resolver: new FakeResolver({}), allowlist: [`127.0.0.2:${port}`] });
    const declared = await refusal(
      guard.request(`http://127.0.0.2:${port}/big`, { timeoutMs: 5_000, maxBytes: 100 }),
    );
    expect(declared).toMatchObject({ rule: "size" });
    const streamed = await guard.request(`http://127.0.0.2:${port}/stream`, {
      timeoutMs: 5_000,
      maxBytes: 100,
    });
    const err = await refusal(text(streamed.body));
    expect(err).toMatchObject({ rule: "size", message: "127.0.0.2 sent more than the 100-byte cap" });
  });

  it("resolves an allowlisted name as the system does, and only that name", async () => {
    const resolver = new FakeResolver({});
    const guard = new OutboundGuard({
      resolver,
      allowlist: [`mirror.internal:${port}`],
      systemLookup: async (name) => (name === "mirror.internal" ? [{ address: "127.0.0.2", family: 4 }] : []),
    });
    const answer = await guard.request(`http://Mirror.Internal.:${port}/`, { timeoutMs: 5_000 });
    expect(await text(answer.body)).toBe("hello from the checked address");
    const otherPort = await refusal(
      guard.request(`http://mirror.internal:${port + 1}/`, { timeoutMs: 5_000 }),
    );
    expect(otherPort).toMatchObject({ rule: "resolve", message: "could not resolve mirror.internal" });
    expect(resolver.asked).toEqual(["mirror.internal"]);
  });

  it("over TLS, dials the checked address but sends SNI and checks the certificate for the name", async () => {
    const dir = await mkdtemp(join(tmpdir(), "outbound-tls-"));
    try {
      // prettier-ignore
      await promisify(execFile)("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
        "-subj", "/CN=pinned.test", "-addext", "subjectAltName=DNS:pinned.test",
      ]);
      const cert = await readFile(join(dir, "cert.pem"), "utf8");
      const served: { servername: string | false | null; host: string | undefined }[] = [];
      const tls = createTlsServer({ key: await readFile(join(dir, "key.pem")), cert }, (req, res) => {
        served.push({ servername: (req.socket as TLSSocket).servername, host: req.headers.host });
        res.end("over tls");
      });
      const tlsPort = await listen(tls, "127.0.0.2");
      try {
        const guard = new OutboundGuard({
          resolver: new FakeResolver({ "pinned.test": [["127.0.0.2"]] }),
          allowlist: [`127.0.0.2:${tlsPort}`],
          extraCa: [cert],
        });
        const answer = await guard.request(`https://pinned.test:${tlsPort}/`, { timeoutMs: 5_000 });
        expect(await text(answer.body)).toBe("over tls");
        expect(served).toEqual([{ servername: "pinned.test", host: `pinned.test:${tlsPort}` }]);
        // The same server by its address: the certificate does not name it, so no connection.
        const byAddress = await refusal(guard.request(`https://127.0.0.2:${tlsPort}/`, { timeoutMs: 5_000 }));
        expect(byAddress).toMatchObject({ rule: "connect", message: "could not connect to 127.0.0.2" });
        expect(served).toHaveLength(1);
      } finally {
        tls.closeAllConnections();
        await new Promise((r) => tls.close(r));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses URLs that are not http or carry credentials", async () => {
    const guard = new OutboundGuard({ resolver: new FakeResolver({}) });
    for (const url of [
      "file:///etc/passwd",
      "ftp://example.com/x",
      "http://user:pw@example.com/",
      "not a url",
    ]) {
      expect((await refusal(guard.request(url, { timeoutMs: 1_000 }))).rule, url).toBe("url");
    }
  });
});
