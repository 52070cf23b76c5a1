import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join as joinPath, resolve } from "node:path";
import type { ProbeGuest } from "../accel/accel-probe.js";
import { selectAccelerator } from "../accel/accel-probe.js";
import { BaseImageCache } from "../disks/base-image-cache.js";
import type { Driver } from "../qemu/driver.js";
import type { Logger } from "../qemu/logger.js";
import { silentLogger } from "../qemu/logger.js";
import { QemuDriver } from "../qemu/qemu-driver.js";
import type { Accelerator } from "../qemu/vm-spec.js";
import { BlobFetcher } from "./blob-fetcher.js";
import { ConsoleRelay } from "./console-relay.js";
import { ControllerLink } from "./controller-link.js";
import { gatherHostFacts } from "./host-facts.js";
import { CaptureUploader } from "./capture-uploader.js";
import { Reconciler } from "./reconciler.js";
import { EnergyMeter } from "./energy-meter.js";
import { findPowerProfile } from "../metering/power-profiles.js";
import { checkNftables } from "../network/tap-filter.js";
import { isLinuxBridge } from "../network/taps.js";

export const AGENT_VERSION = "0.1.0";

/** Options for {@link startAgent}. */
export interface AgentOptions {
  /** The controller's base URL, e.g. `http://10.0.0.1:8080`. */
  controllerUrl: string;
  /** Credential, applied state, image cache and VM disks. Default `/var/lib/layerboom/agent`. */
  stateDir?: string;
  /** VM runtime folders (sockets, pidfiles). Default `/run/layerboom/vms`. */
  runDir?: string;
  /** A one-time join token from `layerboom hosts add`; needed only on the first start. */
  joinToken?: string;
  /** Skip the probe and use this accelerator. */
  accelerator?: Accelerator;
  /** The guest the accelerator probe boots. Without one (and no `accelerator`), TCG. */
  probeGuest?: ProbeGuest;
  logger?: Logger;
  orphanGraceMs?: number;
  resyncIntervalMs?: number;
  gracefulStopMs?: number;
  /**
   * Linux bridges servers may be attached to (`--bridge`, docs/networking.md); each must exist
   * when the agent starts. Reported in `hello`, so placement can match a site's IPv4 pool.
   */
  bridges?: string[];
  /** What the host sells, when less than it has. */
  limits?: { cores?: number; memoryMiB?: number; diskGiB?: number };
  /** Energy metering (docs/energy.md); on by default every 10 s with the `generic-1s-entry` profile. */
  energy?: {
    intervalMs?: number;
    /** An id from GENERIC_POWER_PROFILES: the host's idle and peak watts. */
    powerProfile?: string;
  };
}

/** Options after defaults are filled. */
export interface CompiledAgentOptions extends AgentOptions {
  stateDir: string;
  runDir: string;
  logger: Logger;
}

/** Bad agent settings, named by the setting. */
export class AgentConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = "AgentConfigError";
  }
}

/** Fills defaults and validates, once, at start. */
export function compileAgentOptions(options: AgentOptions): CompiledAgentOptions {
  let url: URL;
  try {
    url = new URL(options.controllerUrl);
  } catch {
    throw new AgentConfigError(
      "controller-url",
      `"${options.controllerUrl}" is not a URL; give e.g. http://10.0.0.1:8080`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AgentConfigError("controller-url", "must be an http:// or https:// URL");
  }
  for (const bridge of options.bridges ?? []) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(bridge))
      throw new AgentConfigError("--bridge", `"${bridge}" is not a Linux interface name`);
  }
  return {
    ...options,
    controllerUrl: url.origin,
    stateDir: resolve(options.stateDir ?? "/var/lib/layerboom/agent"),
    runDir: resolve(options.runDir ?? "/run/layerboom/vms"),
    logger: options.logger ?? silentLogger,
  };
}

/** Every `--bridge` must be a Linux bridge now: a typo found at start, not at a server's first boot. */
function checkBridgesExist(bridges: readonly string[]): void {
  for (const bridge of bridges) {
    if (!isLinuxBridge(bridge))
      throw new AgentConfigError(
        "--bridge",
        `${bridge} is not a Linux bridge on this host (no /sys/class/net/${bridge}/bridge)`,
      );
  }
}

/**
 * With bridges, nftables must work: every server tap gets an anti-spoofing filter before its
 * guest starts (docs/networking.md), and a host must not run bridged guests unfiltered.
 */
async function checkTapFiltering(bridges: readonly string[]): Promise<void> {
  if (bridges.length === 0) return;
  const nft = await checkNftables();
  if (!nft.ok)
    throw new AgentConfigError(
      "--bridge",
      `bridged servers need nftables for their anti-spoofing filters, and \`nft list tables\` fails ` +
        `(install the nftables package; the agent needs CAP_NET_ADMIN): ${nft.reason}`,
    );
}

interface StoredCredential {
  controller_url: string;
  host_id: string;
  credential: string;
}

/** A running agent. */
export interface RunningAgent {
  hostId: string;
  accelerator: Accelerator;
  /** The host's hypervisor (a {@link QemuDriver}). */
  driver: Driver;
  meter: EnergyMeter;
  /** Settles when the controller refuses this host for good (it was removed). */
  rejected: Promise<string>;
  /** Disconnects; the VMs keep running. */
  stop(): Promise<void>;
}

/** Trades a join token for a host credential at the controller. */
async function joinController(controllerUrl: string, joinToken: string): Promise<StoredCredential> {
  const res = await fetch(new URL("/agent/v1/join", controllerUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ join_token: joinToken }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    host_id?: string;
    credential?: string;
    error?: { message?: string };
  };
  if (res.status !== 201 || !body.host_id || !body.credential) {
    throw new AgentConfigError("--join", body.error?.message ?? `the controller answered HTTP ${res.status}`);
  }
  return { controller_url: controllerUrl, host_id: body.host_id, credential: body.credential };
}

async function loadCredential(path: string): Promise<StoredCredential | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as StoredCredential;
  } catch {
    return undefined;
  }
}

/**
 * Starts the host agent: joins (first start), picks the accelerator with a probe guest,
 * finds the VMs an earlier agent left running, then dials the controller and converges
 * the host to its desired set for as long as it runs.
 */
export async function startAgent(raw: AgentOptions): Promise<RunningAgent> {
  const options = compileAgentOptions(raw);
  const { logger } = options;
  checkBridgesExist(options.bridges ?? []);
  await checkTapFiltering(options.bridges ?? []);
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const credentialFile = joinPath(options.stateDir, "credential.json");
  let stored = await loadCredential(credentialFile);
  if (options.joinToken && (!stored || stored.controller_url !== options.controllerUrl)) {
    stored = await joinController(options.controllerUrl, options.joinToken);
    const tmp = `${credentialFile}.tmp`;
    await writeFile(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, credentialFile);
    logger.info({ hostId: stored.host_id }, "joined the controller");
  }
  if (!stored) {
    throw new AgentConfigError(
      "--join",
      `this host has not joined yet (no ${credentialFile}); run with --join <token> from \`layerboom hosts add\``,
    );
  }
  const credential = stored;

  const accelerator =
    options.accelerator ??
    (await selectAccelerator(options.probeGuest ? { probeGuest: options.probeGuest } : {})).accel;
  const dataDir = joinPath(options.stateDir, "vms");
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const driver: Driver = new QemuDriver({
    runDir: options.runDir,
    dataDir,
    backupDir: joinPath(options.stateDir, "backups"),
    accel: accelerator,
    logger,
  });
  await driver.rediscover();

  const blobs = new BlobFetcher({
    controllerUrl: options.controllerUrl,
    credential: credential.credential,
    cache: new BaseImageCache({ dir: joinPath(options.stateDir, "images") }),
    scratchDir: joinPath(options.stateDir, "downloads"),
  });
  const link = new ControllerLink({
    controllerUrl: options.controllerUrl,
    credential: credential.credential,
    logger,
    hostFacts: () =>
      gatherHostFacts({
        dataDir,
        accelerator,
        agentVersion: AGENT_VERSION,
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.bridges ? { bridges: options.bridges } : {}),
      }),
  });
  const uploader = new CaptureUploader({
    controllerUrl: options.controllerUrl,
    credential: credential.credential,
  });
  const reconciler = new Reconciler({
    driver,
    blobs,
    stateFile: joinPath(options.stateDir, "applied.json"),
    report: (servers, orphans) => {
      link.send({ type: "observed", servers, ...(orphans ? { orphans } : {}) });
    },
    logger,
    uploadCapture: (id, path, method) => uploader.upload(id, path, method),
    bridges: options.bridges ?? [],
    ...(options.orphanGraceMs !== undefined ? { orphanGraceMs: options.orphanGraceMs } : {}),
    ...(options.resyncIntervalMs !== undefined ? { resyncIntervalMs: options.resyncIntervalMs } : {}),
    ...(options.gracefulStopMs !== undefined ? { gracefulStopMs: options.gracefulStopMs } : {}),
  });
  const meter = await EnergyMeter.open({
    hostId: credential.host_id,
    profile: findPowerProfile(options.energy?.powerProfile ?? "generic-1s-entry"),
    processes: () => driver.processes(),
    transferStateFile: joinPath(options.stateDir, "tap-counters.json"),
    send: (m) => link.send(m),
    logger,
    ...(options.energy?.intervalMs !== undefined ? { intervalMs: options.energy.intervalMs } : {}),
  });
  const relay = new ConsoleRelay(driver, (m) => link.send(m), logger);
  const rejected = new Promise<string>((resolve) => link.once("rejected", resolve));
  link.on("connected", () => {
    reconciler.resendAll();
    meter.connected();
  });
  link.on("disconnected", () => relay.closeAll());
  link.on("message", (message) => {
    switch (message.type) {
      case "desired":
        reconciler.setDesired(message.servers);
        break;
      case "console.open":
        void relay.open(message.stream_id, message.server_id);
        break;
      case "console.input":
        relay.input(message.stream_id, message.data);
        break;
      case "console.close":
        relay.close(message.stream_id);
        break;
      case "energy.ack":
        meter.acknowledged(message.boot_id, message.seq);
        break;
      default:
        break;
    }
  });
  reconciler.start();
  meter.start();
  link.start();
  return {
    hostId: credential.host_id,
    accelerator,
    driver,
    meter,
    rejected,
    async stop() {
      relay.closeAll();
      await meter.stop();
      await link.stop();
      await reconciler.stop();
      await driver.close();
    },
  };
}
