import { DEFAULT_MAX_VIRTUAL_SIZE } from "@layerboom/images";
import { DEFAULT_IMAGE_QUOTAS, QUOTA_NAMES } from "./quotas.js";
import type { ImageQuotas } from "./quotas.js";

/** Limits of the image pipeline a provider may set (docs/security.md, "Files, blobs and quotas"). */
export interface ImageJobLimits {
  /** Largest download or upload accepted. Default 64 GiB. */
  maxSourceBytes?: number;
  /**
   * The largest virtual disk accepted, in bytes: exactly this size passes, one byte more is
   * refused with `virtual-size-cap`. Default 512 GiB.
   */
  maxVirtualSize?: number;
  /** Bytes that must stay free on the blob volume after a job or upload writes. Default 5 GiB. */
  freeSpaceReserveBytes?: number;
  /** Wall-clock limit of one export, conversion and checksum together. Default 30 min. */
  exportTimeoutMs?: number;
  /** Defaults of the per-account quotas; a provider admin overrides them per account. */
  quotas?: Partial<ImageQuotas>;
}

/** ImageJobLimits with defaults filled in and checked. */
export interface CompiledImageJobLimits {
  maxSourceBytes: number;
  maxVirtualSize: number;
  freeSpaceReserveBytes: number;
  exportTimeoutMs: number;
  quotas: ImageQuotas;
}

function count(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  return value;
}

/** Fills the defaults and validates, once, at start-up. */
export function compileImageJobLimits(limits: ImageJobLimits = {}): CompiledImageJobLimits {
  const quotas = { ...DEFAULT_IMAGE_QUOTAS };
  for (const name of QUOTA_NAMES) {
    const value = limits.quotas?.[name];
    if (value !== undefined)
      quotas[name] = count(`quotas.${name}`, value, name === "image_jobs_running" ? 1 : 0);
  }
  return {
    maxSourceBytes: count("maxSourceBytes", limits.maxSourceBytes ?? 64 * 1024 ** 3, 1),
    maxVirtualSize: count("maxVirtualSize", limits.maxVirtualSize ?? DEFAULT_MAX_VIRTUAL_SIZE, 1),
    freeSpaceReserveBytes: count("freeSpaceReserveBytes", limits.freeSpaceReserveBytes ?? 5 * 1024 ** 3, 0),
    exportTimeoutMs: count("exportTimeoutMs", limits.exportTimeoutMs ?? 30 * 60_000, 1),
    quotas,
  };
}

const UNITS: Record<string, number> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/**
 * A size from configuration: bytes, or a number with a binary unit (`512G`, `512GiB`, `1T`).
 * Undefined for text that is not a size.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match?.[1]) return undefined;
  const bytes = Number(match[1]) * (UNITS[(match[2] ?? "").toLowerCase()] ?? NaN);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
