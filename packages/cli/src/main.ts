#!/usr/bin/env node
import { processIo } from "./cli-io.js";
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2), processIo());
// A failed command exits at once, as it always has: an idle keep-alive connection or a timer must
// not hold it. One that succeeded ends when its work does, so `up`, `server` and `agent` keep running.
if (code !== 0) process.exit(code);
