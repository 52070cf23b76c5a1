import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "./logger.js";
import { VmConnections } from "./vm-connections.js";
import { vmPaths } from "./vm-paths.js";

const GREETING = `${JSON.stringify({
  QMP: { version: { qemu: { major: 8, minor: 0, micro: 0 }, package: "" }, capabilities: [] },
})}\r\n`;

/**
 * A fake QMP monitor (a unix socket server, no QEMU): it accepts at once, as QEMU's listening
 * socket does, but greets only after `greetAfterMs`, as QEMU does once machine set-up is over;
 * then it answers every command with an empty return.
 */
function fakeSlowMonitor(socket: string, greetAfterMs: number): Promise<Server> {
  const server = createServer((conn) => {
    setTimeout(() => conn.write(GREETING), greetAfterMs);
    let buffered = "";
    conn.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const { id } = JSON.parse(line) as { id?: unknown };
        conn.write(`${JSON.stringify({ return: {}, id })}\r\n`);
      }
    });
  });
  return new Promise((resolve) => server.listen(socket, () => resolve(server)));
}

describe("VmConnections on a QEMU that is slow to greet", () => {
  let dir: string | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("waits for the greeting as long as a start may take, not just the connect timeout", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-conn-"));
    const paths = vmPaths(join(dir, "run"), join(dir, "data"), "srv-slow");
    await mkdir(paths.runDir, { recursive: true });
    // A greeting 4× later than the QMP connect timeout, inside the start allowance.
    server = await fakeSlowMonitor(paths.qmpSocket, 400);
    const connections = new VmConnections({
      paths: () => paths,
      startTimeoutMs: 1_500,
      qmp: { connectTimeoutMs: 100 },
      scrollbackBytes: 1024,
      logger: silentLogger,
      onEvent: () => undefined,
      onLost: () => undefined,
    });
    const handle = await connections.attach("srv-slow", process.pid);
    expect(handle.qmp.greeting.version.qemu.major).toBe(8);
    // No serial socket in this fake: the console waits out the start allowance, then is absent.
    expect(handle.console).toBeUndefined();
    await connections.closeAll();
  });
});
