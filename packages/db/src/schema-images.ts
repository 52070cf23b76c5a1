import type { ColumnType } from "kysely";

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * A provider admin's overrides of the default image quotas for one account (migration 0011,
 * docs/security.md). A null column means the controller's default.
 */
export interface ImageQuotasTable {
  account_id: string;
  images: number | null;
  image_bytes: number | null;
  image_jobs: number | null;
  image_jobs_running: number | null;
  uploads: number | null;
  updated_at: UpdatedAt;
}

/** An upload streaming in; counted for the `uploads` quota while its lease holds. */
export interface ImageUploadsTable {
  id: string;
  account_id: string;
  lease_until: ColumnType<Date, Date | string, Date | string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/**
 * The host's part of a server capture (migration 0020, docs/images.md "Capture"): the agent
 * copies the disk and uploads the copy into the capture job's folder.
 */
export interface ImageCapturesTable {
  /** The `image_jobs` row of kind `capture`. */
  job_id: string;
  server_id: string;
  host_id: string;
  state: ColumnType<"copying" | "uploaded" | "failed", "copying" | undefined, "uploaded" | "failed">;
  /** How the agent copied the disk: stopped, live over QMP, or live with the guest frozen. */
  method: "qemu-img-convert" | "blockdev-backup" | "guest-fsfreeze" | null;
  size_bytes: number | null;
  sha256: string | null;
  error: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: UpdatedAt;
}
