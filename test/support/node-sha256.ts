import { createHash, createHmac } from "node:crypto";
import type { Hash, Hmac } from "node:crypto";

/**
 * SHA-256 in the shape `@smithy/signature-v4` takes (an HMAC when given a key), from
 * node:crypto: the SDK no longer ships a hash of its own to hand the signer. Tests and bench/ec2
 * sign with it; the controller's verifier is our own code, so the signer must not be.
 */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === "string") return data;
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
