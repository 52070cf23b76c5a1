import { accountInSubtree } from "@layerboom/db";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { ServiceContext } from "../base/context.js";
import { recordAudit } from "../base/audit.js";
import type { Ec2Action } from "./ec2-call.js";
import { Ec2Error, invalidParameterValue, missingParameter } from "./errors.js";
import { checkFilters, hasControlCharacter } from "./query-params.js";
import type { Ec2Params } from "./query-params.js";
import { xmlList } from "./xml.js";

/** A tag as EC2 spells it. */
export type Tag = { key: string; value: string };

const MAX_TAGS_PER_RESOURCE = 50;

/** Reads `Tag.N.Key` / `Tag.N.Value` of `params` (or of a TagSpecification), checking EC2's limits. */
export function readTags(params: Ec2Params): Tag[] {
  const tags = params.structs("Tag").map((t) => {
    const key = t.required("Key");
    const value = t.string("Value");
    if (key.length > 128 || hasControlCharacter(key))
      throw invalidParameterValue("Tag.Key", "at most 128 printable characters.");
    if (key.toLowerCase().startsWith("aws:"))
      throw invalidParameterValue("Tag.Key", 'the "aws:" prefix is reserved.');
    if (value !== undefined && (value.length > 256 || hasControlCharacter(value)))
      throw invalidParameterValue("Tag.Value", "at most 256 printable characters.");
    return { key, value: value ?? "" };
  });
  if (tags.length > MAX_TAGS_PER_RESOURCE)
    throw invalidParameterValue("Tag", `at most ${MAX_TAGS_PER_RESOURCE} tags.`);
  return tags;
}

/** The tags of `TagSpecification.N` for one resource type (`instance`, `key-pair`). */
export function tagSpecifications(params: Ec2Params, resourceType: string): Tag[] {
  const tags: Tag[] = [];
  for (const spec of params.structs("TagSpecification")) {
    const type = spec.required("ResourceType");
    if (type !== resourceType)
      throw invalidParameterValue(
        "TagSpecification.ResourceType",
        `"${type.slice(0, 40)}" cannot be tagged here; use "${resourceType}".`,
      );
    tags.push(...readTags(spec));
  }
  return tags;
}

/** Writes tags on a resource owned by `accountId` (a new value replaces the old). */
export async function putTags(
  db: Kysely<Schema>,
  accountId: string,
  resourceId: string,
  tags: Tag[],
): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto("ec2_tags")
    .values(tags.map((t) => ({ account_id: accountId, resource_id: resourceId, key: t.key, value: t.value })))
    .onConflict((oc) =>
      oc
        .columns(["account_id", "resource_id", "key"])
        .doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })),
    )
    .execute();
}

type ResourceType = "instance" | "image" | "key-pair";

function resourceTypeOf(id: string): ResourceType | undefined {
  if (/^i-[0-9a-f]{8,17}$/.test(id)) return "instance";
  if (/^ami-[0-9a-f]{8,17}$/.test(id)) return "image";
  if (/^key-[0-9a-f]{17}$/.test(id)) return "key-pair";
  return undefined;
}

/**
 * The owning account of each resource the caller may tag: its own (or its subtree's)
 * instances, images and key pairs. Anything else is not found, another tenant's included.
 */
async function ownersOf(
  ctx: ServiceContext,
  ids: string[],
): Promise<Map<string, { accountId: string; accountPath: string }>> {
  const db = ctx.database.db;
  const byType = (t: ResourceType) => ids.filter((id) => resourceTypeOf(id) === t);
  const owners = new Map<string, { accountId: string; accountPath: string }>();
  const add = (rows: { ec2_id: string; account_id: string; path: string }[]) => {
    for (const r of rows) owners.set(r.ec2_id, { accountId: r.account_id, accountPath: r.path });
  };
  const instances = byType("instance");
  if (instances.length > 0)
    add(
      await db
        .selectFrom("servers")
        .innerJoin("accounts", "accounts.id", "servers.account_id")
        .select(["servers.ec2_id", "servers.account_id", "accounts.path"])
        .where("servers.ec2_id", "in", instances)
        .where("servers.deleted_at", "is", null)
        .where(accountInSubtree(ctx.principal.accountPath))
        .execute(),
    );
  const images = byType("image");
  if (images.length > 0)
    add(
      await db
        .selectFrom("images")
        .innerJoin("accounts", "accounts.id", "images.account_id")
        .select(["images.ec2_id", "images.account_id", "accounts.path"])
        .where("images.ec2_id", "in", images)
        .where("images.deleted_at", "is", null)
        .where(accountInSubtree(ctx.principal.accountPath))
        .execute(),
    );
  const keys = byType("key-pair");
  if (keys.length > 0)
    add(
      await db
        .selectFrom("ssh_keys")
        .innerJoin("accounts", "accounts.id", "ssh_keys.account_id")
        .select(["ssh_keys.ec2_id", "ssh_keys.account_id", "accounts.path"])
        .where("ssh_keys.ec2_id", "in", keys)
        .where(accountInSubtree(ctx.principal.accountPath))
        .execute(),
    );
  for (const id of ids) {
    if (owners.has(id)) continue;
    const type = resourceTypeOf(id);
    if (type === "instance")
      throw new Ec2Error("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
    if (type === "image")
      throw new Ec2Error("InvalidAMIID.NotFound", `The image id '[${id}]' does not exist`);
    if (type === "key-pair")
      throw new Ec2Error("InvalidKeyPair.NotFound", `The key pair '${id}' does not exist`);
    throw new Ec2Error("InvalidID", `The ID '${id.slice(0, 64)}' is not valid`);
  }
  return owners;
}

async function changeTags(
  ctx: ServiceContext,
  params: Ec2Params,
  change: "create" | "delete",
): Promise<void> {
  const ids = params.list("ResourceId");
  if (ids.length === 0) throw missingParameter("ResourceId");
  if (ids.length > 1000) throw invalidParameterValue("ResourceId", "at most 1000 resources.");
  const tags =
    change === "create"
      ? readTags(params)
      : params.structs("Tag").map((t) => ({ key: t.required("Key"), value: t.string("Value") }));
  if (change === "create" && tags.length === 0) throw missingParameter("Tag");
  const owners = await ownersOf(ctx, ids);
  await ctx.database.db.transaction().execute(async (trx) => {
    for (const [resourceId, owner] of owners) {
      if (change === "create")
        await putTags(
          trx,
          owner.accountId,
          resourceId,
          tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
        );
      else {
        let q = trx
          .deleteFrom("ec2_tags")
          .where("account_id", "=", owner.accountId)
          .where("resource_id", "=", resourceId);
        // Without Tag.N, DeleteTags removes every tag of the resource (EC2's rule).
        if (tags.length > 0)
          q = q.where((eb) =>
            eb.or(
              tags.map((t) =>
                t.value === undefined
                  ? eb("key", "=", t.key)
                  : eb.and([eb("key", "=", t.key), eb("value", "=", t.value)]),
              ),
            ),
          );
        await q.execute();
      }
      await recordAudit(trx, ctx, {
        action: `ec2_tags.${change}`,
        resourceType: resourceTypeOf(resourceId) ?? "resource",
        resourceId,
        accountId: owner.accountId,
        accountPath: owner.accountPath,
        details: { keys: tags.map((t) => t.key) },
      });
    }
  });
}

export const createTags: Ec2Action = {
  group: "servers",
  access: "write",
  async run({ ctx, params }) {
    await changeTags(ctx, params, "create");
    return { return: true };
  },
};

export const deleteTags: Ec2Action = {
  group: "servers",
  access: "write",
  async run({ ctx, params }) {
    await changeTags(ctx, params, "delete");
    return { return: true };
  },
};

const TAG_FILTERS = ["resource-id", "resource-type", "key", "value"] as const;

export const describeTags: Ec2Action = {
  group: "servers",
  access: "read",
  async run({ ctx, params }) {
    const filters = params.filters();
    checkFilters(filters, TAG_FILTERS);
    const limit = params.integer("MaxResults", { min: 5, max: 1000 }) ?? 1000;
    let q = ctx.database.db
      .selectFrom("ec2_tags")
      .innerJoin("accounts", "accounts.id", "ec2_tags.account_id")
      .select(["ec2_tags.resource_id", "ec2_tags.key", "ec2_tags.value"])
      .where(accountInSubtree(ctx.principal.accountPath));
    for (const f of filters) {
      if (f.name === "resource-id") q = q.where("ec2_tags.resource_id", "in", f.values);
      else if (f.name === "key") q = q.where("ec2_tags.key", "in", f.values);
      else if (f.name === "value") q = q.where("ec2_tags.value", "in", f.values);
      else if (f.name === "resource-type") {
        const prefixes = f.values.map((v) => ({ instance: "i-", image: "ami-", "key-pair": "key-" })[v]);
        if (prefixes.some((p) => p === undefined))
          throw invalidParameterValue("Filter resource-type", "one of instance, image, key-pair.");
        q = q.where((eb) => eb.or(prefixes.map((p) => eb("ec2_tags.resource_id", "like", `${p}%`))));
      }
    }
    const rows = await q.orderBy("ec2_tags.resource_id").orderBy("ec2_tags.key").limit(limit).execute();
    return {
      tagSet: xmlList(
        rows.map((r) => ({
          resourceId: r.resource_id,
          resourceType: resourceTypeOf(r.resource_id),
          key: r.key,
          value: r.value,
        })),
      ),
    };
  },
};
