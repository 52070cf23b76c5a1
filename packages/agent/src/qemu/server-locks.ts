/**
 * One queue per server: operations on one VM run one after another (a stop never overlaps a
 * start or a backup of the same VM), operations on different VMs run side by side.
 */
export class ServerLocks {
  private readonly locks = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier operation on `serverId` has settled, failed ones included. */
  run<T>(serverId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(serverId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(serverId, tail);
    void tail.then(() => {
      if (this.locks.get(serverId) === tail) this.locks.delete(serverId);
    });
    return run;
  }
}
