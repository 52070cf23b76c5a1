import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliIo } from "./cli-io.js";
import type { CliEnv, CliIo } from "./cli-io.js";
import { Command } from "commander";
import { COMMAND_GROUPS, buildProgram, groupsFor, runCli } from "./run-cli.js";

/** An IO that keeps stdout and stderr apart and together, with the given environment and input. */
function collectingIo(env: CliEnv, input = ""): CliIo & { out: string; err: string; all: string } {
  const text = (chunk: string | Uint8Array) =>
    typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
  const io = {
    out: "",
    err: "",
    all: "",
    stdout: { write: (chunk: string | Uint8Array) => ((io.out += text(chunk)), (io.all += text(chunk))) },
    stderr: { write: (chunk: string | Uint8Array) => ((io.err += text(chunk)), (io.all += text(chunk))) },
    stdin: Readable.from([Buffer.from(input)]),
    env,
  };
  return io;
}

describe("runCli, the CLI in this process", () => {
  let configDir: string;
  const closers: (() => void)[] = [];
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), "lb-run-cli-"));
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await rm(configDir, { recursive: true, force: true });
  });

  /** A controller stand-in on loopback; `handler` answers under /api/v1. */
  async function serve(
    handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
  ): Promise<string> {
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => handler(req, res, body));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    closers.push(() => server.close());
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  it("prints the version on the run's stdout and ends with 0", async () => {
    const io = collectingIo({});
    expect(await runCli(["--version"], io)).toBe(0);
    expect(io.out).toBe("0.1.0\n");
    expect(io.err).toBe("");
  });

  it("ends a usage error with commander's code and message on the run's stderr, never exiting", async () => {
    const io = collectingIo({});
    expect(await runCli(["no-such-command"], io)).toBe(1);
    expect(io.err).toMatch(/^error: unknown command 'no-such-command'/);
    expect(io.out).toBe("");
  });

  it("explains a CliError as an Error line and a Hint line", async () => {
    const io = collectingIo({ LAYERBOOM_CONFIG_DIR: configDir });
    expect(await runCli(["tickets", "list"], io)).toBe(1);
    expect(io.err).toBe(
      "Error: No controller configured.\n" +
        "Hint: Run `layerboom login <url> --email <you> --password-stdin`, or set LAYERBOOM_URL.\n",
    );
  });

  it("gives two concurrent runs their own environment and output, and leaves process.env alone", async () => {
    const seen: Record<"a" | "b", string[]> = { a: [], b: [] };
    const controller = (name: "a" | "b") =>
      serve((req, res) => {
        seen[name].push(req.headers.authorization ?? "");
        // Both runs are in flight at once before either is answered.
        setTimeout(() => {
          json(res, 200, {
            items: [{ id: `tkt_${name}`, status: "open", subject: `subject-${name}`, account_id: "acc_1" }],
            next_cursor: null,
          });
        }, 100);
      });
    const [urlA, urlB] = await Promise.all([controller("a"), controller("b")]);
    const before = { url: process.env["LAYERBOOM_URL"], token: process.env["LAYERBOOM_TOKEN"] };
    const a = collectingIo({
      LAYERBOOM_URL: urlA,
      LAYERBOOM_TOKEN: "tok-a",
      LAYERBOOM_CONFIG_DIR: configDir,
    });
    const b = collectingIo({
      LAYERBOOM_URL: urlB,
      LAYERBOOM_TOKEN: "tok-b",
      LAYERBOOM_CONFIG_DIR: configDir,
    });
    const codes = await Promise.all([
      runCli(["tickets", "list"], a),
      runCli(["-o", "json", "tickets", "list"], b),
    ]);
    expect(codes).toEqual([0, 0]);
    expect(seen).toEqual({ a: ["Bearer tok-a"], b: ["Bearer tok-b"] });
    expect(a.out).toMatch(/^ID\s+STATUS\s+SUBJECT/);
    expect(a.out).toContain("subject-a");
    expect(a.out).not.toContain("subject-b");
    expect(JSON.parse(b.out)).toMatchObject([{ subject: "subject-b" }]);
    expect({ url: process.env["LAYERBOOM_URL"], token: process.env["LAYERBOOM_TOKEN"] }).toEqual(before);
  });

  it("reads a secret from the run's stdin and saves the login under the run's LAYERBOOM_CONFIG_DIR", async () => {
    let password: unknown;
    const url = await serve((_req, res, body) => {
      password = (JSON.parse(body) as { password?: string }).password;
      json(res, 201, { token: "lb_tok_x.secret" });
    });
    const io = collectingIo({ LAYERBOOM_CONFIG_DIR: configDir }, "s3cret pass\n");
    expect(await runCli(["login", url, "--email", "me@example.com", "--password-stdin"], io)).toBe(0);
    expect(password).toBe("s3cret pass");
    const path = join(configDir, "config.json");
    expect(io.all).toBe(`Logged in to ${url} as me@example.com. Saved to ${path}.\n`);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ url, token: "lb_tok_x.secret" });
  });

  it("has no IO outside a run, rather than falling back to the process's", () => {
    expect(() => cliIo()).toThrow(/outside runCli/);
  });
});

describe("building only the command a run names", () => {
  it("lists, for every group, exactly the top-level commands it adds", () => {
    for (const group of COMMAND_GROUPS) {
      const program = new Command("layerboom");
      group.register(program);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...group.names].sort());
    }
  });

  it("builds the named command alone, past valued global options, and everything otherwise", () => {
    const names = (argv: string[]) =>
      buildProgram(collectingIo({}), argv)
        .commands.map((c) => c.name())
        .sort();
    expect(names(["servers", "list"])).toEqual(["servers"]);
    expect(names(["-o", "json", "--url", "servers", "images", "list"])).toEqual(["images"]);
    expect(names(["--output=json", "billing", "prices"])).toEqual(
      ["billing", "branding", "invoices", "codes", "prices"].sort(),
    );
    const all = [...new Set(COMMAND_GROUPS.flatMap((g) => g.names))].sort();
    expect(names(["--help"])).toEqual(all);
    expect(names(["help", "servers"])).toEqual(all);
    expect(names(["serverz", "list"])).toEqual(all);
    expect(groupsFor(undefined)).toBe(COMMAND_GROUPS);
  });

  it("still suggests the right command for a typo, from the whole tree", async () => {
    const io = collectingIo({});
    expect(await runCli(["serverz"], io)).toBe(1);
    expect(io.err).toMatch(/Did you mean one of server, servers\?/);
  });
});
