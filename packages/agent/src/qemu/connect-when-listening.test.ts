import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectWhenListening, NotListeningError } from "./connect-when-listening.js";

function openSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("connectWhenListening (real unix sockets)", () => {
  let dir: string | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("waits through ENOENT until the socket listens, then connects", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-listen-"));
    const path = join(dir, "qmp.sock");
    setTimeout(() => {
      server = createServer((s) => s.end());
      server.listen(path);
    }, 150);
    const socket = await connectWhenListening(path, () => openSocket(path), { timeoutMs: 5_000 });
    expect(socket.readable).toBe(true);
    socket.destroy();
  });

  it("gives up at the deadline, naming the socket and the last error", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-listen-"));
    const path = join(dir, "never.sock");
    const err = await connectWhenListening(path, () => openSocket(path), { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotListeningError);
    expect((err as NotListeningError).reason).toBe("timeout");
    expect((err as Error).message).toContain("never.sock");
  });

  it("stops at once when the process has exited", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-listen-"));
    const path = join(dir, "gone.sock");
    const started = Date.now();
    const err = await connectWhenListening(path, () => openSocket(path), {
      timeoutMs: 10_000,
      stillRunning: () => false,
    }).catch((e: unknown) => e);
    expect((err as NotListeningError).reason).toBe("exited");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("throws any other error at once", async () => {
    let calls = 0;
    const err = await connectWhenListening(
      "/x",
      () => {
        calls++;
        return Promise.reject(Object.assign(new Error("denied"), { code: "EACCES" }));
      },
      { timeoutMs: 5_000 },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe("denied");
    expect(calls).toBe(1);
  });
});
