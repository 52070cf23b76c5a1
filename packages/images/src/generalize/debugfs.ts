import { runProgram } from "@layerboom/sys";

/** debugfs reads a whole filesystem's metadata at most; a hostile one gets this box and no more. */
const LIMITS = { cpuSeconds: 120, addressSpaceBytes: 1024 ** 3 };
const TIMEOUT_MS = 120_000;

/** One directory entry as `ls -p` prints it: `/inode/mode/uid/gid/name/size/`. */
export interface DebugfsEntry {
  name: string;
  inode: number;
  /** The full st_mode, octal as debugfs prints it (040755, 0100644, 0120777...). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
}

/** File type bits of `mode`. */
export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

/**
 * Names we put in a debugfs command. debugfs splits its commands on blanks and reads double
 * quotes; a name with a blank, a quote, a control character or a non-ASCII byte is never
 * written into one (it is reported as skipped instead), so a file name in the tenant's
 * filesystem cannot become a second command.
 */
export const SAFE_NAME = /^[A-Za-z0-9._@+,:=%~-]+$/;

/** Whether every component of an absolute path is a {@link SAFE_NAME}. */
export function safePath(path: string): boolean {
  return (
    path.startsWith("/") &&
    path
      .split("/")
      .slice(1)
      .every((part) => SAFE_NAME.test(part))
  );
}

/**
 * `debugfs` (e2fsprogs) on an ext2/3/4 filesystem inside a raw disk file, at a byte offset (a
 * partition), in user space: the filesystem is never mounted, so a hostile one can at worst
 * crash this process, not the host's kernel. Every call is an argument array under a timeout
 * and resource limits; commands go through stdin, one per line, built only from safe names.
 */
export class Debugfs {
  private readonly device: string;

  constructor(
    rawPath: string,
    offsetBytes: number,
    private readonly writable: boolean,
  ) {
    // e2fsprogs' unix I/O manager takes `file?offset=N`; the path is ours (a job folder), never a tenant's.
    this.device = offsetBytes > 0 ? `${rawPath}?offset=${offsetBytes}` : rawPath;
  }

  /**
   * Runs commands in one debugfs process (`-f -`: debugfs echoes each as `debugfs: <command>`)
   * and returns its output. debugfs exits 0 whatever its commands did: callers check the result.
   */
  async run(commands: readonly string[]): Promise<string> {
    for (const command of commands)
      if (/[\n\r\0]/.test(command)) throw new Error("a debugfs command must be one line");
    const args = [...(this.writable ? ["-w"] : []), "-f", "-", this.device];
    const { stdout } = await runProgram("debugfs", args, {
      input: `${commands.join("\n")}\n`,
      timeoutMs: TIMEOUT_MS,
      limits: LIMITS,
    });
    return stdout;
  }

  /** One command with `-R`: its output alone, with no echo. */
  private async one(command: string): Promise<string> {
    const args = [...(this.writable ? ["-w"] : []), "-R", command, this.device];
    const { stdout } = await runProgram("debugfs", args, { timeoutMs: TIMEOUT_MS, limits: LIMITS });
    return stdout;
  }

  /**
   * The entries of a directory (without `.` and `..`), or undefined when it does not exist.
   * Names that could not be used in a command are returned too, so that callers can report
   * them; check them with {@link SAFE_NAME} before use.
   */
  async list(dir: string): Promise<DebugfsEntry[] | undefined> {
    if (!safePath(dir) && dir !== "/") throw new Error(`not a safe path: ${JSON.stringify(dir)}`);
    const out = await this.one(`ls -p ${dir}`);
    const entries: DebugfsEntry[] = [];
    let any = false;
    for (const line of out.split("\n")) {
      const m = /^\/(\d+)\/([0-7]+)\/(\d+)\/(\d+)\/(.*)\/(\d*)\/$/.exec(line);
      if (!m) continue;
      any = true;
      const name = m[5] ?? "";
      if (name === "." || name === "..") continue;
      entries.push({
        inode: Number(m[1]),
        mode: parseInt(m[2] ?? "0", 8),
        uid: Number(m[3]),
        gid: Number(m[4]),
        name,
        size: Number(m[6] || 0),
      });
    }
    return any ? entries : undefined;
  }

  /** A file's bytes (`cat`), for small files such as /etc/shadow. */
  async cat(path: string): Promise<string> {
    if (!safePath(path)) throw new Error(`not a safe path: ${JSON.stringify(path)}`);
    return this.one(`cat ${path}`);
  }
}
