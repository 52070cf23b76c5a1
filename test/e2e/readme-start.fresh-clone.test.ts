import { spawn, execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = join(import.meta.dirname, "..", "..");

/** The start command as the README gives it, parsed from the README itself so the two cannot drift. */
function readmeStartCommand(): string {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const match = /<!-- start-command -->\s*```(?:sh|bash)?\n([^\n]+)\n```/.exec(readme);
  if (!match?.[1]) throw new Error("README.md has no start command block");
  return match[1].trim();
}

/** Collects a child's output so tests can wait for lines that may already have arrived. */
function outputOf(child: ChildProcess) {
  let seen = "";
  let exited: number | null | undefined;
  child.stdout?.on("data", (d: Buffer) => (seen += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (seen += d.toString()));
  child.on("exit", (code) => (exited = code));
  return async (pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(seen);
      if (m) return m;
      if (exited !== undefined) throw new Error(`exited with ${exited}; output:\n${seen}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${seen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
}

describe("the README's start command, from a fresh clone", () => {
  const work = mkdtempSync(join(tmpdir(), "layerboom-fresh-"));
  const clone = join(work, "layerboom");
  // debian-12 is built and tested on its own (test/servers/debian-server...); here it would only add minutes.
  const env = {
    ...process.env,
    LAYERBOOM_CONFIG_DIR: join(work, "config"),
    LAYERBOOM_PORT: "0",
    LAYERBOOM_DEBIAN_IMAGE: "0",
  };
  let up: ChildProcess | undefined;

  afterAll(() => {
    up?.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  });

  it("starts the platform, then the CLI logs in and creates a record", async () => {
    execFileSync("git", ["clone", "--quiet", repo, clone]);
    const [program, ...args] = readmeStartCommand().split(/\s+/);
    up = spawn(program ?? "", args, { cwd: clone, env, stdio: ["ignore", "pipe", "pipe"] });
    const waitFor = outputOf(up);
    const url = (await waitFor(/Layerboom is up at (http:\/\/\S+)/, 240_000))[1] ?? "";
    const password = (await waitFor(/password: (\S+)/, 10_000))[1] ?? "";
    const cli = (cliArgs: string[], input?: string) =>
      execFileSync(join(clone, "layerboom"), cliArgs, { cwd: clone, env, input, encoding: "utf8" });

    expect(cli(["login", url, "--email", "admin@localhost", "--password-stdin"], password)).toMatch(
      /Logged in/,
    );
    expect(cli(["plans", "list"])).toMatch(/nano/);
    const created = JSON.parse(
      cli(["-o", "json", "accounts", "create", "Acme Hosting", "--kind", "customer"]),
    ) as { id: string };
    expect(created.id).toMatch(/^acc_/);
    expect(cli(["accounts", "list"])).toContain("Acme Hosting");

    // The newcomer's first server boots a real guest on the local agent, and goes away again.
    const server = JSON.parse(
      cli([
        "-o",
        "json",
        "servers",
        "create",
        "first",
        "--plan",
        "nano",
        "--image",
        "tiny",
        "--account",
        created.id,
      ]),
    ) as { id: string; host_id: string };
    expect(server.host_id).toMatch(/^host_/);
    const deadline = Date.now() + 120_000;
    let observed = "";
    while (observed !== "running" && Date.now() < deadline) {
      observed = (JSON.parse(cli(["-o", "json", "servers", "show", server.id])) as { observed_state: string })
        .observed_state;
      if (observed !== "running") await new Promise((r) => setTimeout(r, 500));
    }
    expect(observed).toBe("running");
    expect(cli(["hosts", "list"])).toMatch(/local\s.*\bup\b/);
    cli(["servers", "delete", server.id]);
    let gone = false;
    while (!gone && Date.now() < deadline + 60_000) {
      try {
        cli(["servers", "show", server.id]);
        await new Promise((r) => setTimeout(r, 500));
      } catch {
        gone = true;
      }
    }
    expect(gone).toBe(true);
    // A wrong password is refused with advice, not a stack trace.
    let failure = "";
    try {
      cli(["login", url, "--email", "admin@localhost", "--password-stdin"], "wrong password");
    } catch (err) {
      failure = String((err as { stderr?: string }).stderr);
    }
    expect(failure).toMatch(/Error: The email or password is wrong/);
    expect(failure).not.toMatch(/at .*\.js:\d+/);
  }, 400_000);
});
