// CPU time of the processes bench/ec2 measures, from /proc (Linux; PostgreSQL on this machine):
// unlike requests per second, it hardly moves when other work shares the cores.
import { readFileSync } from "node:fs";
import { CompiledQuery } from "kysely";
import type { Database } from "@layerboom/db";

/** USER_HZ: the unit of /proc/<pid>/stat's CPU times (10 ms). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU ticks so far of process `pid`, or undefined once it has gone. */
export function processTicks(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** Ticks so far of each PostgreSQL backend serving `database`'s database, but the asking one. */
export async function backendTicks(database: Database): Promise<Map<number, number>> {
  const { rows } = await database.db.executeQuery<{ pid: number }>(
    CompiledQuery.raw(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    ),
  );
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    const t = processTicks(pid);
    if (t !== undefined) ticks.set(pid, t);
  }
  return ticks;
}

/** Ticks spent between two readings by the backends present in the second (new ones from 0). */
export function backendTicksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, t] of after) spent += t - (before.get(pid) ?? 0);
  return spent;
}
