import { applyTapFilter } from "../network/tap-filter.js";
import type { Logger } from "./logger.js";
import type { CompiledVmSpec } from "./vm-spec.js";

/**
 * The anti-spoofing filters of bridged VMs' taps, with what this driver last wrote for each, so
 * a pass that changes nothing does not rewrite nftables.
 */
export class TapFilters {
  /** The filter last applied per tap (`mac addresses`). */
  private readonly applied = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  /**
   * Pins a bridged VM's tap to its MAC and its desired addresses (the seed's `network.ipv4`;
   * none: no IPv4 passes). Rewritten when they changed since this driver last wrote them, or
   * always with `force` (before QEMU starts: the table may have been changed behind our back).
   * The filter narrows at once when an address is released; an added one passes at once, and
   * the guest uses it from its next boot.
   */
  async ensure(spec: CompiledVmSpec, force = false): Promise<void> {
    if (!spec.network) return;
    const { tap } = spec.network;
    const addresses = spec.seed?.network?.ipv4 ?? [];
    const key = `${spec.macAddress} ${addresses.join(",")}`;
    if (!force && this.applied.get(tap) === key) return;
    this.applied.delete(tap);
    await applyTapFilter(tap, spec.macAddress, addresses);
    this.applied.set(tap, key);
    this.logger.info({ serverId: spec.serverId, tap, addresses }, "anti-spoofing filter applied");
  }

  /** Forgets a deleted tap (its filter went with it). */
  forget(tap: string): void {
    this.applied.delete(tap);
  }
}
