import { cpus } from "node:os";
import type { AgentMessage, EnergySample, EnergySampleVm } from "@layerboom/core";
import type { Logger } from "../qemu/logger.js";
import { readBootId } from "../metering/boot-id.js";
import { VmCpuTimeReader } from "../metering/cpu-time.js";
import { openPowerSource } from "../metering/detect.js";
import { nodeFileReader } from "../metering/file-reader.js";
import { ModelPowerSource } from "../metering/power-model.js";
import type { PowerProfile } from "../metering/power-profiles.js";
import { idleEnergyMicrojoules } from "../metering/power-profiles.js";
import { readCpuTimes } from "../metering/proc-stat.js";
import type { PowerSource } from "../metering/power-source.js";
import { SampleBuffer } from "../metering/sampler.js";
import {
  readTapCounterSnapshot,
  sysfsTapCounterSource,
  TapTransferMeter,
  writeTapCounterSnapshot,
} from "../network/tap-transfer.js";
import type { TapCounterSource, TapTransfer } from "../network/tap-transfer.js";

/** A VM's QEMU process as the meter needs it. */
export interface MeteredProcess {
  vmId: string;
  pid: number;
  vcpus: number;
  /** The VM's tap (bridged networking); its counters give the VM's transfer. */
  tap?: string;
}

/** Options for {@link EnergyMeter.open}. */
export interface EnergyMeterOptions {
  hostId: string;
  /** Filesystem root holding proc/ and sys/ ("/" on a real host; a fixture folder in tests). */
  root?: string;
  /** Sampling interval. Default 10 s. */
  intervalMs?: number;
  /** The host's power profile: its idle watts split idle energy, and the model uses it without counters. */
  profile: PowerProfile;
  /** The live QEMU processes of this host. */
  processes: () => Promise<MeteredProcess[]>;
  /** Sends a frame to the controller; false when the channel is down. */
  send: (message: AgentMessage) => boolean;
  logger: Logger;
  /** Samples held while the controller is unreachable (default: one day at the interval). */
  maxBuffered?: number;
  /** Samples per frame. Default 500. */
  maxBatch?: number;
  /** A power source to use instead of detecting one (benchmarks and tests). */
  source?: PowerSource;
  /**
   * Where the tap counters last charged are kept, so a restarted agent charges what moved
   * while it was down, once. Without it, the first sample only takes baselines.
   */
  transferStateFile?: string;
  /** Reads the server taps' counters (default: /sys/class/net under `root`). */
  taps?: TapCounterSource;
}

interface CpuBaseline {
  pid: number;
  cpuTimeUs: number;
}

/** /proc/stat counts in USER_HZ ticks, 100 a second on every Linux architecture we run on. */
const US_PER_TICK = 10_000;

/**
 * Meters the host: every interval it reads host energy (RAPL, hwmon or the model) and each
 * QEMU's CPU time, and queues one {@link EnergySample}. Samples are numbered per sampler
 * lifetime and kept until the controller acknowledges them, so an outage delays them and a
 * resend never counts twice (the controller skips sequence numbers it has applied).
 */
export class EnergyMeter {
  private readonly buffer: SampleBuffer<Omit<EnergySample, "seq">>;
  private readonly cpuReader: VmCpuTimeReader;
  private readonly hostCpus = Math.max(1, cpus().length);
  private baselines = new Map<string, CpuBaseline>();
  /** The host's busy CPU ticks (/proc/stat) at the previous sample; undefined when unreadable. */
  private hostBusyTicks: number | undefined;
  private transfer!: TapTransferMeter;
  private lastAtMs: number;
  /** Highest seq sent on the current connection; samples after it still need sending. */
  private sentUpTo = 0;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  private constructor(
    private readonly options: EnergyMeterOptions,
    private readonly source: PowerSource,
    readonly bootId: string,
  ) {
    this.buffer = new SampleBuffer({
      hostId: options.hostId,
      bootId,
      maxBuffered: options.maxBuffered ?? Math.ceil(86_400_000 / this.intervalMs),
    });
    this.cpuReader = new VmCpuTimeReader({ root: options.root ?? "/" });
    this.lastAtMs = Date.now();
  }

  /** Opens the host's power source and takes CPU-time baselines. */
  static async open(options: EnergyMeterOptions): Promise<EnergyMeter> {
    const root = options.root ?? "/";
    let source = options.source;
    if (!source) {
      try {
        source = await openPowerSource({ root, fallbackProfile: options.profile });
      } catch (err) {
        options.logger.warn({ err }, "cannot read the host's power counters; using the power model");
        source = await ModelPowerSource.open({ root, profile: options.profile });
      }
    }
    options.logger.info({ source: source.kind, profile: options.profile.id }, "energy meter started");
    const meter = new EnergyMeter(options, source, await readBootId(root, Date.now()));
    const remembered = options.transferStateFile
      ? await readTapCounterSnapshot(options.transferStateFile)
      : undefined;
    meter.transfer = new TapTransferMeter(options.taps ?? sysfsTapCounterSource(root), remembered);
    // Without remembered counters this takes the baselines; with them, the first sample
    // charges what moved while no agent was counting.
    if (!remembered) meter.transfer.sample();
    await source.read(); // the baseline read: it counts nothing
    meter.lastAtMs = Date.now();
    meter.hostBusyTicks = await meter.readHostBusyTicks();
    meter.baselines = await meter.readCpuTimes(await options.processes());
    return meter;
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? 10_000;
  }

  /** The power source's kind: rapl, hwmon or model. */
  get sourceKind(): PowerSource["kind"] {
    return this.source.kind;
  }

  /** Samples not yet acknowledged. */
  get pendingCount(): number {
    return this.buffer.pending().length;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sampleOnce(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  /** Takes one sample now and sends what is pending (never two at once). */
  sampleOnce(): Promise<void> {
    this.sampling ??= this.takeSample()
      .catch((err: unknown) => this.options.logger.warn({ err }, "energy sample failed; the next covers it"))
      .finally(() => {
        this.sampling = undefined;
      });
    return this.sampling;
  }

  /** A new connection: everything unacknowledged is sent again. */
  connected(): void {
    this.sentUpTo = 0;
    this.flush();
  }

  /** The controller stored every sample of this lifetime up to `seq`. */
  acknowledged(bootId: string, seq: number): void {
    if (bootId !== this.bootId) return;
    this.buffer.acknowledge(seq);
    this.flush();
  }

  private async takeSample(): Promise<void> {
    const startMs = this.lastAtMs;
    let reading;
    try {
      reading = await this.source.read();
    } catch (err) {
      // A counter that went backwards or could not be read: this interval is not counted,
      // and the next sample starts from fresh baselines.
      this.options.logger.warn({ err }, "host energy unreadable for this interval; it is not counted");
      this.lastAtMs = Date.now();
      this.hostBusyTicks = await this.readHostBusyTicks();
      this.baselines = await this.readCpuTimes(await this.options.processes());
      return;
    }
    const busyBefore = this.hostBusyTicks;
    this.hostBusyTicks = await this.readHostBusyTicks();
    const hostBusyUs =
      busyBefore === undefined || this.hostBusyTicks === undefined
        ? undefined
        : Math.max(0, this.hostBusyTicks - busyBefore) * US_PER_TICK;
    const endMs = Math.max(startMs + 1, reading.atMs);
    this.lastAtMs = endMs;
    const intervalUs = (endMs - startMs) * 1000;
    const processes = await this.options.processes();
    const now = await this.readCpuTimes(processes);
    const transfer = await this.sampleTransfer();
    const vms: EnergySampleVm[] = [];
    for (const p of processes) {
      const current = now.get(p.vmId);
      if (!current) continue;
      const before = this.baselines.get(p.vmId);
      // A new QEMU (or a restarted one, with a new pid) counted from zero within this interval.
      const used =
        before && before.pid === current.pid ? current.cpuTimeUs - before.cpuTimeUs : current.cpuTimeUs;
      const moved = p.tap ? transfer.get(p.tap) : undefined;
      vms.push({
        vm_id: p.vmId,
        cpu_time_us: Math.max(0, Math.min(used, intervalUs * this.hostCpus)),
        vcpus: p.vcpus,
        present_us: intervalUs,
        ...(moved ? { net_out_bytes: moved.outBytes, net_in_bytes: moved.inBytes } : {}),
      });
    }
    for (const vmId of this.baselines.keys()) if (!now.has(vmId)) this.cpuReader.forget(vmId);
    this.baselines = now;
    this.buffer.push({
      start_ms: startMs,
      end_ms: endMs,
      source: reading.kind,
      estimated: reading.estimated,
      host_energy_uj: reading.energyMicrojoules,
      idle_energy_uj: Math.min(
        reading.energyMicrojoules,
        idleEnergyMicrojoules(this.options.profile, endMs - startMs),
      ),
      host_cpus: this.hostCpus,
      // Without it (an unreadable /proc/stat) the controller splits over the VMs' time only.
      ...(hostBusyUs === undefined ? {} : { host_busy_us: hostBusyUs }),
      vms,
    });
    this.flush();
  }

  /**
   * What each tap moved since the previous sample. The new counters are persisted before the
   * sample that charges them is queued: a crash in between loses those bytes, but a restarted
   * agent never charges them again (the controller dedupes by seq only within one boot id).
   * Bytes on a tap whose QEMU is not running (a stopped server) are charged to nobody.
   */
  private async sampleTransfer(): Promise<Map<string, TapTransfer>> {
    const transfer = this.transfer.sample();
    if (this.options.transferStateFile)
      await writeTapCounterSnapshot(this.options.transferStateFile, this.transfer.snapshot());
    return transfer;
  }

  /** Busy ticks of the whole host: user, nice, system, irq, softirq and steal (not idle or iowait). */
  private async readHostBusyTicks(): Promise<number | undefined> {
    try {
      return (await readCpuTimes(nodeFileReader, this.options.root ?? "/")).busy;
    } catch (err) {
      this.options.logger.warn(
        { err },
        "cannot read the host's busy CPU time; VMs share active energy alone",
      );
      return undefined;
    }
  }

  private async readCpuTimes(processes: MeteredProcess[]): Promise<Map<string, CpuBaseline>> {
    const out = new Map<string, CpuBaseline>();
    await Promise.all(
      processes.map(async (p) => {
        try {
          const r = await this.cpuReader.read({ vmId: p.vmId, pid: p.pid });
          // A QEMU that exited between listing and reading is left out of this sample.
          if (!r.stale) out.set(p.vmId, { pid: p.pid, cpuTimeUs: r.cpuTimeUs });
        } catch (err) {
          this.options.logger.warn({ err, vmId: p.vmId }, "cannot read a VM's CPU time");
        }
      }),
    );
    return out;
  }

  private flush(): void {
    const pending = this.buffer.pending().filter((s) => s.seq > this.sentUpTo);
    for (let i = 0; i < pending.length; i += this.options.maxBatch ?? 500) {
      const batch = pending.slice(i, i + (this.options.maxBatch ?? 500));
      const sent = this.options.send({
        type: "energy",
        boot_id: this.bootId,
        dropped: this.buffer.dropped,
        samples: batch.map((s) => ({ seq: s.seq, ...s.payload })),
      });
      if (!sent) return;
      this.sentUpTo = batch[batch.length - 1]!.seq;
    }
  }
}
