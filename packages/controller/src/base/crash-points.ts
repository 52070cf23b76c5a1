/**
 * Fault injection for crash tests: when LAYERBOOM_CRASH_AT names a point, the controller kills
 * itself with SIGKILL there, mid-transaction, as a power cut or OOM kill would. Unset in
 * production, where each call is one comparison.
 */
export function crashPoint(name: string): void {
  if (process.env["LAYERBOOM_CRASH_AT"] === name) process.kill(process.pid, "SIGKILL");
}
