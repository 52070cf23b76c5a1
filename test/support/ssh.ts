import { ProgramError, runProgram } from "@layerboom/sys";

/**
 * Runs a command in the guest over the forwarded SSH port. Retries only while ssh itself fails
 * (exit 255: connection refused or reset, sshd not up yet), never when the command fails.
 */
export async function sshRun(
  port: number,
  user: string,
  key: string,
  command: string[],
  retryForMs = 60_000,
): Promise<string> {
  const args = [
    "-F",
    "/dev/null",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "ConnectTimeout=30",
    "-o",
    "LogLevel=ERROR",
    "-i",
    key,
    "-p",
    String(port),
    `${user}@127.0.0.1`,
    "--",
    ...command,
  ];
  const deadline = Date.now() + retryForMs;
  for (;;) {
    try {
      return (await runProgram("ssh", args, { timeoutMs: 90_000 })).stdout;
    } catch (err) {
      const sshFailed = err instanceof ProgramError && (err.exitCode === 255 || err.reason === "timeout");
      if (!sshFailed || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}
