import { createPrivateKey, createPublicKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { createSigner, createVerifier, httpbis } from "http-message-signatures";
import { describe, expect, it } from "vitest";
import { FederationSignatureError } from "./errors.js";
import type { SignatureRefusal } from "./errors.js";
import {
  fingerprintOf,
  generateKeyPair,
  privateKeyFromPkcs8,
  publicKeyFromRaw,
  rawPublicKey,
} from "./keys.js";
import { CLOCK_SKEW_SECONDS, contentDigest, signRequest, verifySignedRequest } from "./message-signatures.js";
import type { ReceivedRequest } from "./message-signatures.js";

// RFC 9421 Appendix B.1.4: the example Ed25519 key, and B.2.6, the request it signs.
const RFC_PRIVATE = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----`;
const RFC_PUBLIC = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----`;
const RFC_REQUEST = {
  method: "POST",
  url: "https://example.com/foo?param=Value&Pet=dog",
  headers: {
    Host: "example.com",
    Date: "Tue, 20 Apr 2021 02:07:55 GMT",
    "Content-Type": "application/json",
    "Content-Digest":
      "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
    "Content-Length": "18",
  } as Record<string, string>,
};
const RFC_B26_INPUT =
  'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const RFC_B26_SIGNATURE =
  "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";

describe("the library with Node's Ed25519, on RFC 9421's vector (B.2.6)", () => {
  it("signs the example request to the published signature, byte for byte", async () => {
    const signed = await httpbis.signMessage(
      {
        key: createSigner(createPrivateKey(RFC_PRIVATE), "ed25519", "test-key-ed25519"),
        name: "sig-b26",
        fields: ["date", "@method", "@path", "@authority", "content-type", "content-length"],
        params: ["created", "keyid"],
        paramValues: { created: new Date(1618884473 * 1000) },
      },
      RFC_REQUEST,
    );
    expect(signed.headers["Signature-Input"]).toBe(RFC_B26_INPUT);
    expect(signed.headers["Signature"]).toBe(RFC_B26_SIGNATURE);
  });

  it("verifies the published signature, and not one bit changed", async () => {
    const verify = createVerifier(createPublicKey(RFC_PUBLIC), "ed25519");
    const keyLookup = async () => ({ id: "test-key-ed25519", algs: ["ed25519"], verify });
    const message = {
      ...RFC_REQUEST,
      headers: { ...RFC_REQUEST.headers, "Signature-Input": RFC_B26_INPUT, Signature: RFC_B26_SIGNATURE },
    };
    expect(await httpbis.verifyMessage({ keyLookup }, message)).toBe(true);
    const otherPath = { ...message, url: "https://example.com/fox?param=Value&Pet=dog" };
    expect(await httpbis.verifyMessage({ keyLookup }, otherPath)).toBe(false);
  });
});

describe("contentDigest (RFC 9530)", () => {
  it("gives the RFC's sha-256 of its example body", () => {
    // RFC 9530 section 2, the sha-256 example over {"hello": "world"}.
    expect(contentDigest('{"hello": "world"}')).toBe(
      "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
    );
  });
});

describe("keys", () => {
  it("round-trips a generated key pair through its stored forms", () => {
    const pair = generateKeyPair();
    const privateKey = privateKeyFromPkcs8(pair.privateKeyPkcs8);
    expect(rawPublicKey(createPublicKey(privateKey))).toBe(pair.publicKey);
    expect(publicKeyFromRaw(pair.publicKey)).toBeDefined();
    expect(fingerprintOf(pair.publicKey)).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
  });

  it("refuses a public key that is not 32 bytes of base64url", () => {
    expect(publicKeyFromRaw("short")).toBeUndefined();
    expect(publicKeyFromRaw("../../../../etc/passwd/aaaaaaaaaaaaaaaaaaaaaaaa")).toBeUndefined();
  });
});

describe("signRequest and verifySignedRequest", () => {
  const pair = generateKeyPair();
  const keyId = fingerprintOf(pair.publicKey);
  const identity = { keyId, privateKey: privateKeyFromPkcs8(pair.privateKeyPkcs8) };
  const known = async (id: string): Promise<KeyObject | undefined> =>
    id === keyId ? publicKeyFromRaw(pair.publicKey) : undefined;
  const url = "http://b.example:8080/federation/v1/peering";
  const body = Buffer.from('{"hello":"world"}');

  async function signed(overrides: { created?: Date; body?: Buffer } = {}): Promise<ReceivedRequest> {
    const headers = await signRequest(identity, {
      method: "POST",
      url,
      body: overrides.body ?? body,
      ...(overrides.created ? { created: overrides.created } : {}),
    });
    return { method: "POST", url: new URL(url), headers, body };
  }

  async function refusal(request: ReceivedRequest): Promise<SignatureRefusal> {
    const err = await verifySignedRequest(request, known).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FederationSignatureError);
    return (err as FederationSignatureError).reason;
  }

  it("covers method, path, authority and content-digest, with created, keyid, alg and nonce", async () => {
    const request = await signed();
    expect(request.headers["signature-input"]).toMatch(
      /^lb=\("@method" "@path" "@authority" "content-digest"\);created=\d+;keyid="sha256:[^"]+";alg="ed25519";nonce="[A-Za-z0-9_-]{22}"$/,
    );
    expect(request.headers["content-digest"]).toBe(contentDigest(body));
    const verified = await verifySignedRequest(request, known);
    expect(verified.keyId).toBe(keyId);
    expect(verified.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("gives every request a nonce of its own", async () => {
    const [a, b] = await Promise.all([signed(), signed()]);
    expect(a.headers["signature-input"]).not.toBe(b.headers["signature-input"]);
  });

  it("refuses an unsigned request", async () => {
    expect(await refusal({ method: "POST", url: new URL(url), headers: {}, body })).toBe("unsigned");
  });

  it("refuses a tampered body by its digest", async () => {
    const request = await signed();
    expect(await refusal({ ...request, body: Buffer.from('{"hello":"w0rld"}') })).toBe("digest_mismatch");
  });

  it("refuses a Content-Digest rewritten to match a tampered body (it is signed)", async () => {
    const request = await signed();
    const tampered = Buffer.from('{"hello":"w0rld"}');
    const headers = { ...request.headers, "content-digest": contentDigest(tampered) };
    expect(await refusal({ ...request, headers, body: tampered })).toBe("bad_signature");
  });

  it("refuses another method, path or authority than the one signed", async () => {
    const request = await signed();
    expect(await refusal({ ...request, method: "PUT" })).toBe("bad_signature");
    expect(await refusal({ ...request, url: new URL("http://b.example:8080/federation/v1/other") })).toBe(
      "bad_signature",
    );
    expect(await refusal({ ...request, url: new URL("http://c.example:8080/federation/v1/peering") })).toBe(
      "bad_signature",
    );
  });

  it("refuses a signature from a key it does not know", async () => {
    const request = await signed();
    const err = (await verifySignedRequest(request, async () => undefined).catch(
      (e: unknown) => e,
    )) as FederationSignatureError;
    expect(err.reason).toBe("unknown_key");
    expect(err.message).toContain(keyId);
  });

  it("refuses a signature made with another key under this key's id", async () => {
    const other = generateKeyPair();
    const headers = await signRequest(
      { keyId, privateKey: privateKeyFromPkcs8(other.privateKeyPkcs8) },
      { method: "POST", url, body },
    );
    expect(await refusal({ method: "POST", url: new URL(url), headers, body })).toBe("bad_signature");
  });

  it("refuses a stale or future created, naming the clock", async () => {
    const skew = (CLOCK_SKEW_SECONDS + 5) * 1000;
    expect(await refusal(await signed({ created: new Date(Date.now() - skew) }))).toBe("stale");
    expect(await refusal(await signed({ created: new Date(Date.now() + skew) }))).toBe("future");
    // Within the window either way is fine.
    const near = await signed({ created: new Date(Date.now() - (CLOCK_SKEW_SECONDS - 30) * 1000) });
    await expect(verifySignedRequest(near, known)).resolves.toMatchObject({ keyId });
  });

  it("refuses the RFC's own valid signature: it covers neither content-digest nor a nonce", async () => {
    const message: ReceivedRequest = {
      method: "POST",
      url: new URL(RFC_REQUEST.url),
      headers: Object.fromEntries(
        Object.entries({
          ...RFC_REQUEST.headers,
          "Signature-Input": RFC_B26_INPUT,
          Signature: RFC_B26_SIGNATURE,
        }).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      body: Buffer.from('{"hello": "world"}'),
    };
    const err = (await verifySignedRequest(
      message,
      async () => createPublicKey(RFC_PUBLIC),
      new Date(1618884473000),
    ).catch((e: unknown) => e)) as FederationSignatureError;
    expect(err.reason).toBe("malformed");
    expect(err.message).toContain("nonce");
  });

  it("refuses two signatures, or a signature-input that is not structured", async () => {
    const request = await signed();
    const input = String(request.headers["signature-input"]);
    expect(
      await refusal({
        ...request,
        headers: { ...request.headers, "signature-input": `${input}, ${input.replace(/^lb=/, "lb2=")}` },
      }),
    ).toBe("malformed");
    expect(await refusal({ ...request, headers: { ...request.headers, "signature-input": "((((" } })).toBe(
      "malformed",
    );
  });
});
