import type { ColumnType } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Tables of the EC2 Query API (migration 0018, docs/ec2.md). */
export interface Ec2AccessKeysTable {
  /** `AKIA` and 16 base32 characters, as AWS spells an access key id. */
  id: string;
  user_id: string;
  name: string;
  /** The SigV4 secret, sealed with the controller's secret key and bound to the key id. */
  secret_sealed: string;
  /** What the key may do: scopes of core's token-scopes vocabulary. */
  scopes: ColumnType<string[], string | undefined, string>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** A RunInstances ClientToken of an account, and the reservation it made. */
export interface Ec2ClientTokensTable {
  account_id: string;
  client_token: string;
  reservation_id: string;
  /** SHA-256 of the call's other parameters. */
  parameters_hash: string;
  created_at: CreatedAt;
}

/** A tag on an instance, image or key pair, by the resource's EC2 id. */
export interface Ec2TagsTable {
  /** The account that owns the tagged resource. */
  account_id: string;
  resource_id: string;
  key: string;
  value: string;
}
