/**
 * How an agent copied a server's disk for a capture (docs/images.md, "Capture"): `qemu-img-convert`
 * of a stopped server's overlay chain, `blockdev-backup` of a running one over QMP (crash-consistent),
 * or `guest-fsfreeze`: the guest agent froze the filesystems while the backup job started.
 */
export const CAPTURE_METHODS = ["qemu-img-convert", "blockdev-backup", "guest-fsfreeze"] as const;

/** Capture ids are the capture job's id, and name files on the host: nothing that could leave a folder. */
export const CAPTURE_ID_PATTERN = "^job_[0-9a-z]{26}$";
