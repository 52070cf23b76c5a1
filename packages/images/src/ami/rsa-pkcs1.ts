import { constants, privateDecrypt, type KeyObject } from "node:crypto";

/**
 * RSA PKCS#1 v1.5 decryption, as ec2-ami-tools used to encrypt bundle keys. Node 20 refuses
 * `RSA_PKCS1_PADDING` for private decryption (CVE-2023-46809, the Marvin timing attack) unless
 * the whole process runs with `--security-revert`. We decrypt with no padding and strip the
 * padding here without early exits, and every failure looks the same to the caller, so this
 * function is no padding oracle. Returns undefined when the key does not fit the ciphertext.
 */
export function rsaDecryptPkcs1v15(key: KeyObject, ciphertext: Buffer): Buffer | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined || ciphertext.length !== Math.ceil(bits / 8)) return undefined;
  let em: Buffer;
  try {
    em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
  } catch {
    return undefined;
  }
  let bad = (em[0] ?? 1) | ((em[1] ?? 0) ^ 2);
  let separator = 0;
  let found = 0;
  for (let i = 2; i < em.length; i++) {
    const zero = ((em[i] ?? 1) - 1) >>> 31;
    const first = zero & (found ^ 1);
    separator = first * i + (1 - first) * separator;
    found |= zero;
  }
  bad |= found ^ 1;
  // At least 8 bytes of non-zero padding: separator index 10 or more.
  bad |= (separator - 10) >>> 31;
  return bad === 0 ? em.subarray(separator + 1) : undefined;
}
