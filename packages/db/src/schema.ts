import type {
  BillingProfilesTable,
  BillingSettingsTable,
  CodeRedemptionsTable,
  DiscountCodesTable,
  ImageStorageIntervalsTable,
  InvoiceLinesTable,
  InvoicesTable,
  PaymentsTable,
  TaxRatesTable,
  UsageIntervalsTable,
} from "./schema-billing.js";
import type { BrandsTable, ResellerPartnerPricesTable, ResellerPricesTable } from "./schema-resellers.js";
import type { PortalDomainClaimsTable } from "./schema-portal-domains.js";
import type {
  PendingLoginsTable,
  RecoveryCodesTable,
  TwoFactorPoliciesTable,
  UserTwoFactorTable,
} from "./schema-sessions.js";
import type { ImageCapturesTable, ImageQuotasTable, ImageUploadsTable } from "./schema-images.js";
import type { InvitationsTable } from "./schema-invitations.js";
import type { Ec2AccessKeysTable, Ec2ClientTokensTable, Ec2TagsTable } from "./schema-ec2.js";
import type {
  FederationIdentityTable,
  FederationInvitationsTable,
  FederationNoncesTable,
  FederationOfferMadeVersionsTable,
  FederationOfferMarkupsTable,
  FederationOfferReceivedVersionsTable,
  FederationOffersMadeTable,
  FederationOffersReceivedTable,
  FederationPeersTable,
  FederationServedImagesTable,
  FederationServedServersTable,
  RemoteServersTable,
} from "./schema-federation.js";
import type {
  FederationUsageCursorsTable,
  FederationUsageFlagsTable,
  FederationUsageRecordsMadeTable,
  FederationUsageRecordsReceivedTable,
} from "./schema-federation-usage.js";
import type { JobSchedulesTable, JobsTable } from "./schema-jobs.js";
import type {
  TicketMessagesTable,
  TicketsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
} from "./schema-tickets-webhooks.js";
import type { DesiredState, ServerObservedState, SuspendableState } from "@layerboom/core";
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** A timestamptz column: read as a Date, written as a Date or an ISO string, defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AccountsTable {
  id: string;
  kind: "provider" | "reseller" | "customer";
  parent_id: string | null;
  path: string;
  name: string;
  slug: string;
  /** ISO 3166 codes its servers must stay in (docs/placement.md); empty: none. Written as JSON text. */
  required_jurisdictions: ColumnType<string[], string | undefined, string>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  name: Generated<string>;
  role: "provider-admin" | "reseller-admin" | "customer-admin" | "customer-member";
  password_hash: string | null;
  created_at: CreatedAt;
  disabled_at: Timestamp | null;
  /** Null until a self-signed-up user opens the mailed link; such users cannot log in. Defaults to now(). */
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  mailing_list_opt_in: Generated<boolean>;
  mailing_list_changed_at: Timestamp | null;
}

/** A one-time token mailed to a user; only the SHA-256 of its secret is kept. */
export interface UserTokensTable {
  id: string;
  user_id: string;
  purpose: "verify-email" | "password-reset";
  secret_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface LoginAttemptsTable {
  email: string;
  failures: Generated<number>;
  locked_until: Timestamp | null;
  last_failure_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  /** What the token may do: scopes of core's token-scopes vocabulary (migration 0013). */
  scopes: ColumnType<string[], string | undefined, string>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  secret_hash: string;
  csrf_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface SitesTable {
  id: string;
  name: string;
  country_code: string;
  region_code: Generated<string>;
  jurisdiction: Generated<string>;
  time_zone: string;
  created_at: CreatedAt;
}

export interface HostsTable {
  id: string;
  site_id: string;
  name: string;
  state: Generated<"pending" | "up" | "down" | "removed">;
  accelerator: "kvm" | "tcg" | null;
  cpu_cores: Generated<number>;
  memory_mib: Generated<number>;
  disk_gib: Generated<number>;
  join_token_hash: string | null;
  join_expires_at: Timestamp | null;
  credential_hash: string | null;
  last_heartbeat_at: Timestamp | null;
  created_at: CreatedAt;
  removed_at: Timestamp | null;
  hostname: Generated<string>;
  agent_version: Generated<string>;
  connected_at: Timestamp | null;
  orphans: ColumnType<HostOrphan[], string | undefined, string>;
  /** The bridges its agent may attach servers to (migration 0010, docs/networking.md). */
  bridges: ColumnType<string[], string | undefined, string>;
}

/** A VM on a host that no server owns, as its agent reported it. */
export interface HostOrphan {
  vm_id: string;
  pid?: number;
  action: "reported" | "destroyed";
}

export interface PlansTable {
  id: string;
  name: string;
  vcpus: number;
  memory_mib: number;
  disk_gib: number;
  transfer_gib: number;
  hourly_price_minor: number;
  monthly_cap_minor: number;
  hour_rounding: Generated<"up" | "none">;
  currency: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  /** Backups cost this percentage of the server's charge (migration 0009). */
  backups_price_percent: Generated<number>;
  /** One extra IPv4 address for a month (migration 0010, docs/networking.md). */
  extra_ipv4_monthly_minor: Generated<number>;
  /** Each GiB a server sends beyond its share of `transfer_gib`. */
  transfer_overage_minor_per_gib: Generated<number>;
}

export interface ImagesTable {
  id: string;
  account_id: string;
  name: string;
  visibility: "private" | "subtree" | "public";
  os: Generated<string>;
  arch: Generated<string>;
  format: Generated<string>;
  status: Generated<"pending" | "available" | "failed" | "deleted">;
  size_bytes: number | null;
  sha256: string | null;
  md5: string | null;
  source: Generated<string>;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
  kernel_sha256: string | null;
  kernel_size_bytes: number | null;
  initrd_sha256: string | null;
  initrd_size_bytes: number | null;
  kernel_append: string | null;
  /** Steps the pipeline applied, in order (docs/images.md). */
  pipeline: ColumnType<ImagePipelineStep[], string | undefined, string>;
  /** `ami-` and 17 hex digits, for the EC2 API (migration 0018). */
  ec2_id: Generated<string>;
}

/** One step of the image pipeline, as recorded on the image. */
export interface ImagePipelineStep {
  step: string;
  [detail: string]: unknown;
}

export interface SshKeysTable {
  id: string;
  account_id: string;
  user_id: string | null;
  name: string;
  public_key: string;
  fingerprint: string;
  created_at: CreatedAt;
  /** `key-` and 17 hex digits, for the EC2 API (migration 0018). */
  ec2_id: Generated<string>;
}

export interface ServerAddress {
  kind: "ssh-forward" | "ipv4" | "ipv6";
  address: string;
  port?: number;
  /** For a public address: the server's primary one, or an extra one (docs/networking.md). */
  role?: "primary" | "extra";
  prefix?: number;
}

export interface ServersTable {
  id: string;
  account_id: string;
  name: string;
  site_id: string;
  host_id: string | null;
  plan_id: string;
  image_id: string;
  desired_state: DesiredState;
  /** What the host's agent last reported; `pending` is only the column's default. */
  observed_state: Generated<ServerObservedState>;
  observed_at: Timestamp | null;
  generation: Generated<number>;
  reboot_seq: Generated<number>;
  addresses: ColumnType<ServerAddress[], string | undefined, string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  deleted_at: Timestamp | null;
  observed_generation: Generated<number>;
  observed_error: string | null;
  /** While a suspension holds the server stopped: the desired state it returns to. */
  suspended_from_state: SuspendableState | null;
  /** Daily backups, a paid add-on (migration 0009, docs/backups.md). */
  backups_enabled: Generated<boolean>;
  /** Bumped by every restore request; the agent applies each increment once. */
  restore_seq: Generated<number>;
  restore_backup_id: string | null;
  /** `i-` and 17 hex digits, for the EC2 API (migration 0018). */
  ec2_id: Generated<string>;
  /** The RunInstances reservation it came from; null for servers created otherwise. */
  ec2_reservation_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Custom user-data for cloud-init, base64 (at most 16 KiB decoded). */
  user_data_base64: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BackupsTable {
  id: string;
  server_id: string;
  account_id: string;
  host_id: string;
  state: Generated<"pending" | "available" | "failed" | "deleting">;
  kind: "scheduled" | "manual";
  size_bytes: ColumnType<number | null, number | null | undefined, number | null>;
  requested_at: ColumnType<Date, Date | string | undefined, Date | string>;
  completed_at: Timestamp | null;
  error: string | null;
}

export interface AddonIntervalsTable {
  id: string;
  server_id: string;
  account_id: string;
  plan_id: string;
  kind: "backups" | "ipv4";
  /** What the interval is for when a server can have several: the address, for ipv4. */
  ref: Generated<string>;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

/** A site's range of IPv4 addresses (migration 0010, docs/networking.md). */
export interface IpPoolsTable {
  id: string;
  site_id: string;
  cidr: string;
  gateway: string;
  first_address: string;
  last_address: string;
  bridge: string;
  nameservers: ColumnType<string[], string | undefined, string>;
  created_at: CreatedAt;
}

/** An address a server holds, or held until `released_at` (kept for a quarantine). */
export interface IpAddressesTable {
  pool_id: string;
  address: string;
  server_id: string;
  account_id: string;
  role: "primary" | "extra";
  allocated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  released_at: Timestamp | null;
}

/** Bytes a server sent and received through its tap in one hour. */
export interface ServerTransferTable {
  server_id: string;
  hour_start: Timestamp;
  host_id: string;
  out_bytes: ColumnType<number, number | bigint | string, number | bigint | string>;
  in_bytes: ColumnType<number, number | bigint | string, number | bigint | string>;
}

export interface ServerSshKeysTable {
  server_id: string;
  ssh_key_id: string;
}

export interface AuditLogTable {
  id: string;
  at: CreatedAt;
  actor_user_id: string | null;
  account_id: string;
  account_path: string;
  action: string;
  resource_type: string;
  resource_id: string;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: CreatedAt;
}

/** The whole schema, as Kysely sees it. Kept in step with migrations/ by the schema test. */
export interface Schema {
  accounts: AccountsTable;
  users: UsersTable;
  login_attempts: LoginAttemptsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  sites: SitesTable;
  hosts: HostsTable;
  plans: PlansTable;
  images: ImagesTable;
  ssh_keys: SshKeysTable;
  servers: ServersTable;
  server_ssh_keys: ServerSshKeysTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  site_energy_settings: SiteEnergySettingsTable;
  site_energy_prices: SiteEnergyPricesTable;
  site_carbon_intensity: SiteCarbonIntensityTable;
  energy_cursors: EnergyCursorsTable;
  server_energy: ServerEnergyTable;
  host_energy: HostEnergyTable;
  image_jobs: ImageJobsTable;
  tickets: TicketsTable;
  ticket_messages: TicketMessagesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  user_tokens: UserTokensTable;
  billing_profiles: BillingProfilesTable;
  billing_settings: BillingSettingsTable;
  tax_rates: TaxRatesTable;
  usage_intervals: UsageIntervalsTable;
  image_storage_intervals: ImageStorageIntervalsTable;
  discount_codes: DiscountCodesTable;
  code_redemptions: CodeRedemptionsTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  payments: PaymentsTable;
  brands: BrandsTable;
  reseller_prices: ResellerPricesTable;
  reseller_partner_prices: ResellerPartnerPricesTable;
  portal_domain_claims: PortalDomainClaimsTable;
  backups: BackupsTable;
  addon_intervals: AddonIntervalsTable;
  ip_pools: IpPoolsTable;
  ip_addresses: IpAddressesTable;
  server_transfer: ServerTransferTable;
  user_two_factor: UserTwoFactorTable;
  recovery_codes: RecoveryCodesTable;
  pending_logins: PendingLoginsTable;
  two_factor_policies: TwoFactorPoliciesTable;
  image_quotas: ImageQuotasTable;
  image_uploads: ImageUploadsTable;
  image_captures: ImageCapturesTable;
  invitations: InvitationsTable;
  ec2_access_keys: Ec2AccessKeysTable;
  ec2_client_tokens: Ec2ClientTokensTable;
  ec2_tags: Ec2TagsTable;
  federation_identity: FederationIdentityTable;
  federation_invitations: FederationInvitationsTable;
  federation_peers: FederationPeersTable;
  federation_nonces: FederationNoncesTable;
  federation_offers_made: FederationOffersMadeTable;
  federation_offer_made_versions: FederationOfferMadeVersionsTable;
  federation_offers_received: FederationOffersReceivedTable;
  federation_offer_received_versions: FederationOfferReceivedVersionsTable;
  federation_offer_markups: FederationOfferMarkupsTable;
  federation_served_servers: FederationServedServersTable;
  federation_served_images: FederationServedImagesTable;
  remote_servers: RemoteServersTable;
  federation_usage_cursors: FederationUsageCursorsTable;
  federation_usage_records_made: FederationUsageRecordsMadeTable;
  federation_usage_records_received: FederationUsageRecordsReceivedTable;
  federation_usage_flags: FederationUsageFlagsTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type UserRow = Selectable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SiteRow = Selectable<SitesTable>;
export type HostRow = Selectable<HostsTable>;
export type PlanRow = Selectable<PlansTable>;
export type ImageRow = Selectable<ImagesTable>;
export type SshKeyRow = Selectable<SshKeysTable>;
export type ServerRow = Selectable<ServersTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewServer = Insertable<ServersTable>;
export type BackupRow = Selectable<BackupsTable>;
export type IpPoolRow = Selectable<IpPoolsTable>;
export type IpAddressRow = Selectable<IpAddressesTable>;

export interface SiteEnergySettingsTable {
  site_id: string;
  pue_milli: Generated<number>;
  /** A core `Tariff` as JSON; for `hourly` tariffs only `{kind, currency}` (points live in site_energy_prices). */
  tariff: ColumnType<unknown, string | null, string | null>;
  currency: Generated<string>;
  /** A core `CarbonIntensity` as JSON; for `hourly` only its default (points live in site_carbon_intensity). */
  carbon: ColumnType<unknown, string | null, string | null>;
  energy_aware_placement: Generated<boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SiteEnergyPricesTable {
  site_id: string;
  starts_at: Timestamp;
  price_per_mwh_minor: number;
}

export interface SiteCarbonIntensityTable {
  site_id: string;
  starts_at: Timestamp;
  mg_per_kwh: number;
}

export interface EnergyCursorsTable {
  host_id: string;
  boot_id: string;
  last_seq: number;
  dropped: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ServerEnergyTable {
  server_id: string;
  bucket_start: Timestamp;
  bucket_seconds: 300 | 3600;
  host_id: string;
  energy_uj: number;
  active_energy_uj: number;
  cpu_time_us: number;
  estimated: boolean;
  /** Some sample in it was split over the VMs' CPU time only (no host busy time; migration 0017). */
  vm_cpu_only: Generated<boolean>;
  last_power_mw: number;
  last_sample_at: Timestamp;
}

export interface HostEnergyTable {
  host_id: string;
  bucket_start: Timestamp;
  bucket_seconds: 300 | 3600;
  it_energy_uj: number;
  facility_energy_uj: number;
  allocated_uj: number;
  unallocated_uj: number;
  /** The part of unallocated_uj that is the host's own active energy (migration 0017). */
  host_overhead_uj: Generated<number>;
  /** Some sample in it was split over the VMs' CPU time only (no host busy time). */
  vm_cpu_only: Generated<boolean>;
  source_kind: "rapl" | "hwmon" | "model";
  estimated: boolean;
  last_power_mw: number;
  last_sample_at: Timestamp;
}

/** What an image job was asked to do (stored as JSON). */
export interface ImageJobSpec {
  /** Import: the catalog entry to create. */
  name?: string;
  visibility?: "private" | "subtree" | "public";
  os?: string;
  /** Import: where the bytes come from. `upload` files sit in the job's folder. */
  source?: { kind: "upload"; filename?: string } | { kind: "url"; url: string };
  /**
   * URL import: `host:port` entries the fetch may reach although they are not public, vouched
   * for by whoever queued the job, never by a tenant (a federation peer's address, which peering
   * with it allowed: docs/federation.md).
   */
  fetch_allow?: string[];
  /** Import of an image a federation peer sent: the peer (its federation_served_images row names the image). */
  federation_peer_id?: string;
  /** The format the uploader claims; checked against the content. */
  declared_format?: string;
  /** Checksums a provider published for the source file; verified, never trusted. */
  expected_sha256?: string;
  expected_md5?: string;
  /** Import of a root filesystem: root's crypt(3) hash; without it root's password is locked. */
  root_password_hash?: string;
  /** Export: which image, to which format. Capture: the pending image it makes. */
  image_id?: string;
  /** Capture: the server whose disk becomes the image, and the image's description. */
  server_id?: string;
  description?: string;
  format?: "qcow2" | "raw" | "vdi" | "vmdk" | "ova";
}

export interface ImageJobsTable {
  id: string;
  account_id: string;
  user_id: string | null;
  kind: "import" | "export" | "capture";
  state: Generated<"queued" | "running" | "succeeded" | "failed">;
  stage: Generated<string>;
  bytes_done: Generated<number>;
  bytes_total: number | null;
  percent: Generated<number>;
  spec: ColumnType<ImageJobSpec, string, string>;
  image_id: string | null;
  result: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  error: ColumnType<{ check: string; message: string } | null, string | null, string | null>;
  attempts: Generated<number>;
  lease_until: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: Timestamp | null;
  /** When a runner last claimed it (migration 0011): the fair queue orders accounts by it. */
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type ImageJobRow = Selectable<ImageJobsTable>;
