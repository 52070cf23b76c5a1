import { createHash, createHmac } from "node:crypto";
import type { Hash, Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { Ec2Error } from "./errors.js";
import { SigningKey, checkSignatureScope, parseAuthorization, verifySignature } from "./sigv4.js";
import type { SignedRequest } from "./sigv4.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const NOW = new Date("2026-12-07T09:30:00Z");
const BODY =
  "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1=web%20one";

/** SHA-256 in the shape the signer takes (an HMAC when given a key), from node:crypto. */
class Sha256 {
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

/** A request signed by the SDK's own signer, as the SDK and awscli send it. */
async function signed(
  options: {
    region?: string;
    service?: string;
    at?: Date;
    secret?: string;
    query?: Record<string, string>;
  } = {},
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: KEY_ID, secretAccessKey: options.secret ?? SECRET },
    region: options.region ?? "local-1",
    service: options.service ?? "ec2",
    sha256: Sha256,
  });
  const request = {
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 8080,
    path: "/ec2/",
    query: options.query ?? {},
    headers: { host: "127.0.0.1:8080", "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: BODY,
  };
  const out = await signer.sign(request, { signingDate: options.at ?? NOW });
  const headers = Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const query = new URLSearchParams(out.query as Record<string, string>).toString().replace(/\+/g, "%20");
  return { method: "POST", path: "/ec2/", query, headers, body: BODY };
}

function verify(request: SignedRequest, secret: string | SigningKey = SECRET, now = NOW): void {
  const auth = parseAuthorization(request.headers["authorization"] as string);
  const amzDate = checkSignatureScope(request, auth, { region: "local-1", service: "ec2", now });
  verifySignature(request, auth, amzDate, secret);
}

/** Verifies a request once it is signed. */
async function later(request: Promise<SignedRequest>): Promise<() => void> {
  const r = await request;
  return () => verify(r);
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof Ec2Error) return err.code;
    throw err;
  }
}

describe("SigV4 verification against @smithy/signature-v4", () => {
  it("accepts what the SDK signs, query parameters included", async () => {
    expect(codeOf(() => parseAuthorization(undefined))).toBe("AuthFailure");
    const request = await signed();
    expect(() => verify(request)).not.toThrow();
    expect(await later(signed({ query: { "b c": "d/e", a: "1" } }))).not.toThrow();
  });

  it("names what is wrong in EC2's codes", async () => {
    const request = await signed();
    expect(codeOf(() => verify(request, "another secret"))).toBe("SignatureDoesNotMatch");
    expect(codeOf(() => verify({ ...request, body: `${BODY}&MaxResults=5` }))).toBe("SignatureDoesNotMatch");
    expect(codeOf(() => verify({ ...request, headers: { ...request.headers, host: "evil:8080" } }))).toBe(
      "SignatureDoesNotMatch",
    );
    expect(codeOf(await later(signed({ region: "us-east-1" })))).toBe("AuthFailure");
    expect(codeOf(await later(signed({ service: "s3" })))).toBe("AuthFailure");
  });

  it("verifies with a key holder's signing key as with the secret, day after day", async () => {
    const key = new SigningKey(SECRET);
    const nextDay = new Date(NOW.getTime() + 24 * 3600_000);
    for (const at of [NOW, NOW, nextDay, NOW]) {
      const request = await signed({ at });
      expect(() => verify(request, key, at)).not.toThrow();
      expect(codeOf(() => verify({ ...request, body: `${BODY}&DryRun=true` }, key, at))).toBe(
        "SignatureDoesNotMatch",
      );
    }
    const request = await signed();
    expect(codeOf(() => verify(request, new SigningKey("another secret")))).toBe("SignatureDoesNotMatch");
  });

  it("allows 15 minutes of clock skew either way and no more", async () => {
    const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
    expect(await later(signed({ at: minutes(-14) }))).not.toThrow();
    expect(await later(signed({ at: minutes(14) }))).not.toThrow();
    expect(codeOf(await later(signed({ at: minutes(-16) })))).toBe("RequestExpired");
    expect(codeOf(await later(signed({ at: minutes(16) })))).toBe("RequestExpired");
  });

  it("requires host and x-amz-date to be signed, and a well-formed header", async () => {
    const request = await signed();
    const header = request.headers["authorization"] as string;
    const unsignedHost = header.replace(/SignedHeaders=[^,]+/, "SignedHeaders=content-type;x-amz-date");
    expect(
      codeOf(() => verify({ ...request, headers: { ...request.headers, authorization: unsignedHost } })),
    ).toBe("AuthFailure");
    const noDate = header.replace(/SignedHeaders=[^,]+/, "SignedHeaders=content-type;host");
    expect(codeOf(() => verify({ ...request, headers: { ...request.headers, authorization: noDate } }))).toBe(
      "AuthFailure",
    );
    for (const bad of ["AWS AKIA:abc", "AWS4-HMAC-SHA256 Credential=x", "AWS4-HMAC-SHA256 Signature=zz"])
      expect(codeOf(() => verify({ ...request, headers: { ...request.headers, authorization: bad } }))).toBe(
        "AuthFailure",
      );
  });
});
