/**
 * The agent channel: JSON text frames over one WebSocket per host at `/agent/v1`. The
 * controller and the agent never import each other; this module is their only contract.
 * See docs/agent-protocol.md for the conversation and the guarantees.
 */
import type { DesiredState, ObservedState } from "../servers.js";

/** Bumped when a message changes incompatibly; the controller refuses other versions. */
export const AGENT_PROTOCOL_VERSION = 1;

/** What the agent reports about its host when it connects. */
export interface HostFacts {
  hostname: string;
  agent_version: string;
  protocol_version: number;
  accelerator: "kvm" | "tcg";
  cores: number;
  memory_mib: number;
  disk_gib: number;
  /**
   * The Linux bridges this agent was told it may attach servers to (`layerboom agent --bridge`).
   * Placement puts a server of a site with an IPv4 pool only on hosts that offer its bridge.
   */
  bridges?: string[];
}

/**
 * A server's public network (docs/networking.md): a tap device on one of the host's bridges,
 * with the addresses the controller allocated. Without it the server gets QEMU user-mode
 * networking (a private NAT with SSH forwarded from a loopback port), as on a laptop.
 */
export interface DesiredNetwork {
  /** The host bridge the tap joins; one of the host's `bridges`. */
  bridge: string;
  /** The tap's name on the host, from {@link tapForServer}. */
  tap: string;
  /** IPv4 addresses in CIDR form, the primary first, e.g. `203.0.113.10/24`. */
  ipv4: string[];
  /** The default route's next hop. */
  gateway4: string;
  /** DNS resolvers for the guest; may be empty. */
  nameservers: string[];
}

/** A file the agent fetches from `/agent/v1/blobs/<sha256>` and verifies before use. */
export interface BlobRef {
  sha256: string;
  size_bytes: number;
}

/** Everything the agent needs to make one server real on its host. */
export interface DesiredServer {
  server_id: string;
  /** Bumped by every change of intent; echoed back in observations. */
  generation: number;
  desired_state: DesiredState;
  /** The agent resets the guest once for every increment it has not applied yet. */
  reboot_seq: number;
  /**
   * The backups this server should have on the host (docs/backups.md): the agent takes each
   * one it lacks and deletes any backup file not named here. Ids only; order is irrelevant.
   */
  backups: string[];
  /**
   * The latest restore request: for a `seq` it has not applied yet, the agent stops the VM,
   * replaces its disk with a copy of the backup and starts it again if it should run.
   */
  restore?: { backup_id: string; seq: number };
  vcpus: number;
  memory_mib: number;
  disk_gib: number;
  hostname: string;
  ssh_authorized_keys: string[];
  image: {
    id: string;
    disk: BlobRef & { format: "qcow2" | "raw" };
    /** Direct kernel boot (the tiny guest, Xen-style images). */
    kernel?: BlobRef;
    initrd?: BlobRef;
    kernel_append?: string;
  };
  /** Public networking on a host bridge; absent for user-mode networking. */
  network?: DesiredNetwork;
}

/** What the agent observed of one server. */
export interface ServerObservation {
  server_id: string;
  state: ObservedState;
  /** The desired generation this observation answers. */
  generation: number;
  ssh_host_port?: number;
  accelerator?: "kvm" | "tcg";
  /** Why the server is in `error`. */
  error?: string;
  /**
   * Every backup of this server on the host, complete or failed; absent when the agent could
   * not look. A wanted backup not listed is still being taken (or not started).
   */
  backups?: BackupObservation[];
}

/** One backup file of a server, as the agent sees it. */
export interface BackupObservation {
  backup_id: string;
  state: "available" | "failed";
  size_bytes: number;
  error?: string;
}

/** A QEMU or disk on the host that no server of this host's desired set owns. */
export interface OrphanReport {
  vm_id: string;
  pid?: number;
  /** What the agent did about it under the orphan rule. */
  action: "reported" | "destroyed";
}

/** One VM's usage over an energy sample's interval (the attribution rule's inputs). */
export interface EnergySampleVm {
  vm_id: string;
  /** CPU time the VM's QEMU used during the interval, all threads. */
  cpu_time_us: number;
  vcpus: number;
  /** How long the VM existed during the interval (0..interval). */
  present_us: number;
  /**
   * Bytes the guest sent (its tap's rx counter) and received (the tap's tx counter) during
   * the interval. Absent for a VM without a tap (user-mode networking is not metered).
   */
  net_out_bytes?: number;
  net_in_bytes?: number;
}

/**
 * The host's metered energy over one interval, with what each VM used. The controller
 * attributes it (docs/energy.md) with the site's PUE and adds it to energy buckets.
 */
export interface EnergySample {
  /** 1, 2, 3, … within one `boot_id`; the controller applies each seq once. */
  seq: number;
  start_ms: number;
  end_ms: number;
  source: "rapl" | "hwmon" | "model";
  /** True when the host figure comes from the power model, not a counter. */
  estimated: boolean;
  host_energy_uj: number;
  idle_energy_uj: number;
  host_cpus: number;
  vms: EnergySampleVm[];
}

export type AgentMessage =
  | { type: "hello"; host: HostFacts }
  | { type: "heartbeat" }
  | { type: "observed"; servers: ServerObservation[]; orphans?: OrphanReport[] }
  | { type: "console.data"; stream_id: string; data: string }
  | { type: "console.closed"; stream_id: string; reason?: string }
  | {
      type: "energy";
      /** The sampler's lifetime: kernel boot id plus the agent's start time. */
      boot_id: string;
      /** Samples the agent had to drop while the controller was unreachable. */
      dropped: number;
      samples: EnergySample[];
    };

export type ControllerMessage =
  | { type: "welcome"; host_id: string; heartbeat_interval_ms: number }
  | { type: "desired"; servers: DesiredServer[] }
  | { type: "console.open"; stream_id: string; server_id: string }
  | { type: "console.input"; stream_id: string; data: string }
  | { type: "console.close"; stream_id: string }
  /** Every sample of `boot_id` up to `seq` is stored; the agent forgets them. */
  | { type: "energy.ack"; boot_id: string; seq: number };

/**
 * QEMU runtime folders want `[a-z0-9-]`; server ids are `srv_<base32>`. The mapping is
 * one-to-one, so an agent can name the server of any VM folder it finds.
 */
export function vmIdForServer(serverId: string): string {
  return serverId.replace("_", "-");
}

/**
 * The host tap device of a server: `lb` and the last 13 characters of its id (65 random bits),
 * within Linux's 15-character interface names. The agent deletes taps named `lb*` that no
 * desired server owns.
 */
export function tapForServer(serverId: string): string {
  return `lb${serverId.slice(-13)}`;
}

/** Whether an interface name is one of ours (see {@link tapForServer}). */
export function isServerTap(name: string): boolean {
  return /^lb[0-9a-z]{13}$/.test(name);
}

/** The server id of a VM folder name, or undefined for a folder that is not one of ours. */
export function serverIdForVm(vmId: string): string | undefined {
  return /^srv-[0-9a-z]{26}$/.test(vmId) ? vmId.replace("-", "_") : undefined;
}
