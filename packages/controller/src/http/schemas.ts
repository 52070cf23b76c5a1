import { Type } from "@sinclair/typebox";
import type { TObject, TProperties, TSchema } from "@sinclair/typebox";
import { MAX_MONEY_MINOR, MAX_REQUIRED_JURISDICTIONS, TOKEN_SCOPES } from "@layerboom/core";
import {
  AcceleratorSchema,
  DesiredStateSchema,
  LiteralUnion,
  ORPHAN_ACTIONS,
  ServerObservedStateSchema,
} from "@layerboom/core/schemas";

/** Every body and query object rejects unknown fields. */
export function Strict<T extends TProperties>(
  properties: T,
  options: { description?: string } = {},
): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** Dates leave the service layer as Date objects; the serializer writes them as RFC 3339 strings. */
export const Timestamp = Type.Unsafe<Date>({ type: "string", format: "date-time" });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParam = Strict({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z]+_[0-9a-z]+$" }),
});

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: "Error", description: "Every error has this shape." },
);

/** Query parameters shared by every list. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: "next_cursor from the previous page" })),
};

/** A page of items with the cursor of the next page (null on the last one). */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), next_cursor: Nullable(Type.String()) });
}

export const Name = Type.String({ minLength: 1, maxLength: 100 });

/**
 * Every amount of money the API accepts, in integer minor units: never negative, never above
 * MAX_MONEY_MINOR, so no sum of them can leave the range the database layer reads back.
 */
export const MoneyMinor = (
  options: { minimum?: number; maximum?: number; default?: number; description?: string } = {},
) =>
  Type.Integer({
    minimum: Math.max(options.minimum ?? 0, -MAX_MONEY_MINOR),
    maximum: Math.min(options.maximum ?? MAX_MONEY_MINOR, MAX_MONEY_MINOR),
    description: options.description ?? "Integer minor units (cents)",
    ...(options.default === undefined ? {} : { default: options.default }),
  });
/** Deliberately loose (local@domain): "admin@localhost" is a real address on an install. */
export const Email = Type.String({ pattern: "^[^\\s@]+@[^\\s@]+$", maxLength: 254 });
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const AccountKindSchema = Type.Union([
  Type.Literal("provider"),
  Type.Literal("reseller"),
  Type.Literal("customer"),
]);
export const RoleSchema = Type.Union([
  Type.Literal("provider-admin"),
  Type.Literal("reseller-admin"),
  Type.Literal("customer-admin"),
  Type.Literal("customer-member"),
]);

/**
 * Data residency (docs/placement.md): the account's servers may only run at sites whose
 * jurisdiction lies within one of these codes. Loose here, checked code by code in core, so
 * that a bad code is named in the error rather than a pattern.
 */
export const RequiredJurisdictions = Type.Array(Type.String({ maxLength: 64 }), {
  maxItems: MAX_REQUIRED_JURISDICTIONS,
  description:
    "ISO 3166-1 alpha-2 or ISO 3166-2 codes (CA, CA-QC); a site must lie within one of them. Empty: no requirement",
});

export const Account = Type.Object({
  id: Type.String(),
  kind: AccountKindSchema,
  parent_id: Nullable(Type.String()),
  name: Type.String(),
  slug: Type.String(),
  required_jurisdictions: Type.Array(Type.String(), {
    description: "Where its servers must stay (ISO 3166 codes); empty: no requirement (docs/placement.md)",
  }),
  created_at: Timestamp,
});

export const User = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  created_at: Timestamp,
  disabled_at: NullableTimestamp,
});

/** One scope of core's vocabulary (docs/security.md, "API tokens and scopes"). */
export const TokenScopeSchema = Type.Union(
  TOKEN_SCOPES.map((s) => Type.Literal(s)),
  { description: "full, read, <group> or <group>:read" },
);
const TokenScopes = Type.Array(TokenScopeSchema, { description: "What the token may do" });

export const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: TokenScopes,
  created_at: Timestamp,
  expires_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
  last_used_at: NullableTimestamp,
});

export const NewToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String({ description: "The secret. Shown once; store it now." }),
  scopes: TokenScopes,
  created_at: Timestamp,
  expires_at: NullableTimestamp,
});

export const Site = Type.Object({
  id: Type.String(),
  name: Type.String(),
  country_code: Type.String(),
  region_code: Type.String(),
  jurisdiction: Type.String(),
  time_zone: Type.String(),
  ec2_region: Type.Optional(
    Type.String({
      description: "The EC2 API's region; the site is its availability zone of the same name (docs/ec2.md)",
    }),
  ),
  public_ipv4: Type.Optional(
    Type.Boolean({ description: "Its servers get public IPv4 addresses, and can have extra ones" }),
  ),
  created_at: Timestamp,
});

export const Plan = Type.Object({
  id: Type.String(),
  name: Type.String(),
  vcpus: Type.Integer(),
  memory_mib: Type.Integer(),
  disk_gib: Type.Integer(),
  transfer_gib: Type.Integer(),
  hourly_price_minor: Type.Integer({ description: "Integer minor units (cents)" }),
  monthly_cap_minor: Type.Integer({ description: "Integer minor units (cents)" }),
  backups_price_percent: Type.Integer({
    description: "Backups add-on: this percentage of the server's charge and of the monthly cap",
  }),
  extra_ipv4_monthly_minor: Type.Integer({
    description: "One extra IPv4 address for a month, billed by the hour it is held (docs/networking.md)",
  }),
  transfer_overage_minor_per_gib: Type.Integer({
    description: "Each GiB a server sends beyond its share of transfer_gib in a month",
  }),
  currency: Type.String(),
  active: Type.Boolean(),
  created_at: Timestamp,
});

export const ImageVisibility = Type.Union([
  Type.Literal("private"),
  Type.Literal("subtree"),
  Type.Literal("public"),
]);

export const Image = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  name: Type.String(),
  visibility: ImageVisibility,
  os: Type.String(),
  arch: Type.String(),
  format: Type.String(),
  status: Type.String(),
  size_bytes: Nullable(Type.Integer()),
  sha256: Nullable(Type.String()),
  md5: Nullable(Type.String()),
  source: Type.String(),
  pipeline: Type.Optional(
    Type.Array(Type.Object({ step: Type.String() }, { additionalProperties: true }), {
      description: "What the import pipeline did, in order",
    }),
  ),
  created_at: Timestamp,
});

export const SshKey = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  name: Type.String(),
  public_key: Type.String(),
  fingerprint: Type.String(),
  created_at: Timestamp,
});

/** Server states are core's vocabulary (packages/core/src/servers.ts); the API only shows them. */
export { DesiredStateSchema };

export const Server = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  name: Type.String(),
  site_id: Type.String(),
  host_id: Nullable(Type.String()),
  plan_id: Type.String(),
  image_id: Type.String(),
  ssh_key_ids: Type.Array(Type.String()),
  desired_state: DesiredStateSchema,
  observed_state: ServerObservedStateSchema,
  observed_at: NullableTimestamp,
  addresses: Type.Array(
    Type.Object({
      kind: Type.String({
        description: "ipv4 (public, from the site's pool) or ssh-forward (private networking)",
      }),
      address: Type.String(),
      port: Type.Optional(Type.Integer()),
      role: Type.Optional(Type.Union([Type.Literal("primary"), Type.Literal("extra")])),
      prefix: Type.Optional(Type.Integer()),
    }),
    { description: "Public IPv4 addresses first, the primary one leading" },
  ),
  generation: Type.Integer({ description: "Bumped by every change of desired state" }),
  observed_generation: Type.Integer({ description: "The generation the host's agent last acted on" }),
  observed_error: Nullable(Type.String()),
  backups_enabled: Type.Boolean({ description: "Daily backups, a paid add-on (docs/backups.md)" }),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const Backup = Type.Object({
  id: Type.String(),
  server_id: Type.String(),
  account_id: Type.String(),
  state: Type.Union(
    [Type.Literal("pending"), Type.Literal("available"), Type.Literal("failed"), Type.Literal("deleting")],
    { description: "pending until the host has the file; deleting until the host has removed it" },
  ),
  kind: Type.Union([Type.Literal("scheduled"), Type.Literal("manual")]),
  size_bytes: Nullable(Type.Integer()),
  requested_at: Timestamp,
  completed_at: NullableTimestamp,
  error: Nullable(Type.String()),
});

export const HostStateSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("up"),
  Type.Literal("down"),
  Type.Literal("removed"),
]);

export const Host = Type.Object({
  id: Type.String(),
  site_id: Type.String(),
  name: Type.String(),
  state: HostStateSchema,
  accelerator: Nullable(AcceleratorSchema),
  hostname: Type.String(),
  agent_version: Type.String(),
  cpu_cores: Type.Integer(),
  memory_mib: Type.Integer(),
  disk_gib: Type.Integer(),
  used_vcpus: Type.Integer(),
  used_memory_mib: Type.Integer(),
  used_disk_gib: Type.Integer(),
  server_count: Type.Integer(),
  orphans: Type.Array(
    Type.Object({
      vm_id: Type.String(),
      pid: Type.Optional(Type.Integer()),
      action: LiteralUnion(ORPHAN_ACTIONS),
    }),
    { description: "VMs on the host that no server owns, as the agent last reported them" },
  ),
  bridges: Type.Array(Type.String(), {
    description: "Bridges the host's agent may attach servers to (docs/networking.md)",
  }),
  join_expires_at: NullableTimestamp,
  connected_at: NullableTimestamp,
  last_heartbeat_at: NullableTimestamp,
  created_at: Timestamp,
});

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actor_user_id: Nullable(Type.String()),
  account_id: Type.String(),
  action: Type.String(),
  resource_type: Type.String(),
  resource_id: Type.String(),
  request_id: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

/** Standard error responses, documented on every route. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  429: ErrorBody,
} as const;

export const IpPool = Type.Object({
  id: Type.String(),
  site_id: Type.String(),
  cidr: Type.String({ description: "The network, e.g. 203.0.113.0/24" }),
  gateway: Type.String(),
  first_address: Type.String({ description: "The first address handed out" }),
  last_address: Type.String({ description: "The last address handed out" }),
  bridge: Type.String({ description: "The Linux bridge carrying this network on every host of the site" }),
  nameservers: Type.Array(Type.String()),
  size: Type.Integer({ description: "Addresses the pool hands out (its range less the gateway)" }),
  in_use: Type.Integer({ description: "Addresses held by servers now" }),
  created_at: Timestamp,
});

export const ServerIpv4 = Type.Object({
  address: Type.String(),
  role: Type.Union([Type.Literal("primary"), Type.Literal("extra")]),
  prefix: Type.Integer(),
  gateway: Type.String(),
});

export const AddressChange = Type.Object({
  address: Type.String(),
  role: Type.Literal("extra"),
  applies_on_reboot: Type.Literal(true, {
    description: "The guest configures the changed list at its next boot",
  }),
  addresses: Type.Array(ServerIpv4),
});

export const ServerTransfer = Type.Object({
  server_id: Type.String(),
  month: Type.String({ description: "YYYY-MM in the account's billing time zone" }),
  out_bytes: Type.Integer({ description: "Bytes the server sent (billed beyond the allowance)" }),
  in_bytes: Type.Integer({ description: "Bytes the server received (free)" }),
  allowance_bytes: Type.Integer({
    description:
      "The plan's monthly transfer_gib in bytes, prorated by the time the server existed in the month",
  }),
  overage_bytes: Type.Integer({ description: "Bytes sent beyond the allowance so far" }),
  overage_minor: Type.Integer({ description: "What they cost so far, in minor units of currency" }),
  currency: Type.String(),
  days: Type.Array(
    Type.Object({ date: Type.String(), out_bytes: Type.Integer(), in_bytes: Type.Integer() }),
    { description: "Per day, in the billing time zone" },
  ),
});
