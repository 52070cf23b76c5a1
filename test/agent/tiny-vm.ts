import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QemuDriver, type QemuDriverOptions, type VmSpec } from "@layerboom/agent";
import { ensureTinyGuest, type TinyGuest } from "@layerboom/testkit";

/** Shared set-up for driver tests: short folders (Unix socket paths are limited) and a tiny-guest spec. */
export interface DriverFixture {
  root: string;
  guest: TinyGuest;
  options: QemuDriverOptions;
  spec(serverId: string, extra?: Partial<VmSpec>): VmSpec;
  cleanup(drivers: QemuDriver[]): Promise<void>;
}

export async function driverFixture(): Promise<DriverFixture> {
  const guest = await ensureTinyGuest();
  const root = await mkdtemp(join(tmpdir(), "lbq-"));
  const options: QemuDriverOptions = { runDir: join(root, "run"), dataDir: join(root, "data"), accel: "tcg" };
  return {
    root,
    guest,
    options,
    spec: (serverId, extra = {}) => ({
      serverId,
      vcpus: 1,
      memoryMiB: 256,
      disk: { baseImage: guest.disk, baseFormat: guest.diskFormat, sizeBytes: 64 * 1024 * 1024 },
      kernelBoot: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append },
      seed: {
        instanceId: serverId,
        hostname: `host-${serverId}`,
        sshAuthorizedKeys: ["ssh-ed25519 AAAAC3Nza test@layerboom"],
      },
      ...extra,
    }),
    cleanup: async (drivers) => {
      // Whatever a failed test left: destroy through a fresh driver so no QEMU outlives the run.
      const sweeper = new QemuDriver(options);
      const ids = new Set<string>();
      for (const dir of [options.runDir, options.dataDir]) {
        for (const name of await readdir(dir ?? "").catch(() => [] as string[])) ids.add(name);
      }
      for (const driver of drivers) await driver.close();
      for (const id of ids) await sweeper.destroy(id).catch(() => undefined);
      await sweeper.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
