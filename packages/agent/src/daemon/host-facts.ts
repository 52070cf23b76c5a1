import { statfs } from "node:fs/promises";
import { cpus, hostname, totalmem } from "node:os";
import { AGENT_PROTOCOL_VERSION } from "@layerboom/core";
import type { HostFacts } from "@layerboom/core";
import type { Accelerator } from "../qemu/vm-spec.js";

/** Memory kept back for the host itself and QEMU's own overhead, never sold. */
const HOST_RESERVED_MIB = 512;

/** What this host offers: its cores, memory less a host reserve, and the disk under the VM folder. */
export async function gatherHostFacts(options: {
  dataDir: string;
  accelerator: Accelerator;
  agentVersion: string;
  /** Overrides for what is sold (an operator may hold capacity back). */
  limits?: { cores?: number | undefined; memoryMiB?: number | undefined; diskGiB?: number | undefined };
  /** The bridges servers may join (`--bridge`); left out of the facts when there are none. */
  bridges?: readonly string[];
}): Promise<HostFacts> {
  const fs = await statfs(options.dataDir);
  const diskGiB = Math.floor((fs.bavail * fs.bsize) / 1024 ** 3);
  const memoryMiB = Math.max(0, Math.floor(totalmem() / 1024 ** 2) - HOST_RESERVED_MIB);
  return {
    hostname: hostname(),
    agent_version: options.agentVersion,
    protocol_version: AGENT_PROTOCOL_VERSION,
    accelerator: options.accelerator,
    cores: options.limits?.cores ?? cpus().length,
    memory_mib: options.limits?.memoryMiB ?? memoryMiB,
    disk_gib: options.limits?.diskGiB ?? diskGiB,
    ...(options.bridges && options.bridges.length > 0 ? { bridges: [...options.bridges] } : {}),
  };
}
