import { expect } from "vitest";
import {
  FEDERATION_PROTOCOL,
  SecretBox,
  fingerprintOf,
  generateKeyPair,
  loadSigningIdentity,
  privateKeyFromPkcs8,
  signRequest,
} from "@layerboom/controller";
import type { SigningIdentity } from "@layerboom/controller";
import { apiClient, startTestController } from "./controller.js";
import type { ApiClient, TestController } from "./controller.js";
import { originOf } from "./hosts.js";

/** A public profile as a test reads it. */
export interface TestProfile {
  fingerprint: string;
  public_key: string;
}

/**
 * Two independent installations on loopback (docs/federation.md): A on PGlite, B on PostgreSQL,
 * each with its own database, secret key and identity, their profiles set to their own origins.
 * The secret keys are the test's, so the test can sign as A and as B.
 */
export interface TwoInstallations {
  a: TestController;
  b: TestController;
  apiA: ApiClient;
  apiB: ApiClient;
  originA: string;
  originB: string;
  signingA: SigningIdentity;
  signingB: SigningIdentity;
  profileA: TestProfile;
  profileB: TestProfile;
  /** Each installation's secret key (its SecretBox), for tests that act as it. */
  secretKeyA: Buffer;
  secretKeyB: Buffer;
  close(): Promise<void>;
}

/** Starts A and B (B needs PostgreSQL: call inside describeOnDatabase("postgres", …)). */
export async function startTwoInstallations(options: { webRootA?: string } = {}): Promise<TwoInstallations> {
  const keyA = SecretBox.generateKey();
  const keyB = SecretBox.generateKey();
  const [a, b] = await Promise.all([
    startTestController("pglite", {
      secretKey: keyA,
      ...(options.webRootA ? { webRoot: options.webRootA } : {}),
    }),
    startTestController("postgres", { secretKey: keyB }),
  ]);
  const apiA = apiClient(a.url, a.adminToken);
  const apiB = apiClient(b.url, b.adminToken);
  const originA = originOf(a);
  const originB = originOf(b);
  const setA = await apiA.patch("/federation/profile", {
    name: "Provider A (Ontario)",
    url: originA,
    jurisdictions: ["CA", "CA-ON"],
    contact: "noc@a.test",
  });
  expect(setA.status, JSON.stringify(setA.body)).toBe(200);
  const setB = await apiB.patch("/federation/profile", {
    name: "Provider B (Québec)",
    url: `${originB}/`,
    jurisdictions: ["CA", "CA-QC"],
    contact: "noc@b.test",
  });
  expect(setB.status, JSON.stringify(setB.body)).toBe(200);
  const signingA = (await loadSigningIdentity(a.database.db, new SecretBox(keyA))).signing;
  const signingB = (await loadSigningIdentity(b.database.db, new SecretBox(keyB))).signing;
  return {
    a,
    b,
    apiA,
    apiB,
    originA,
    originB,
    signingA,
    signingB,
    profileA: setA.body as TestProfile,
    profileB: setB.body as TestProfile,
    secretKeyA: keyA,
    secretKeyB: keyB,
    async close() {
      await Promise.all([a.close(), b.close()]);
    },
  };
}

/** Peers A with B through the API (B invites, A joins, both approve); the peers' ids on each side. */
export async function peerThem(t: TwoInstallations): Promise<{ peerOfA: string; peerOfB: string }> {
  const invite = await t.apiB.post("/federation/invitations", {});
  expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  const joined = await t.apiA.post("/federation/join", { url: t.originB, token: invite.body.token });
  expect(joined.status, JSON.stringify(joined.body)).toBe(201);
  const peerOfA: string = joined.body.id;
  const peerOfB: string = (await t.apiB.get("/federation/peers")).body.items[0].id;
  const approvedOnA = await t.apiA.post(`/federation/peers/${peerOfA}/approve`, {
    fingerprint: t.profileB.fingerprint,
  });
  const approvedOnB = await t.apiB.post(`/federation/peers/${peerOfB}/approve`, {
    fingerprint: t.profileA.fingerprint,
  });
  expect([approvedOnA.body.state, approvedOnB.body.state]).toEqual(["active", "active"]);
  return { peerOfA, peerOfB };
}

/** What a signed request was sent as (its headers and body), and what came back. */
export interface SignedExchange {
  status: number;
  body: any;
  headers: Record<string, string>;
}

/**
 * Sends a request signed as `identity` to `origin`'s protocol endpoint `path`; `edit` changes it
 * after signing (a tampered body), `created` backdates or postdates the signature.
 */
export async function sendSigned(
  origin: string,
  identity: SigningIdentity,
  method: "GET" | "POST",
  path: string,
  options: {
    body?: unknown;
    edit?: (r: { headers: Record<string, string>; body: string }) => void;
    created?: Date;
  } = {},
): Promise<SignedExchange> {
  const url = `${origin}/federation/v1${path}`;
  const text = options.body === undefined ? "" : JSON.stringify(options.body);
  const headers = await signRequest(identity, {
    method,
    url,
    body: text,
    ...(options.created ? { created: options.created } : {}),
  });
  const request = {
    headers: { ...headers, ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
    body: text,
  };
  options.edit?.(request);
  const res = await fetch(url, {
    method,
    headers: request.headers,
    ...(method === "POST" ? { body: request.body } : {}),
  });
  return { status: res.status, body: await res.json(), headers: request.headers };
}

/** Another installation, played by the test: its own key, and a profile that claims it. */
export function strangerInstallation(name = "Provider C") {
  const pair = generateKeyPair();
  const identity: SigningIdentity = {
    keyId: fingerprintOf(pair.publicKey),
    privateKey: privateKeyFromPkcs8(pair.privateKeyPkcs8),
  };
  const profile = {
    protocol: FEDERATION_PROTOCOL,
    name,
    url: "http://127.0.0.1:9",
    public_key: pair.publicKey,
    fingerprint: identity.keyId,
    jurisdictions: ["FR"],
    contact: "",
  };
  return { identity, profile };
}
