import { runProgram } from "@layerboom/sys";

/** Image formats the agent hands to qemu and qemu-img; always named, never probed. */
export type DiskFormat = "qcow2" | "raw";

/** The fields of `qemu-img info --output=json` the agent uses. */
export interface ImageInfo {
  format: string;
  virtualSizeBytes: number;
  backingFilename?: string;
  backingFormat?: string;
}

/** Resource limits for qemu-img: it parses untrusted headers, so it gets a box. */
const LIMITS = { cpuSeconds: 120, addressSpaceBytes: 2 * 1024 ** 3 };

/** `qemu-img info` with the format pinned; `-U` so it also works on an image a running VM holds. */
export async function imageInfo(path: string, format: DiskFormat): Promise<ImageInfo> {
  const { stdout } = await runProgram("qemu-img", ["info", "-U", "-f", format, "--output=json", path], {
    timeoutMs: 30_000,
    limits: LIMITS,
  });
  const info = JSON.parse(stdout) as Record<string, unknown>;
  return {
    format: String(info.format),
    virtualSizeBytes: Number(info["virtual-size"]),
    backingFilename: typeof info["backing-filename"] === "string" ? info["backing-filename"] : undefined,
    backingFormat:
      typeof info["backing-filename-format"] === "string" ? info["backing-filename-format"] : undefined,
  };
}

/** Arguments of `qemu-img create` for a qcow2 overlay. Pure, for tests. */
export function overlayCreateArgs(
  path: string,
  backing: string,
  backingFormat: DiskFormat,
  sizeBytes: number,
): string[] {
  return ["create", "-q", "-f", "qcow2", "-F", backingFormat, "-b", backing, path, String(sizeBytes)];
}

/** `qemu-img create -f qcow2 -F <fmt> -b <backing> <path> <size>`. */
export async function createQcow2Overlay(
  path: string,
  backing: string,
  backingFormat: DiskFormat,
  sizeBytes: number,
): Promise<void> {
  await runProgram("qemu-img", overlayCreateArgs(path, backing, backingFormat, sizeBytes), {
    timeoutMs: 60_000,
    limits: LIMITS,
  });
}

/** `qemu-img resize -f qcow2 <path> <size>`; growing only. */
export async function resizeQcow2(path: string, sizeBytes: number): Promise<void> {
  await runProgram("qemu-img", ["resize", "-q", "-f", "qcow2", path, String(sizeBytes)], {
    timeoutMs: 60_000,
    limits: LIMITS,
  });
}
