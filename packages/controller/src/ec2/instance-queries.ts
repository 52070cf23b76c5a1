import type { DesiredState, ServerObservedState } from "@layerboom/core";
import { accountInSubtree, escapeLike } from "@layerboom/db";
import { CompiledQuery, sql } from "kysely";
import type { ServiceContext } from "../base/context.js";
import { Ec2Error, invalidParameterValue } from "./errors.js";
import { INSTANCE_ID, LAYERBOOM_ID } from "./ec2-ids.js";
import type { Filter } from "./query-params.js";
import { isInstanceStateName } from "./instance-states.js";

/** EC2 shows a terminated instance for about an hour; so do we. */
const TERMINATED_SHOWN_MS = 60 * 60 * 1000;

/** One instance as DescribeInstances needs it: the server row and what it refers to, in one query. */
export interface InstanceRow {
  id: string;
  ec2_id: string;
  ec2_reservation_id: string | null;
  account_id: string;
  host_id: string | null;
  desired_state: DesiredState;
  observed_state: ServerObservedState;
  created_at: Date;
  deleted_at: Date | null;
  instance_type: string;
  image_ec2_id: string;
  zone: string;
  key_name: string | null;
  public_ipv4: string | null;
  client_token: string | null;
  tags: { key: string; value: string }[];
}

/** The filters DescribeInstances and DescribeInstanceStatus answer (docs/ec2.md). */
export const INSTANCE_FILTERS = [
  "instance-id",
  "instance-state-name",
  "availability-zone",
  "image-id",
  "instance-type",
  "reservation-id",
  "tag-key",
  "tag:",
] as const;

/** Servers deleted after this are still shown, as terminated. */
function terminatedCutoff(now: Date): Date {
  return new Date(now.getTime() - TERMINATED_SHOWN_MS);
}

/** The EC2 state name of a server, in SQL (the same rule as instance-states.ts). */
const STATE_SQL = sql<string>`CASE
  WHEN servers.deleted_at IS NOT NULL OR servers.observed_state = 'deleted' THEN 'terminated'
  WHEN servers.desired_state = 'deleted' THEN 'shutting-down'
  WHEN servers.desired_state = 'stopped' AND servers.observed_state = 'stopped' THEN 'stopped'
  WHEN servers.desired_state = 'stopped' THEN 'stopping'
  WHEN servers.observed_state IN ('running', 'rebooting') THEN 'running'
  ELSE 'pending' END`;

/** Refuses an instance id that is neither EC2's shape nor ours. */
export function checkInstanceIds(ids: string[]): void {
  for (const id of ids)
    if (!INSTANCE_ID.test(id) && !LAYERBOOM_ID.test(id))
      throw new Ec2Error(
        "InvalidInstanceID.Malformed",
        `Invalid id: "${id.slice(0, 64)}" (expecting "i-...").`,
      );
}

/**
 * Whether the caller sees one account's servers: a customer account has no accounts below it
 * (only providers and resellers create accounts), so its subtree is itself.
 */
function oneAccount(ctx: ServiceContext): boolean {
  return ctx.principal.accountKind === "customer";
}

/**
 * Visible servers, before a page is cut from them: the columns the filters, the order and
 * the page's own lookups need, and nothing they refer to yet. A customer's are its account's,
 * read in `servers_account_idx` (account, id) order. The account is `= ANY(array of one)`
 * rather than `= $1`: equality would make it a constant of the order (ORDER BY account_id, id
 * would become ORDER BY id), and a generic plan (`pageSizeInText`), estimated for an average
 * account, then walked `servers_pkey` past every other account's servers (1.9 ms for an account
 * of 3 servers beside one of 10,000, against 0.03 ms through the index); a range of one value
 * would keep the index but make a generic plan guess 50 rows, too dear beside the custom ones
 * to be kept for a page of 100. Another caller's are the accounts under its path.
 */
function visibleServers(ctx: ServiceContext, now: Date) {
  const principal = ctx.principal;
  return ctx.database.db
    .selectFrom("servers")
    .select([
      "servers.id",
      "servers.ec2_id",
      "servers.ec2_reservation_id",
      "servers.account_id",
      "servers.host_id",
      "servers.desired_state",
      "servers.observed_state",
      "servers.created_at",
      "servers.deleted_at",
      "servers.plan_id",
      "servers.image_id",
      "servers.site_id",
    ])
    .where((eb) =>
      oneAccount(ctx)
        ? sql<boolean>`${eb.ref("servers.account_id")} = ANY(${[principal.accountId]})`
        : eb(
            "servers.account_id",
            "in",
            eb.selectFrom("accounts").select("accounts.id").where(accountInSubtree(principal.accountPath)),
          ),
    )
    .where((eb) =>
      eb.or([eb("servers.deleted_at", "is", null), eb("servers.deleted_at", ">", terminatedCutoff(now))]),
    );
}

type ServerPage = ReturnType<typeof visibleServers>;

/**
 * A page of servers (already ordered and limited) with what they refer to. The plan, image and
 * site are joined to the page, after its LIMIT: a page reads its rows in id order and looks up
 * only those (joined before the LIMIT, the planner hashed every server of the account and
 * sorted them), and three tiny tables joined once cost PostgreSQL a third less than a scalar
 * subquery each per row did (docs/benchmarks.md, "bench/ec2").
 */
function withReferences(ctx: ServiceContext, page: ServerPage) {
  return ctx.database.db
    .selectFrom(page.as("s"))
    .innerJoin("plans", "plans.id", "s.plan_id")
    .innerJoin("images", "images.id", "s.image_id")
    .innerJoin("sites", "sites.id", "s.site_id")
    .select([
      "s.id",
      "s.ec2_id",
      "s.ec2_reservation_id",
      "s.account_id",
      "s.host_id",
      "s.desired_state",
      "s.observed_state",
      "s.created_at",
      "s.deleted_at",
      "plans.name as instance_type",
      "images.ec2_id as image_ec2_id",
      "sites.name as zone",
    ])
    .select(
      // The first key by id, in the order of server_ssh_keys' primary key: no sort per row.
      sql<string | null>`(SELECT k.name FROM server_ssh_keys sk JOIN ssh_keys k ON k.id = sk.ssh_key_id
        WHERE sk.server_id = s.id ORDER BY sk.ssh_key_id LIMIT 1)`.as("key_name"),
    )
    .select(
      sql<string | null>`(SELECT a.address FROM ip_addresses a WHERE a.server_id = s.id
        AND a.released_at IS NULL AND a.role = 'primary' LIMIT 1)`.as("public_ipv4"),
    )
    .select(
      sql<string | null>`CASE WHEN s.ec2_reservation_id IS NOT NULL THEN (SELECT t.client_token
        FROM ec2_client_tokens t WHERE t.account_id = s.account_id
        AND t.reservation_id = s.ec2_reservation_id LIMIT 1) END`.as("client_token"),
    )
    .select(
      sql<
        { key: string; value: string }[]
      >`coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value)
        ORDER BY t.key) FROM ec2_tags t WHERE t.account_id = s.account_id AND t.resource_id = s.ec2_id), '[]')`.as(
        "tags",
      ),
    )
    .$if(oneAccount(ctx), (q) => q.orderBy("s.account_id"))
    .orderBy("s.id");
}

/** What findInstances looks for. */
export interface InstanceQuery {
  ids: string[];
  filters: Filter[];
  after?: string | undefined;
  limit: number;
}

/**
 * The query of a page of instances, built and compiled by Kysely; `limitInText` writes the
 * page size into the SQL instead of passing it as a parameter (`pageSizeInText`).
 */
function instancesQuery(
  ctx: ServiceContext,
  now: Date,
  query: InstanceQuery,
  limitInText = false,
): CompiledQuery<InstanceRow> {
  let q = visibleServers(ctx, now);
  if (query.ids.length > 0)
    q = q.where((eb) => eb.or([eb("servers.ec2_id", "in", query.ids), eb("servers.id", "in", query.ids)]));
  for (const f of query.filters) {
    const values = f.values;
    if (f.name === "instance-id")
      q = q.where((eb) => eb.or([eb("servers.ec2_id", "in", values), eb("servers.id", "in", values)]));
    else if (f.name === "availability-zone")
      q = q.where(
        sql<boolean>`servers.site_id IN (SELECT s.id FROM sites s WHERE s.name IN (${sql.join(values)}))`,
      );
    else if (f.name === "image-id")
      q = q.where(
        sql<boolean>`servers.image_id IN (SELECT i.id FROM images i WHERE i.ec2_id IN (${sql.join(values)}) OR i.id IN (${sql.join(values)}))`,
      );
    else if (f.name === "instance-type")
      q = q.where(
        sql<boolean>`servers.plan_id IN (SELECT p.id FROM plans p WHERE p.name IN (${sql.join(values)}))`,
      );
    else if (f.name === "reservation-id")
      q = q.where(
        (eb) =>
          sql<boolean>`coalesce(${eb.ref("servers.ec2_reservation_id")}, 'r-' || substr(${eb.ref("servers.ec2_id")}, 3)) IN (${sql.join(values)})`,
      );
    else if (f.name === "instance-state-name") {
      const bad = values.find((v) => !isInstanceStateName(v));
      if (bad !== undefined)
        throw invalidParameterValue(
          "Filter instance-state-name",
          `"${bad.slice(0, 40)}" is not an instance state.`,
        );
      q = q.where(sql<boolean>`${STATE_SQL} IN (${sql.join(values)})`);
    } else if (f.name === "tag-key")
      q = q.where(
        sql<boolean>`EXISTS (SELECT 1 FROM ec2_tags t WHERE t.account_id = servers.account_id
          AND t.resource_id = servers.ec2_id AND t.key IN (${sql.join(values)}))`,
      );
    else if (f.name.startsWith("tag:")) {
      const key = f.name.slice(4);
      q = q.where(
        sql<boolean>`EXISTS (SELECT 1 FROM ec2_tags t WHERE t.account_id = servers.account_id
          AND t.resource_id = servers.ec2_id AND t.key = ${key} AND t.value IN (${sql.join(values)}))`,
      );
    }
  }
  if (query.after) q = q.where("servers.id", ">", query.after);
  const limit = query.limit + 1;
  return withReferences(
    ctx,
    q
      .$if(oneAccount(ctx), (q) => q.orderBy("servers.account_id"))
      .orderBy("servers.id")
      .limit(limitInText ? sql.lit(limit) : limit),
  ).compile();
}

/** At most this many page sizes get a plain page's statement of their own (`pageSizeInText`). */
const PAGE_SIZES_IN_TEXT = 4;
const pageSizesInText = new Set<number>();

/**
 * Whether a customer's plain page of `limit` rows has its size written into its SQL. PostgreSQL
 * keeps a prepared statement on its generic plan only when that plan's estimate is no dearer
 * than the custom plans' (with their planning); with `LIMIT $n` the generic plan assumes the
 * page is a tenth of the rows it is cut from (500 of an estimated 5,000, cost 145 where a custom
 * plan for a page of 5 costs 5), so it lost every time and every call was planned afresh:
 * 0.3–0.5 ms, more than running a page of 5.
 * With the size in the text the generic plan is the custom one, and from the sixth call on a
 * connection the statement is not planned again (docs/benchmarks.md, "bench/ec2").
 *
 * Only a customer's page: its generic plan reads `servers_account_idx` (account, id) from the
 * account's first row, right for an account of any size. A subtree's generic plan would have
 * to guess how many accounts the path pattern matches, and a provider's page planned for a
 * few would read and sort every server; it keeps custom plans.
 *
 * Each size is a statement of its own on every pooled connection (about 330 KB of plan cache
 * each), which a caller choosing `MaxResults` must not multiply: the first few sizes this
 * process serves get one (clients keep to one or two; awscli's default is 1,000), any other
 * size the parameter.
 */
function pageSizeInText(ctx: ServiceContext, limit: number): boolean {
  if (!oneAccount(ctx)) return false;
  if (pageSizesInText.has(limit)) return true;
  if (pageSizesInText.size >= PAGE_SIZES_IN_TEXT) return false;
  pageSizesInText.add(limit);
  return true;
}

/**
 * The SQL of a plain page (no ids, no filters: every DescribeInstances without them, and each
 * of its pages), by shape: a customer's or a subtree's, with or without `after`, its size in the
 * text or a parameter. It is the same text for every caller of a shape, so Kysely builds and
 * compiles it once rather than on every request; `null` where its parameters were not the ones
 * `plainPageParameters` computes, and it is compiled each time instead.
 */
const plainPageSql = new Map<string, string | null>();

/**
 * A plain page's parameters, in the order of its SQL: the caller's account (a customer's, as an
 * array of one) or subtree, the cutoff, `after`, and the limit unless it is in the text.
 */
function plainPageParameters(
  ctx: ServiceContext,
  now: Date,
  query: InstanceQuery,
  limitInText: boolean,
): unknown[] {
  return [
    oneAccount(ctx) ? [ctx.principal.accountId] : `${escapeLike(ctx.principal.accountPath)}%`,
    terminatedCutoff(now),
    ...(query.after ? [query.after] : []),
    ...(limitInText ? [] : [query.limit + 1]),
  ];
}

function sameParameter(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return sameParameters(a, b);
  return a === b;
}

function sameParameters(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => sameParameter(value, b[i]));
}

/** The query of a page: from the compiled text when it is a plain page, else from Kysely. */
function pageQuery(ctx: ServiceContext, now: Date, query: InstanceQuery): CompiledQuery<InstanceRow> {
  if (query.ids.length > 0 || query.filters.length > 0) return instancesQuery(ctx, now, query);
  const limitInText = pageSizeInText(ctx, query.limit);
  const shape = [
    oneAccount(ctx) ? "account" : "subtree",
    query.after ? "after" : "first",
    limitInText ? query.limit : "$",
  ].join(" ");
  const parameters = plainPageParameters(ctx, now, query, limitInText);
  const text = plainPageSql.get(shape);
  if (text) return CompiledQuery.raw(text, parameters);
  const compiled = instancesQuery(ctx, now, query, limitInText);
  if (text === undefined)
    plainPageSql.set(shape, sameParameters(compiled.parameters, parameters) ? compiled.sql : null);
  return compiled;
}

/** A page of instances: rows after `after` (a server id), at most `limit`. */
export async function findInstances(
  ctx: ServiceContext,
  query: InstanceQuery,
): Promise<{ rows: InstanceRow[]; nextAfter: string | null }> {
  const compiled = pageQuery(ctx, new Date(), query);
  // Planning this query cost several times more than running it (seven subplans): without
  // filters, the shape of every plain DescribeInstances and of its pages, it is prepared once
  // per connection (docs/architecture.md, "Prepared statements"), and its generic plan kept
  // where the page size is in its text (pageSizeInText).
  const rows =
    query.filters.length === 0
      ? await ctx.database.prepared(compiled)
      : (await ctx.database.db.executeQuery(compiled)).rows;
  const page = rows.slice(0, query.limit);
  return { rows: page, nextAfter: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
}

/**
 * The instances named by `ids`, every one of them visible, or `InvalidInstanceID.NotFound`
 * naming those that are not: another tenant's id reads exactly as one that does not exist.
 */
export async function instancesByIds(ctx: ServiceContext, ids: string[]): Promise<InstanceRow[]> {
  checkInstanceIds(ids);
  const { rows } = await findInstances(ctx, { ids, filters: [], limit: 1000 });
  const missing = ids.filter((id) => !rows.some((r) => r.ec2_id === id || r.id === id));
  if (missing.length > 0)
    throw new Ec2Error(
      "InvalidInstanceID.NotFound",
      `The instance ID${missing.length > 1 ? "s" : ""} '${missing.join(", ")}' ${missing.length > 1 ? "do" : "does"} not exist`,
    );
  return ids.map((id) => rows.find((r) => r.ec2_id === id || r.id === id)!);
}
