import type { ColumnType, Generated } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Tables of two-factor login (migration 0012, docs/security.md). */
export interface UserTwoFactorTable {
  user_id: string;
  /** The TOTP secret, sealed with the controller's secret key and bound to the user id. */
  secret_sealed: string;
  created_at: CreatedAt;
  /** Null while the enrolment waits for its first code. */
  enabled_at: Timestamp | null;
  /** The newest time step a code was accepted for: no code works twice. */
  last_step: number | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  created_at: CreatedAt;
  used_at: Timestamp | null;
}

export interface PendingLoginsTable {
  id: string;
  user_id: string;
  secret_hash: string;
  purpose: "session" | "token";
  token_name: string | null;
  token_expires_at: Timestamp | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  attempts: Generated<number>;
  used_at: Timestamp | null;
}

export interface TwoFactorPoliciesTable {
  account_id: string;
  required: boolean;
  changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
