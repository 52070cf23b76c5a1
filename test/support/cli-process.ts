import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const repo = join(import.meta.dirname, "..", "..");

/** The packages a `layerboom` process runs, each built by `tsc -b` into its dist/. */
const CLI_PACKAGES = ["agent", "cli", "client", "controller", "core", "db", "guests", "images", "sys"];

/** The newest modification time of a file under `dir`. */
function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

let builtIsCurrent: boolean | undefined;

/**
 * Whether `tsc -b` built every source a `layerboom` process runs: each package's build info is
 * newer than everything in its src/ and its package.json. Asked once per test process.
 */
function builtCliIsCurrent(): boolean {
  builtIsCurrent ??= CLI_PACKAGES.every((name) => {
    const info = statSync(join(repo, "packages", name, "dist", ".tsbuildinfo"), { throwIfNoEntry: false });
    if (!info) return false;
    const pkg = join(repo, "packages", name);
    return Math.max(newestIn(join(pkg, "src")), statSync(join(pkg, "package.json")).mtimeMs) < info.mtimeMs;
  });
  return builtIsCurrent;
}

/**
 * Node arguments that run the `layerboom` CLI in a process of its own: the build when it is
 * current (`npm test` builds first), else the TypeScript sources under tsx, so a test never runs
 * a stale build. The build starts a controller or an agent seconds sooner, because tsx compiles
 * and loads the controller's hundreds of modules at every start, and the crash tests start dozens.
 * `LAYERBOOM_TEST_CLI=source` forces the sources.
 */
export function cliProcessArgs(args: string[]): string[] {
  if (process.env["LAYERBOOM_TEST_CLI"] !== "source" && builtCliIsCurrent())
    return [join(repo, "packages", "cli", "dist", "main.js"), ...args];
  return [
    "--conditions=layerboom-source",
    "--import",
    "tsx",
    join(repo, "packages", "cli", "src", "main.ts"),
    ...args,
  ];
}
