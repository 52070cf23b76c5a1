import type { ColumnType, Generated, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** A claim on a portal domain; it counts only once verified (migration 0014, docs/security.md, "Portal domains"). */
export interface PortalDomainClaimsTable {
  id: string;
  account_id: string;
  /** Lower case, punycode, no trailing dot. */
  domain: string;
  /** Issued by the controller; the claimant publishes it in DNS or over HTTP. */
  token: string;
  status: Generated<"pending" | "verified">;
  method: "dns" | "http" | "assigned" | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  checked_at: Timestamp | null;
  check_error: string | null;
  verified_at: Timestamp | null;
}

export type PortalDomainClaimRow = Selectable<PortalDomainClaimsTable>;
