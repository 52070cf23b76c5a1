/** Short, printable rendering of an attacker-controlled string for error messages. */
export function quote(value: string, max = 120): string {
  const clipped = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(clipped);
}

/** Names of the inspector's safety checks; each refusal names exactly one. */
export type ImageCheck =
  | "file-empty"
  | "format-ambiguous"
  | "format-mismatch"
  | "format-unsupported"
  | "virtual-size-cap"
  | "qemu-info-mismatch"
  | "qcow2-truncated"
  | "qcow2-version"
  | "qcow2-header"
  | "qcow2-cluster-size"
  | "qcow2-backing-file"
  | "qcow2-data-file"
  | "qcow2-incompatible-features"
  | "qcow2-encrypted"
  | "qcow2-header-extension"
  | "qcow2-l1-table"
  | "qcow2-refcount-table"
  | "qed-refused"
  | "vmdk-truncated"
  | "vmdk-descriptor"
  | "vmdk-create-type"
  | "vmdk-extent-path"
  | "vmdk-parent"
  | "vmdk-grain-size"
  | "vdi-truncated"
  | "vdi-image-type"
  | "vdi-parent"
  | "vdi-size"
  | "vhd-truncated"
  | "vhd-footer-checksum"
  | "vhd-differencing"
  | "vhd-disk-type"
  | "vhd-size"
  | "vhdx-truncated"
  | "vhdx-metadata"
  | "vhdx-parent";

/** One failed safety check, as collected by the inspector. */
export interface SafetyFailure {
  check: ImageCheck;
  detail: string;
}

/** The image was refused before any tool touched it. `check` names the first failed rule. */
export class ImageRejectedError extends Error {
  constructor(
    readonly check: ImageCheck,
    readonly format: string | undefined,
    readonly detail: string,
    readonly failures: readonly SafetyFailure[] = [{ check, detail }],
  ) {
    super(`image rejected (${check}${format ? `, ${format}` : ""}): ${detail}`);
    this.name = "ImageRejectedError";
  }
}

/** Names of the archive, decompression and XML checks. */
export type ArchiveCheck =
  | "archive-absolute-path"
  | "archive-path-traversal"
  | "archive-path-invalid"
  | "archive-link-escape"
  | "archive-hardlink-to-link"
  | "archive-path-through-link"
  | "archive-entry-type"
  | "archive-duplicate-entry"
  | "archive-too-many-entries"
  | "archive-size"
  | "archive-malformed"
  | "archive-sparse-map"
  | "decompression-ratio"
  | "decompression-size"
  | "decompression-failed"
  | "xml-doctype"
  | "xml-entity"
  | "xml-too-large"
  | "xml-malformed"
  | "ova-descriptor"
  | "ova-disk-reference"
  | "ova-manifest-digest";

/** An archive, compressed stream or XML document was refused. */
export class ArchiveRejectedError extends Error {
  constructor(
    readonly check: ArchiveCheck,
    readonly detail: string,
    readonly entryName?: string,
  ) {
    super(`archive rejected (${check}): ${detail}`);
    this.name = "ArchiveRejectedError";
  }
}

/** Names of the EC2 AMI bundle checks. */
export type AmiCheck =
  | "ami-manifest"
  | "ami-wrong-key"
  | "ami-signature"
  | "ami-part-filename"
  | "ami-part-missing"
  | "ami-part-digest"
  | "ami-decrypt"
  | "ami-image-digest"
  | "ami-image-size"
  | "ami-payload";

/** An EC2 AMI bundle was refused: wrong key, missing or tampered part, tampered manifest. */
export class AmiBundleError extends Error {
  constructor(
    readonly check: AmiCheck,
    readonly manifestPath: string,
    readonly detail: string,
    readonly part?: string,
  ) {
    super(`AMI bundle rejected (${check}): ${detail}`);
    this.name = "AmiBundleError";
  }
}

/** qemu-img failed or produced an output that broke a limit. */
export class ConversionError extends Error {
  constructor(
    readonly source: string,
    readonly reason: "tool-failed" | "timeout" | "output-size" | "info-unparseable",
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`conversion of ${quote(source)} failed (${reason}): ${detail}`, options);
    this.name = "ConversionError";
  }
}

/** Names of the checks made while turning a root filesystem into a bootable disk. */
export type BootableCheck =
  | "rootfs-needs-root"
  | "rootfs-not-linux"
  | "rootfs-filesystem"
  | "rootfs-link-escape"
  | "rootfs-too-large"
  | "kernel-missing"
  | "kernel-no-virtio"
  | "root-password-hash";

/** A root filesystem could not be made bootable; `check` names the rule it broke. */
export class BootableError extends Error {
  constructor(
    readonly check: BootableCheck,
    readonly detail: string,
  ) {
    super(`cannot make the root filesystem bootable (${check}): ${detail}`);
    this.name = "BootableError";
  }
}
