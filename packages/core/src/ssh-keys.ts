import { createHash } from "node:crypto";
import { InvalidInputError } from "./errors.js";

const KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

export interface ParsedSshKey {
  type: string;
  /** `SHA256:...`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** The key normalised to "type base64 [comment]" on one line. */
  normalized: string;
}

function readString(buf: Buffer, offset: number): [string, number] | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUInt32BE(offset);
  if (offset + 4 + len > buf.length) return undefined;
  return [buf.subarray(offset + 4, offset + 4 + len).toString("latin1"), offset + 4 + len];
}

/**
 * Parses an OpenSSH public key line. The base64 blob must decode and must start with the
 * same key type as the line says, which rejects pasted private keys, truncated keys and junk.
 */
export function parseSshPublicKey(input: string, field = "public_key"): ParsedSshKey {
  const line = input.trim();
  if (line.includes("\n")) throw new InvalidInputError(field, "An SSH public key must be a single line.");
  if (line.includes("PRIVATE KEY")) {
    throw new InvalidInputError(
      field,
      "This is a private key. Paste the public key (the .pub file) instead.",
    );
  }
  const [type, blob, ...comment] = line.split(/\s+/);
  if (!type || !KEY_TYPES.has(type)) {
    throw new InvalidInputError(field, `Unsupported or malformed SSH key type "${type ?? ""}".`);
  }
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    throw new InvalidInputError(field, "The SSH key's base64 body is missing or malformed.");
  }
  const raw = Buffer.from(blob, "base64");
  const inner = readString(raw, 0);
  if (!inner || inner[0] !== type) {
    throw new InvalidInputError(field, "The SSH key's body does not match its type.");
  }
  const fingerprint = `SHA256:${createHash("sha256").update(raw).digest("base64").replace(/=+$/, "")}`;
  const normalized = [type, blob, ...comment].join(" ");
  return { type, fingerprint, normalized };
}
