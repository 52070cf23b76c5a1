import { ConflictError, InvalidInputError } from "@layerboom/core";
import type { SshKeyRow } from "@layerboom/db";
import { createSshKey, deleteSshKey } from "../ssh-keys/ssh-keys.js";
import type { ServiceContext } from "../base/context.js";
import type { Ec2Action } from "./ec2-call.js";
import { Ec2Error, invalidParameterValue } from "./errors.js";
import { putTags, tagSpecifications } from "./tags.js";
import { xmlList } from "./xml.js";

/** Key pairs are the caller's own account's SSH keys, by name. */
function ownKeys(ctx: ServiceContext) {
  return ctx.database.db.selectFrom("ssh_keys").selectAll().where("account_id", "=", ctx.principal.accountId);
}

/** The SSH key named `name` in the caller's account, or InvalidKeyPair.NotFound. */
export async function keyPairByName(ctx: ServiceContext, name: string): Promise<SshKeyRow> {
  const key = await ownKeys(ctx).where("name", "=", name).orderBy("id").executeTakeFirst();
  if (!key)
    throw new Ec2Error("InvalidKeyPair.NotFound", `The key pair '${name.slice(0, 255)}' does not exist`);
  return key;
}

function keyType(publicKey: string): string {
  return publicKey.startsWith("ssh-ed25519") ? "ed25519" : "rsa";
}

async function tagsOf(ctx: ServiceContext, ids: string[]) {
  if (ids.length === 0) return [];
  return ctx.database.db
    .selectFrom("ec2_tags")
    .select(["resource_id", "key", "value"])
    .where("account_id", "=", ctx.principal.accountId)
    .where("resource_id", "in", ids)
    .orderBy("key")
    .execute();
}

export const importKeyPair: Ec2Action = {
  group: "ssh-keys",
  access: "write",
  async run({ ctx, params }) {
    const name = params.required("KeyName");
    if (name.length > 255) throw invalidParameterValue("KeyName", "at most 255 characters.");
    const material = Buffer.from(params.required("PublicKeyMaterial"), "base64").toString("utf8");
    const tags = tagSpecifications(params, "key-pair");
    if (await ownKeys(ctx).where("name", "=", name).executeTakeFirst())
      throw new Ec2Error("InvalidKeyPair.Duplicate", `The keypair '${name}' already exists.`);
    let key: SshKeyRow;
    try {
      key = await createSshKey(ctx, { name, public_key: material });
    } catch (err) {
      if (err instanceof ConflictError)
        throw new Ec2Error(
          "InvalidKeyPair.Duplicate",
          `This public key is already imported in this account under another name.`,
        );
      if (err instanceof InvalidInputError)
        throw new Ec2Error(
          "InvalidKeyPair.Format",
          `Key is not in valid OpenSSH public key format: ${err.message}`,
        );
      throw err;
    }
    await putTags(ctx.database.db, key.account_id, key.ec2_id, tags);
    return {
      keyFingerprint: key.fingerprint,
      keyName: key.name,
      keyPairId: key.ec2_id,
      tagSet: tags.length > 0 ? xmlList(tags) : undefined,
    };
  },
};

export const describeKeyPairs: Ec2Action = {
  group: "ssh-keys",
  access: "read",
  async run({ ctx, params }) {
    const names = params.list("KeyName");
    const ids = params.list("KeyPairId");
    const withPublicKey = params.boolean("IncludePublicKey");
    let q = ownKeys(ctx);
    if (names.length > 0) q = q.where("name", "in", names);
    if (ids.length > 0) q = q.where("ec2_id", "in", ids);
    const keys = await q.orderBy("name").orderBy("id").execute();
    const missing = [
      ...names.filter((n) => !keys.some((k) => k.name === n)),
      ...ids.filter((i) => !keys.some((k) => k.ec2_id === i)),
    ];
    if (missing.length > 0)
      throw new Ec2Error(
        "InvalidKeyPair.NotFound",
        `The key pair '${missing[0]!.slice(0, 255)}' does not exist`,
      );
    const tags = await tagsOf(
      ctx,
      keys.map((k) => k.ec2_id),
    );
    return {
      keySet: xmlList(
        keys.map((k) => {
          const own = tags
            .filter((t) => t.resource_id === k.ec2_id)
            .map((t) => ({ key: t.key, value: t.value }));
          return {
            keyPairId: k.ec2_id,
            keyFingerprint: k.fingerprint,
            keyName: k.name,
            keyType: keyType(k.public_key),
            tagSet: own.length > 0 ? xmlList(own) : undefined,
            publicKey: withPublicKey ? k.public_key : undefined,
            createTime: k.created_at,
          };
        }),
      ),
    };
  },
};

/** Deletes a key pair by name or id; one that does not exist is no error, as on EC2. */
export const deleteKeyPair: Ec2Action = {
  group: "ssh-keys",
  access: "write",
  async run({ ctx, params }) {
    const name = params.string("KeyName");
    const id = params.string("KeyPairId");
    if (name === undefined && id === undefined)
      throw new Ec2Error("MissingParameter", "The request must contain the parameter KeyName or KeyPairId.");
    let q = ownKeys(ctx);
    if (name !== undefined) q = q.where("name", "=", name);
    if (id !== undefined) q = q.where("ec2_id", "=", id);
    for (const key of await q.execute()) {
      await deleteSshKey(ctx, key.id);
      await ctx.database.db
        .deleteFrom("ec2_tags")
        .where("account_id", "=", key.account_id)
        .where("resource_id", "=", key.ec2_id)
        .execute();
    }
    return { return: true };
  },
};
