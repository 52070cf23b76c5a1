import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a URL for an image's blob may be fetched: an hour (docs/federation.md). */
export const IMAGE_BLOB_TOKEN_SECONDS = 3_600;

/** The purpose the MAC key is derived for (SecretBox.derivedKey): no other use shares it. */
export const IMAGE_BLOB_KEY_PURPOSE = "federation image blobs v1";

/** What a token grants: this image's blob, to this peer, until then. */
export interface ImageBlobGrant {
  imageId: string;
  peerId: string;
  /** Unix seconds. */
  expiresAt: number;
}

// Ids are newId's (`image_…`, `peer_…`): letters, digits and underscores, never a dot.
const ID = /^[a-z]+_[0-9a-z]{1,64}$/;
/**
 * HMAC-SHA256 cut to its first 128 bits (RFC 2104 section 5 allows it; 2^128 guesses stay out of
 * reach): with the two ids and the expiry the token is 96 characters, within the 100 that the
 * router takes in one path parameter (a longer one is a 414).
 */
const MAC_BYTES = 16;
const MAC_CHARS = 22; // base64url of 16 bytes

function mac(key: Buffer, payload: string): Buffer {
  return createHmac("sha256", key).update(payload, "utf8").digest().subarray(0, MAC_BYTES);
}

/**
 * A token for `GET /federation/v1/image-blobs/<token>`: `<image>.<peer>.<expiry>.<HMAC-SHA256/128>`
 * under a key only this installation holds, so it can be neither guessed nor altered (another
 * image, another peer, a later expiry), and it carries everything needed to check it: nothing is
 * stored per token.
 */
export function imageBlobToken(key: Buffer, grant: ImageBlobGrant): string {
  if (!ID.test(grant.imageId) || !ID.test(grant.peerId) || !Number.isSafeInteger(grant.expiresAt))
    throw new RangeError("an image blob token needs an image id, a peer id and an expiry in seconds");
  const payload = `${grant.imageId}.${grant.peerId}.${grant.expiresAt}`;
  return `${payload}.${mac(key, payload).toString("base64url")}`;
}

/**
 * The grant a token holds, when its MAC is ours (compared in constant time) and it has not
 * expired at `now`; undefined otherwise, whatever the reason, so that a caller learns nothing.
 */
export function checkImageBlobToken(key: Buffer, token: string, now: Date): ImageBlobGrant | undefined {
  if (token.length > 300) return undefined;
  const parts = token.split(".");
  if (parts.length !== 4) return undefined;
  const [imageId = "", peerId = "", expiry = "", sent = ""] = parts;
  if (!ID.test(imageId) || !ID.test(peerId) || !/^\d{1,12}$/.test(expiry) || sent.length !== MAC_CHARS)
    return undefined;
  const expected = mac(key, `${imageId}.${peerId}.${expiry}`);
  const given = Buffer.from(sent, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const expiresAt = Number(expiry);
  if (expiresAt * 1000 <= now.getTime()) return undefined;
  return { imageId, peerId, expiresAt };
}
