import { appendFileSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

interface Row {
  file: string;
  project: string;
  ms: number;
}

const SHOWN = 15;

/**
 * Prints the slowest test files at the end of every run, so CI time is watched where it is
 * spent: each file's time (import, hooks and tests), its project, and its share of the sum.
 * When LAYERBOOM_TEST_DURATIONS names a file (scripts/run-tests.sh), each run appends its rows
 * there and the list covers every run so far, so the suite's two runs end with one list.
 */
export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const mine: Row[] = modules.map((m) => {
      const d = m.diagnostic();
      return {
        file: relative(process.cwd(), m.moduleId),
        project: m.project.name,
        ms: d.collectDuration + d.setupDuration + d.duration,
      };
    });
    const store = process.env["LAYERBOOM_TEST_DURATIONS"];
    let rows = mine;
    if (store) {
      if (mine.length > 0) appendFileSync(store, mine.map((r) => `${JSON.stringify(r)}\n`).join(""));
      rows = readFileSync(store, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Row);
    }
    if (rows.length === 0) return;
    rows.sort((a, b) => b.ms - a.ms);
    const total = rows.reduce((sum, r) => sum + r.ms, 0);
    const lines = rows.slice(0, SHOWN).map((r) => {
      const seconds = (r.ms / 1000).toFixed(1).padStart(7);
      const share = `${((100 * r.ms) / total).toFixed(1)}%`.padStart(6);
      return `${seconds} s ${share}  ${r.project.padEnd(12)} ${r.file}`;
    });
    process.stdout.write(
      `\nSlowest ${Math.min(SHOWN, rows.length)} of ${rows.length} test files (all files together: ${(total / 1000).toFixed(0)} s):\n${lines.join("\n")}\n`,
    );
  }
}
