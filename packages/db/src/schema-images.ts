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
