import type { ColumnType } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** An invitation to join an account (migration 0015, docs/security.md "Creating users"). */
export interface InvitationsTable {
  id: string;
  account_id: string;
  email: string;
  name: ColumnType<string, string | undefined, string>;
  role: "provider-admin" | "reseller-admin" | "customer-admin" | "customer-member";
  invited_by: string;
  secret_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  user_id: string | null;
  revoked_at: Timestamp | null;
}
