import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAgent } from "@layerboom/agent";
import type { RunningAgent } from "@layerboom/agent";
import { catalogImageFromFiles, ensureLocalHost } from "@layerboom/controller";
import type { RunningController } from "@layerboom/controller";
import { ensureDebianGuest, ensureTinyGuest, guestImageFiles } from "@layerboom/guests";
import pino from "pino";
import { logStream } from "../log-stream.js";

/** Runtime sockets need short paths (108 bytes); /run is the place for them when we are root. */
function localRunDir(dataDir: string): string {
  const tag = createHash("sha256").update(dataDir).digest("hex").slice(0, 10);
  const uid = process.getuid?.() ?? 0;
  return uid === 0 ? join("/run/layerboom", tag) : join(tmpdir(), `layerboom-${uid}`, tag);
}

/**
 * The "everything on one machine" part of `layerboom up`: catalogs the `tiny` image (built
 * from Debian packages), makes this machine a host in site `local`, and runs its agent in
 * this process against the local controller.
 */
export async function startLocalHost(
  running: RunningController,
  dataDir: string,
  logLevel: string,
): Promise<RunningAgent> {
  const tiny = await ensureTinyGuest();
  await catalogImageFromFiles(running.database, running.blobs, {
    name: "tiny",
    os: "busybox",
    ...guestImageFiles(tiny),
    source: `Debian ${tiny.kernelPackage} ${tiny.kernelPackageVersion} + busybox initramfs`,
  });
  const { joinToken } = await ensureLocalHost(running.database, { name: "local", siteName: "local" });
  const stateDir = join(dataDir, "agent");
  // A fresh join token means the database has no credential for this host: any stored one is stale.
  if (joinToken) await rm(join(stateDir, "credential.json"), { force: true });
  return startAgent({
    controllerUrl: running.url,
    stateDir,
    runDir: localRunDir(dataDir),
    ...(joinToken ? { joinToken } : {}),
    probeGuest: {
      kernel: tiny.kernel,
      initrd: tiny.initrd,
      append: tiny.append,
      readyPattern: tiny.readyPattern,
    },
    logger: pino({ level: logLevel === "info" ? "warn" : logLevel }, await logStream(2)),
  });
}

/**
 * `debian-12` (debootstrap with cloud-init and openssh-server) takes minutes to build the
 * first time, so `up` does not wait for it: it joins the catalog when it is ready. Later
 * starts find it in the cache at once.
 */
export function catalogDebianInBackground(running: RunningController, say: (line: string) => void): void {
  void ensureDebianGuest()
    .then((guest) =>
      catalogImageFromFiles(running.database, running.blobs, {
        name: "debian-12",
        os: "debian",
        ...guestImageFiles(guest),
        source: `debootstrap ${guest.suite} from ${guest.mirror}, kernel ${guest.kernelRelease}`,
      }),
    )
    .then(
      () => say("  The `debian-12` image is in the catalog (log in as root with your SSH key)."),
      (err: unknown) =>
        say(`  The debian-12 image could not be built: ${err instanceof Error ? err.message : String(err)}`),
    );
}
