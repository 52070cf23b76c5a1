import { sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { InvalidInputError, MAX_MONEY_MINOR } from "@layerboom/core";
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { SigningIdentity } from "./message-signatures.js";

/** The kind and version of an offer document; a later protocol changes what it holds. */
export const OFFER_DOCUMENT_TYPE = "layerboom-offer/1";

/**
 * What an offer's signature covers: this line, then the document's exact bytes. The prefix keeps
 * an offer signature from ever being mistaken for the signature of anything else the key signs.
 */
const SIGNED_PREFIX = Buffer.from(`${OFFER_DOCUMENT_TYPE}\n`);

/** The most an offer document may weigh: well under the protocol routes' 64 KiB body limit. */
export const MAX_OFFER_DOCUMENT_BYTES = 48 * 1024;

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z]+_[0-9a-z]+$" });
const Money = Type.Integer({ minimum: 0, maximum: MAX_MONEY_MINOR });
/** An RFC 3339 instant in UTC, as Date.toISOString() writes it. */
const Instant = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$" });
const Count = (maximum: number) => Type.Integer({ minimum: 0, maximum });

/** One of the offering installation's sites, with its electricity as it was when the version was made. */
export const OfferSiteSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    country_code: Type.String({ pattern: "^[A-Z]{2}$" }),
    region_code: Type.String({ maxLength: 10 }),
    jurisdiction: Type.String({ maxLength: 50 }),
    time_zone: Type.String({ minLength: 1, maxLength: 64 }),
    energy: Type.Object(
      {
        currency: Type.String({ pattern: "^[A-Z]{3}$" }),
        price_now_per_mwh_minor: Type.Union([
          Type.Integer({ minimum: 0, maximum: MAX_MONEY_MINOR }),
          Type.Null(),
        ]),
        carbon_g_per_kwh_now: Type.Union([Type.Number({ minimum: 0, maximum: 100_000 }), Type.Null()]),
        as_of: Instant,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** One plan offered, at the wholesale price the offering installation bills for it. */
export const OfferPlanSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    vcpus: Type.Integer({ minimum: 1, maximum: 512 }),
    memory_mib: Type.Integer({ minimum: 64, maximum: 16_777_216 }),
    disk_gib: Type.Integer({ minimum: 1, maximum: 1_048_576 }),
    transfer_gib: Count(10_000_000),
    wholesale_hourly_minor: Money,
    wholesale_monthly_cap_minor: Money,
  },
  { additionalProperties: false },
);

/** A version of an offer, as signed by the installation that makes it (docs/federation.md, "Offers"). */
export const OfferDocumentSchema = Type.Object(
  {
    type: Type.Literal(OFFER_DOCUMENT_TYPE),
    offer_id: Id,
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    issued_at: Instant,
    issuer: Type.String({
      minLength: 1,
      maxLength: 100,
      description: "The offering installation's fingerprint",
    }),
    audience: Type.String({
      minLength: 1,
      maxLength: 100,
      description: "The fingerprint of the peer it is for",
    }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    capacity: Type.Union([
      Type.Object(
        { max_servers: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    sites: Type.Array(OfferSiteSchema, { maxItems: 100 }),
    plans: Type.Array(OfferPlanSchema, { maxItems: 100 }),
  },
  { additionalProperties: false },
);

export type OfferDocument = Static<typeof OfferDocumentSchema>;
export type OfferSite = OfferDocument["sites"][number];
export type OfferPlan = OfferDocument["plans"][number];

/** An offer version as it travels and is kept: the document's exact JSON text and its signature. */
export interface SignedOffer {
  document: string;
  /** Ed25519 over the prefix and the document's bytes, base64url. */
  signature: string;
}

/** Signs a document with this installation's key; the text is what is kept and sent, byte for byte. */
export function signOffer(signing: SigningIdentity, document: OfferDocument): SignedOffer {
  const text = JSON.stringify(document);
  const signature = sign(null, Buffer.concat([SIGNED_PREFIX, Buffer.from(text)]), signing.privateKey);
  return { document: text, signature: signature.toString("base64url") };
}

/** Whether `signature` is the peer's Ed25519 signature over the document's exact bytes. */
export function offerSignatureHolds(offer: SignedOffer, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(offer.signature)) return false;
  return verify(
    null,
    Buffer.concat([SIGNED_PREFIX, Buffer.from(offer.document)]),
    publicKey,
    Buffer.from(offer.signature, "base64url"),
  );
}

/**
 * A received offer, checked: the signature is the peer's over these bytes, the document has the
 * shape above (the first problem named, with its path), it is issued by that peer to this
 * installation, and its sites and plans are each listed once.
 */
export function openOffer(
  offer: SignedOffer,
  peer: { fingerprint: string; publicKey: KeyObject },
  ownFingerprint: string,
): OfferDocument {
  if (Buffer.byteLength(offer.document) > MAX_OFFER_DOCUMENT_BYTES)
    throw new InvalidInputError(
      "document",
      `An offer document is at most ${MAX_OFFER_DOCUMENT_BYTES} bytes.`,
    );
  if (!offerSignatureHolds(offer, peer.publicKey))
    throw new InvalidInputError(
      "signature",
      "The offer's signature does not verify with the peer's key over the document's bytes: it was altered or signed by another key.",
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(offer.document);
  } catch {
    throw new InvalidInputError("document", "The offer document is not JSON.");
  }
  const problem = Value.Errors(OfferDocumentSchema, parsed).First();
  if (problem)
    throw new InvalidInputError(
      `document${problem.path.replaceAll("/", ".")}`,
      `The offer document is malformed at ${problem.path || "/"}: ${problem.message}.`,
    );
  const document = parsed as OfferDocument;
  if (document.issuer !== peer.fingerprint)
    throw new InvalidInputError(
      "document.issuer",
      `The offer is issued by ${document.issuer}, not by the peer that sent it.`,
    );
  if (document.audience !== ownFingerprint)
    throw new InvalidInputError(
      "document.audience",
      `The offer is for ${document.audience}, not for this installation.`,
    );
  for (const list of ["sites", "plans"] as const) {
    const ids = document[list].map((x) => x.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new InvalidInputError(`document.${list}`, `The offer lists ${twice} twice.`);
  }
  for (const plan of document.plans)
    if (plan.wholesale_monthly_cap_minor < plan.wholesale_hourly_minor)
      throw new InvalidInputError(
        `document.plans.${plan.id}`,
        `The offer's monthly cap for ${plan.id} is below its hourly price.`,
      );
  return document;
}
