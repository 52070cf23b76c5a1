import type { OrphanReport } from "@layerboom/core";
import { serverIdForVm } from "@layerboom/core";
import type { Driver } from "../qemu/driver.js";
import type { Logger } from "../qemu/logger.js";

/**
 * The orphan rule (docs/agent-protocol.md): a VM folder on this host that the desired set
 * does not name is reported at once, and destroyed once it has stayed unowned for the grace
 * period, so a controller briefly serving a stale or partial set cannot wipe disks.
 */
export class OrphanRule {
  /** When each unowned VM was first seen unowned (ms since the epoch). */
  private readonly since = new Map<string, number>();
  /** Orphans last reported as kept, so an unchanged list is not resent. */
  private reported = new Set<string>();

  constructor(
    private readonly driver: Pick<Driver, "list" | "destroy">,
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {}

  /**
   * Reports and destroys VMs not in `owned` (VM ids) by the rule; `changed` says whether the
   * report differs from the last one (so an unchanged list is not sent again).
   */
  async apply(owned: Set<string>, now = Date.now()): Promise<{ reports: OrphanReport[]; changed: boolean }> {
    const reports: OrphanReport[] = [];
    const seen = new Set<string>();
    for (const vm of await this.driver.list()) {
      if (owned.has(vm.serverId)) continue;
      seen.add(vm.serverId);
      const since = this.since.get(vm.serverId) ?? now;
      this.since.set(vm.serverId, since);
      const pid = vm.pid ? { pid: vm.pid } : {};
      if (now - since >= this.graceMs) {
        this.logger.warn(
          { vmId: vm.serverId, serverId: serverIdForVm(vm.serverId), pid: vm.pid },
          "destroying an orphan VM under the orphan rule",
        );
        await this.driver.destroy(vm.serverId);
        this.since.delete(vm.serverId);
        reports.push({ vm_id: vm.serverId, ...pid, action: "destroyed" });
      } else {
        reports.push({ vm_id: vm.serverId, ...pid, action: "reported" });
      }
    }
    let changed = reports.some((r) => r.action === "destroyed");
    for (const id of [...this.since.keys()]) {
      if (!seen.has(id)) {
        this.since.delete(id);
        changed = true;
      }
    }
    const kept = reports.filter((r) => r.action === "reported").map((r) => r.vm_id);
    if (kept.some((id) => !this.reported.has(id))) changed = true;
    this.reported = new Set(kept);
    return { reports, changed };
  }
}
