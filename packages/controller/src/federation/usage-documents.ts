import { sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { MAX_MONEY_MINOR } from "@layerboom/core";
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { SigningIdentity } from "./message-signatures.js";

/** The kind and version of a usage record; a later protocol changes what it holds. */
export const USAGE_RECORD_TYPE = "layerboom-usage/1";

/** What a record's signature covers: this line, then the document's exact bytes (as for offers). */
const SIGNED_PREFIX = Buffer.from(`${USAGE_RECORD_TYPE}\n`);

/** The most a record document may weigh: a batch of them stays under the protocol's 64 KiB body. */
export const MAX_USAGE_RECORD_BYTES = 2048;

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z]+_[0-9a-z]+$" });
const Money = Type.Integer({ minimum: 0, maximum: MAX_MONEY_MINOR });
const Instant = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:00:00\\.000Z$" });
const Whole = (maximum: number) => Type.Integer({ minimum: 0, maximum });
const NullableWhole = (maximum: number) => Type.Union([Whole(maximum), Type.Null()]);
const Fingerprint = Type.String({ minLength: 1, maxLength: 100 });

/**
 * One server's closed hour as B reports it to A (docs/federation.md, "Usage and settlement"):
 * the APEL cloud record's fields (VMUUID, SiteName, StartTime, EndTime, WallDuration,
 * CpuDuration, CpuCount, Memory, Disk, NetworkInbound/Outbound, PublicIPCount, ImageId) in
 * snake case, with B's energy, carbon and what the hour adds to B's wholesale charge.
 */
export const UsageRecordSchema = Type.Object(
  {
    type: Type.Literal(USAGE_RECORD_TYPE),
    issuer: Fingerprint,
    audience: Fingerprint,
    seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    vm_uuid: Id,
    /** A's id for the server: the create's idempotency key. */
    local_server_id: Type.String({ minLength: 1, maxLength: 64 }),
    site_id: Id,
    site_name: Type.String({ minLength: 1, maxLength: 100 }),
    start_time: Instant,
    end_time: Instant,
    /** Seconds the server existed in the hour. */
    wall_duration: Whole(3600),
    /** CPU seconds its vCPUs used, from B's meter; null where B has none for the hour. */
    cpu_duration: Type.Union([Type.Number({ minimum: 0, maximum: 3600 * 4096 }), Type.Null()]),
    cpu_count: Type.Integer({ minimum: 1, maximum: 4096 }),
    /** MiB. */
    memory: Whole(16_777_216),
    /** GiB. */
    disk: Whole(1_048_576),
    /** Bytes; null where B metered nothing. */
    network_inbound: NullableWhole(Number.MAX_SAFE_INTEGER),
    network_outbound: NullableWhole(Number.MAX_SAFE_INTEGER),
    public_ip_count: Whole(1024),
    image_id: Type.String({ minLength: 1, maxLength: 64 }),
    energy_wh: Type.Number({ minimum: 0, maximum: 1e9 }),
    carbon_g: Type.Union([Type.Number({ minimum: 0, maximum: 1e9 }), Type.Null()]),
    /** B's billing month of the hour (`YYYY-MM`, in the zone B bills the peer in). */
    month: Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$" }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    wholesale_hourly_minor: Money,
    wholesale_monthly_cap_minor: Money,
    /** The time this hour adds to what is billed for the month (ms), and the month's total through it. */
    billed_ms: Whole(3_600_000),
    billed_ms_through: Whole(745 * 3_600_000),
    /** What this hour adds to the month's wholesale amount under the cap. */
    wholesale_cost_minor: Money,
  },
  { additionalProperties: false },
);

export type UsageRecord = Static<typeof UsageRecordSchema>;

/** A record as it travels and is kept: the document's exact JSON text and its signature. */
export interface SignedUsageRecord {
  document: string;
  /** Ed25519 over the prefix and the document's bytes, base64url. */
  signature: string;
}

/** Signs a record with this installation's key; the text is what is kept and sent, byte for byte. */
export function signUsageRecord(signing: SigningIdentity, record: UsageRecord): SignedUsageRecord {
  const text = JSON.stringify(record);
  const signature = sign(null, Buffer.concat([SIGNED_PREFIX, Buffer.from(text)]), signing.privateKey);
  return { document: text, signature: signature.toString("base64url") };
}

/** Why a received record is refused (kept in `federation_usage_flags.reason`). */
export type UsageRecordRefusal =
  "too_large" | "bad_signature" | "malformed" | "wrong_issuer" | "wrong_audience" | "seq_conflict";

/**
 * A received record, checked: the peer's signature over these bytes, the shape above, issued by
 * that peer to this installation. Returns the record or why it is refused.
 */
export function openUsageRecord(
  signed: SignedUsageRecord,
  peer: { fingerprint: string; publicKey: KeyObject },
  ownFingerprint: string,
): { record: UsageRecord } | { refused: UsageRecordRefusal; message: string } {
  if (Buffer.byteLength(signed.document) > MAX_USAGE_RECORD_BYTES)
    return { refused: "too_large", message: `A usage record is at most ${MAX_USAGE_RECORD_BYTES} bytes.` };
  const holds =
    /^[A-Za-z0-9_-]{86}$/.test(signed.signature) &&
    verify(
      null,
      Buffer.concat([SIGNED_PREFIX, Buffer.from(signed.document)]),
      peer.publicKey,
      Buffer.from(signed.signature, "base64url"),
    );
  if (!holds)
    return {
      refused: "bad_signature",
      message: "The record's signature does not verify with the peer's key over its bytes.",
    };
  let parsed: unknown;
  try {
    parsed = JSON.parse(signed.document);
  } catch {
    return { refused: "malformed", message: "The record is not JSON." };
  }
  const problem = Value.Errors(UsageRecordSchema, parsed).First();
  if (problem)
    return {
      refused: "malformed",
      message: `The record is malformed at ${problem.path || "/"}: ${problem.message}.`,
    };
  const record = parsed as UsageRecord;
  if (record.issuer !== peer.fingerprint)
    return { refused: "wrong_issuer", message: `The record is issued by ${record.issuer}, not the sender.` };
  if (record.audience !== ownFingerprint)
    return {
      refused: "wrong_audience",
      message: `The record is for ${record.audience}, not this installation.`,
    };
  return { record };
}

/** The seq a record claims, read without trusting it (for the flag of a refused one). */
export function claimedSeq(document: string): number | null {
  try {
    const seq = (JSON.parse(document) as { seq?: unknown }).seq;
    return typeof seq === "number" && Number.isSafeInteger(seq) && seq > 0 ? seq : null;
  } catch {
    return null;
  }
}
