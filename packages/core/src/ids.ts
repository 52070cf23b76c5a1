import { randomBytes } from "node:crypto";

/** Prefixes make an id's kind visible in logs, URLs and support tickets. */
export const ID_PREFIXES = {
  account: "acc",
  user: "usr",
  token: "tok",
  session: "ses",
  site: "site",
  host: "host",
  plan: "plan",
  image: "img",
  sshKey: "key",
  server: "srv",
  audit: "aud",
  job: "job",
  usageInterval: "use",
  discountCode: "code",
  redemption: "red",
  invoice: "inv",
  payment: "pay",
  ticket: "tkt",
  ticketMessage: "msg",
  webhook: "whk",
  webhookDelivery: "dlv",
  webhookEvent: "evt",
  backup: "bkp",
  addonInterval: "add",
  imageStorageInterval: "ist",
  ipPool: "pool",
  portalDomain: "pdom",
  invitation: "invite",
  federationInvitation: "fedinv",
  federationPeer: "peer",
  federationOfferMade: "offer",
  federationOfferReceived: "roffer",
  federationOfferVersion: "offver",
  remoteServer: "rsv",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31];
  return out;
}

/**
 * A new id: prefix, then 48 bits of milliseconds and 80 random bits in Crockford base32.
 * Ids sort by creation time, so `ORDER BY id` is creation order and a cursor is just an id.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes.set(randomBytes(10), 6);
  return `${ID_PREFIXES[kind]}_${encodeBase32(bytes)}`;
}

const ID_PATTERN = /^[a-z]+_[0-9a-hjkmnp-tv-z]{26}$/;

/** Whether a string has the shape of an id of this kind. */
export function isId(kind: IdKind, value: string): boolean {
  return value.startsWith(`${ID_PREFIXES[kind]}_`) && ID_PATTERN.test(value);
}
