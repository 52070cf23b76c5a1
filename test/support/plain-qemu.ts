import { spawn } from "node:child_process";

/**
 * Boots a disk under plain `qemu-system-x86_64` (TCG, no Layerboom, no kernel on the command
 * line: the disk's own boot loader runs) and resolves with the serial output once `pattern`
 * appears. The guest writes to a throwaway snapshot and QEMU is always killed.
 */
export async function bootDiskUntil(
  disk: { path: string; format: "qcow2" | "raw" },
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  const qemu = spawn(
    "qemu-system-x86_64",
    [
      "-accel",
      "tcg",
      "-m",
      "1024",
      "-display",
      "none",
      "-monitor",
      "none",
      "-serial",
      "stdio",
      "-nic",
      "none",
      "-no-reboot",
      "-drive",
      `file=${disk.path},if=virtio,format=${disk.format},snapshot=on`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let serial = "";
  let stderr = "";
  qemu.stdout.on("data", (d: Buffer) => (serial += d.toString("utf8")));
  qemu.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no ${String(pattern)} within ${timeoutMs} ms; serial tail:\n${serial.slice(-3000)}`),
          ),
        timeoutMs,
      );
      const check = setInterval(() => {
        if (pattern.test(serial)) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 200);
      qemu.once("exit", (code) => {
        clearTimeout(timer);
        clearInterval(check);
        if (pattern.test(serial)) resolve();
        else
          reject(
            new Error(`QEMU exited (${code}) before ${String(pattern)}: ${stderr}\n${serial.slice(-3000)}`),
          );
      });
    });
    return serial;
  } finally {
    if (qemu.exitCode === null && qemu.signalCode === null) {
      const exited = new Promise((r) => qemu.once("exit", r));
      qemu.kill("SIGKILL");
      await exited;
    }
  }
}
