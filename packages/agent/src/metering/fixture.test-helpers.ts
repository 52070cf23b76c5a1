import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temporary folder standing in for `/`, with helpers to lay out sysfs/procfs files. */
export interface FixtureRoot {
  readonly root: string;
  write(path: string, content: string | number): Promise<void>;
  mkdir(path: string): Promise<void>;
  remove(path: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function fixtureRoot(): Promise<FixtureRoot> {
  const root = await mkdtemp(join(tmpdir(), "layerboom-metering-"));
  return {
    root,
    async write(path, content) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), `${content}\n`);
    },
    async mkdir(path) {
      await mkdir(join(root, path), { recursive: true });
    },
    async remove(path) {
      await rm(join(root, path), { recursive: true, force: true });
    },
    async dispose() {
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(startMs = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = startMs;
  return { now: () => t, advance: (ms) => (t += ms) };
}
