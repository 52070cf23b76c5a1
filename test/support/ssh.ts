import { ProgramError, runProgram } from "@layerboom/sys";

/** Where a guest's sshd is reached: a forwarded loopback port, or an address inside a network namespace. */
export type SshTarget = number | { netns: string; host: string };

/**
 * Runs a command in the guest over SSH. Retries only while ssh itself fails (exit 255:
 * connection refused or reset, sshd not up yet), never when the command fails.
 */
export async function sshRun(
  target: SshTarget,
  user: string,
  key: string,
  command: string[],
  retryForMs = 60_000,
): Promise<string> {
  const ssh = [
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
    ...(typeof target === "number"
      ? ["-p", String(target), `${user}@127.0.0.1`]
      : [`${user}@${target.host}`]),
    "--",
    ...command,
  ];
  const [program, args] =
    typeof target === "number" ? ["ssh", ssh] : ["ip", ["netns", "exec", target.netns, "ssh", ...ssh]];
  const deadline = Date.now() + retryForMs;
  for (;;) {
    try {
      return (await runProgram(program, args, { timeoutMs: 90_000 })).stdout;
    } catch (err) {
      const sshFailed = err instanceof ProgramError && (err.exitCode === 255 || err.reason === "timeout");
      if (!sshFailed || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}
