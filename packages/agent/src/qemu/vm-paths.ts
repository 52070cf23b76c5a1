import { join } from "node:path";

/** Every file of one VM. Runtime files live in the (volatile) run folder, disks in the data folder. */
export interface VmPaths {
  /** `<runDir>/<serverId>`: exists while QEMU runs. */
  runDir: string;
  pidfile: string;
  qmpSocket: string;
  serialSocket: string;
  /** Everything the guest printed on its serial port, written by QEMU itself (scrollback across agent restarts). */
  serialLog: string;
  /** QEMU's stdout and stderr. */
  log: string;
  /** `runtime.json`: pid, accelerator, SSH port and spec hash of the running instance. */
  runtimeFile: string;
  /** `<dataDir>/<serverId>`: the server's disks; survives host reboots. */
  dataDir: string;
  overlay: string;
  seedIso: string;
  /** `vm.json`: the last spec the driver was given, and the SSH port it chose. */
  specFile: string;
  /** qemu.log of the last run, kept after QEMU exits. */
  lastLog: string;
}

/** Paths of a VM's files. */
export function vmPaths(runRoot: string, dataRoot: string, serverId: string): VmPaths {
  const runDir = join(runRoot, serverId);
  const dataDir = join(dataRoot, serverId);
  return {
    runDir,
    pidfile: join(runDir, "qemu.pid"),
    qmpSocket: join(runDir, "qmp.sock"),
    serialSocket: join(runDir, "serial.sock"),
    serialLog: join(runDir, "serial.log"),
    log: join(runDir, "qemu.log"),
    runtimeFile: join(runDir, "runtime.json"),
    dataDir,
    overlay: join(dataDir, "disk.qcow2"),
    seedIso: join(dataDir, "seed.iso"),
    specFile: join(dataDir, "vm.json"),
    lastLog: join(dataDir, "last-qemu.log"),
  };
}

/** Linux limits sun_path to 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH = 107;

/** A server id as the driver takes it: it names the VM's folders, so nothing that could leave them. */
export const SERVER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
