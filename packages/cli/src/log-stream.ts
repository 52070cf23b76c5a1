import pino from "pino";
import type { DestinationStream } from "pino";

/**
 * Where a command's logs go: readable lines (pino-pretty) when `fd` is a terminal, one JSON
 * object per line otherwise, for journald and log shippers. pino-pretty loads only when used.
 */
export async function logStream(fd: 1 | 2): Promise<DestinationStream> {
  const terminal = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  if (!terminal) return pino.destination(fd);
  const { default: pretty } = await import("pino-pretty");
  return pretty({ destination: fd, colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" });
}
