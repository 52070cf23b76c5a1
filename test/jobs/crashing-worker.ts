// A job runner in its own process, for the kill -9 test: it claims the `test.crash` job,
// prints "claimed <id>" and then works forever, renewing its lease, until the test kills it.
import { JobRunner } from "@layerboom/controller";
import { openDatabase } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";

const url = process.argv[2];
if (!url) throw new Error("usage: crashing-worker.ts <postgres url>");
const database = await openDatabase({ url });
const quiet = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => quiet,
} as unknown as FastifyBaseLogger;
const runner = new JobRunner({ database, logger: quiet, pollMs: 50, workerId: "doomed" });
runner.define("test.crash", {
  leaseMs: 600,
  run: async (_payload, context) => {
    process.stdout.write(`claimed ${context.job.id}\n`);
    await new Promise(() => undefined);
  },
});
await runner.start();
