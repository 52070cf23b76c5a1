import { InvalidInputError, requireProviderAdmin } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import type { SecretBox } from "../base/secret-box.js";
import { fingerprintOf, generateKeyPair, privateKeyFromPkcs8 } from "./keys.js";
import type { SigningIdentity } from "./message-signatures.js";

/** What the private key is sealed against, so a sealed key copied elsewhere does not open. */
const SEAL_CONTEXT = "federation-identity:1";

/** The protocol a profile speaks; a later version changes what the messages look like. */
export const FEDERATION_PROTOCOL = "layerboom-federation/1";

/** This installation as peers see it at GET /federation/v1/profile. */
export interface FederationProfile {
  protocol: typeof FEDERATION_PROTOCOL;
  name: string;
  /** The base URL peers reach it at; null until a provider admin sets it. */
  url: string | null;
  /** The raw Ed25519 public key, base64url. */
  public_key: string;
  fingerprint: string;
  jurisdictions: string[];
  contact: string;
}

/** What a provider admin sets of the profile. */
export interface ProfileInput {
  name?: string | undefined;
  url?: string | undefined;
  jurisdictions?: string[] | undefined;
  contact?: string | undefined;
}

/**
 * Makes this installation's key pair if it has none: once, at first start. Several replicas
 * starting together race on the one row; the first insert wins and the others keep it.
 */
export async function ensureIdentity(db: Kysely<Schema>, secretBox: SecretBox): Promise<void> {
  const existing = await db
    .selectFrom("federation_identity")
    .select("id")
    .where("id", "=", 1)
    .executeTakeFirst();
  if (existing) return;
  const pair = generateKeyPair();
  await db
    .insertInto("federation_identity")
    .values({
      id: 1,
      public_key: pair.publicKey,
      fingerprint: fingerprintOf(pair.publicKey),
      private_key_sealed: secretBox.seal(pair.privateKeyPkcs8, SEAL_CONTEXT),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

async function identityRow(db: Kysely<Schema>) {
  return db.selectFrom("federation_identity").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
}

function toProfile(row: Awaited<ReturnType<typeof identityRow>>): FederationProfile {
  return {
    protocol: FEDERATION_PROTOCOL,
    name: row.name,
    url: row.url,
    public_key: row.public_key,
    fingerprint: row.fingerprint,
    jurisdictions: row.jurisdictions,
    contact: row.contact,
  };
}

/** The public profile; the identity is made first if this is the first call. */
export async function getProfile(db: Kysely<Schema>, secretBox: SecretBox): Promise<FederationProfile> {
  await ensureIdentity(db, secretBox);
  return toProfile(await identityRow(db));
}

/** The profile and the key that signs this installation's requests. */
export async function loadSigningIdentity(
  db: Kysely<Schema>,
  secretBox: SecretBox,
): Promise<{ profile: FederationProfile; signing: SigningIdentity }> {
  await ensureIdentity(db, secretBox);
  const row = await identityRow(db);
  const privateKey = privateKeyFromPkcs8(secretBox.open(row.private_key_sealed, SEAL_CONTEXT));
  return { profile: toProfile(row), signing: { keyId: row.fingerprint, privateKey } };
}

/** A profile URL as peers will call it: http(s), no credentials, path, query or fragment. */
export function normaliseBaseUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  if (url.pathname !== "/" && url.pathname !== "") return undefined;
  return url.origin;
}

/** A provider admin sets the profile's name, URL, jurisdictions and contact. */
export async function updateProfile(
  ctx: ServiceContext,
  secretBox: SecretBox,
  input: ProfileInput,
): Promise<FederationProfile> {
  requireProviderAdmin(ctx.principal, "change the federation profile");
  let url: string | undefined;
  if (input.url !== undefined) {
    url = normaliseBaseUrl(input.url);
    if (!url)
      throw new InvalidInputError(
        "url",
        `"${input.url}" is not a base URL: give http(s)://host[:port] with no path, query or credentials.`,
      );
  }
  await ensureIdentity(ctx.database.db, secretBox);
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("federation_identity")
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(url !== undefined ? { url } : {}),
        ...(input.jurisdictions !== undefined
          ? { jurisdictions: JSON.stringify([...new Set(input.jurisdictions)]) }
          : {}),
        ...(input.contact !== undefined ? { contact: input.contact } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", 1)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "federation.profile.update",
      resourceType: "federation_profile",
      resourceId: row.fingerprint,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { ...input },
    });
    return toProfile(row);
  });
}
