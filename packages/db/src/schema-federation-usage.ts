import type { ColumnType, Generated } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type BigMoney = ColumnType<number, number | bigint, number | bigint>;

/** B's side: where the numbering and the push of usage records to a peer stand (migration 0026). */
export interface FederationUsageCursorsTable {
  peer_id: string;
  last_seq: ColumnType<number, number | undefined, number>;
  acked_through: ColumnType<number, number | undefined, number>;
  pushed_at: Timestamp | null;
  push_error: ColumnType<string, string | undefined, string>;
  updated_at: UpdatedAt;
}

/** B's side: one usage record made for a peer, immutable: the signed document and what the close reads. */
export interface FederationUsageRecordsMadeTable {
  peer_id: string;
  seq: BigMoney;
  server_id: string;
  hour_start: Timestamp;
  period: string;
  currency: string;
  wholesale_cost_minor: BigMoney;
  document: string;
  signature: string;
  created_at: CreatedAt;
}

/** A's side: a usage record received from a peer, kept with the peer's signature over its bytes. */
export interface FederationUsageRecordsReceivedTable {
  peer_id: string;
  seq: BigMoney;
  remote_server_id: string;
  local_server_id: string;
  hour_start: Timestamp;
  period: string;
  currency: string;
  billed_ms: BigMoney;
  wholesale_cost_minor: BigMoney;
  energy_wh: number;
  carbon_g: number | null;
  document: string;
  signature: string;
  received_via: "push" | "pull";
  received_at: CreatedAt;
}

/** A's side: a record refused (a known number with other content, a bad signature): kept as evidence. */
export interface FederationUsageFlagsTable {
  id: Generated<number>;
  peer_id: string;
  seq: number | null;
  reason: string;
  document: string;
  signature: string;
  received_at: CreatedAt;
}
