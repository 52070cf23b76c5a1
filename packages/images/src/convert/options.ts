import { DEFAULT_MAX_VIRTUAL_SIZE } from "../inspect/inspect.js";
/** Receives structured log lines from the pipeline; pass one in to see what happened. */
export interface ImageLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything. */
export const silentLogger: ImageLogger = { info: () => undefined, warn: () => undefined };

/** Limits and knobs for every qemu-img run. */
export interface ConvertOptions {
  /** RLIMIT_CPU for qemu-img, in seconds. Default 600. */
  cpuSeconds?: number;
  /** RLIMIT_AS for qemu-img, in bytes. Default 2 GiB. */
  addressSpaceBytes?: number;
  /** Wall-clock limit for one conversion. Default 30 min. */
  timeoutMs?: number;
  /** Wall-clock limit for `qemu-img info`. Default 30 s. */
  infoTimeoutMs?: number;
  /** Largest output file; default: the virtual size plus 10 % and 64 MiB of metadata. */
  maxOutputBytes?: number;
  /** Largest virtual size accepted from the inspector (inclusive). Default 512 GiB (DEFAULT_MAX_VIRTUAL_SIZE). */
  maxVirtualSize?: number;
  logger?: ImageLogger;
  /** Injected clock, for progress-rate tests. */
  now?: () => number;
}

/** ConvertOptions with defaults filled in. */
export interface CompiledConvertOptions {
  cpuSeconds: number;
  addressSpaceBytes: number;
  timeoutMs: number;
  infoTimeoutMs: number;
  maxOutputBytes: number | undefined;
  maxVirtualSize: number;
  logger: ImageLogger;
  now: () => number;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be positive, got ${value}`);
  return value;
}

/** Fills defaults and validates conversion options. */
export function compileConvertOptions(options: ConvertOptions = {}): CompiledConvertOptions {
  return {
    cpuSeconds: positive("cpuSeconds", options.cpuSeconds ?? 600),
    addressSpaceBytes: positive("addressSpaceBytes", options.addressSpaceBytes ?? 2 * 1024 ** 3),
    timeoutMs: positive("timeoutMs", options.timeoutMs ?? 30 * 60_000),
    infoTimeoutMs: positive("infoTimeoutMs", options.infoTimeoutMs ?? 30_000),
    maxOutputBytes:
      options.maxOutputBytes === undefined ? undefined : positive("maxOutputBytes", options.maxOutputBytes),
    maxVirtualSize: positive("maxVirtualSize", options.maxVirtualSize ?? DEFAULT_MAX_VIRTUAL_SIZE),
    logger: options.logger ?? silentLogger,
    now: options.now ?? Date.now,
  };
}
