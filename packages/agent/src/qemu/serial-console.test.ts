import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SerialConsole } from "./serial-console.js";

describe("SerialConsole", () => {
  let dir: string;
  let server: Server;
  let guest: Promise<Socket>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-con-"));
    server = createServer();
    guest = new Promise((resolve) => server.once("connection", resolve));
    await new Promise<void>((resolve) => server.listen(join(dir, "serial.sock"), resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("replays scrollback to late viewers, then streams live output and forwards keystrokes", async () => {
    const console = await SerialConsole.connect(join(dir, "serial.sock"), { scrollbackBytes: 8 });
    const side = await guest;
    side.write("boot log line\n");
    await console.waitFor(/line\n/, { timeoutMs: 2_000 });
    expect(console.history().toString()).toBe("og line\n");

    const stream = console.openStream();
    const received: Buffer[] = [];
    stream.on("data", (b: Buffer) => received.push(b));
    const typed = new Promise<string>((resolve) => side.once("data", (b: Buffer) => resolve(b.toString())));
    stream.write("ls\n");
    expect(await typed).toBe("ls\n");
    side.write("$ ");
    await console.waitFor(/\$ /, { timeoutMs: 2_000, since: console.offset - 2 });
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(received).toString()).toBe("og line\n$ ");

    const ended = new Promise((resolve) => stream.once("end", resolve));
    side.destroy();
    await ended;
    expect(console.closed).toBe(true);
  });

  it("rejects waitFor on timeout with the last output", async () => {
    const console = await SerialConsole.connect(join(dir, "serial.sock"));
    (await guest).write("nothing useful");
    await expect(console.waitFor(/READY/, { timeoutMs: 200 })).rejects.toThrow(/nothing useful/);
    console.close();
  });
});
