import type { SafetyFailure } from "../errors.js";

/** Formats the inspector recognises. `iso` is raw to qemu, but reported apart. */
export type ImageFormat = "raw" | "qcow2" | "qed" | "vmdk" | "vdi" | "vhd" | "vhdx" | "iso";

/** What one format parser found in a file. */
export interface FormatReport {
  format: ImageFormat;
  /** Size the guest sees, in bytes; undefined when the header is too broken to say. */
  virtualSize: number | undefined;
  /** Format-specific facts worth logging or cross-checking. */
  details: Record<string, unknown>;
  /** Failed safety rules; empty when the header is safe. */
  failures: SafetyFailure[];
}

/** Partition table seen in the first sectors; a property of raw-like images. */
export interface PartitionTableInfo {
  type: "mbr" | "gpt";
  partitions: { index: number; type: string; startLba: number; sectors: number }[];
}

/** The inspector's verdict on one file. */
export interface ImageInspection {
  format: ImageFormat;
  /** Every format whose signature matched; more than one means a polyglot. */
  matchedFormats: ImageFormat[];
  virtualSize: number | undefined;
  /** Bytes the file occupies on disk (allocated blocks), which is less than its length when sparse. */
  actualSize: number;
  /** Length of the file in bytes. */
  fileSize: number;
  partitionTable: PartitionTableInfo | undefined;
  details: Record<string, unknown>;
  failures: SafetyFailure[];
}
