import { Type } from "@sinclair/typebox";
import type { SecretBox } from "../base/secret-box.js";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  Nullable,
  NullableTimestamp,
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { getProfile, updateProfile } from "./identity.js";
import { issueInvitation, listInvitations } from "./invitations.js";
import { checkPeer, joinPeer } from "./join.js";
import { registerOfferRoutes } from "./offer-routes.js";
import { registerUsageRoutes } from "./usage-routes.js";
import type { PeerClient } from "./peer-client.js";
import { changePeerState, getPeer, listPeers } from "./peers.js";

const Jurisdiction = Type.String({
  pattern: "^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
  description: "An ISO 3166 country (CA) or subdivision (CA-QC) code",
});

const Profile = Type.Object({
  protocol: Type.String(),
  name: Type.String(),
  url: Nullable(Type.String()),
  public_key: Type.String({ description: "The raw Ed25519 public key, base64url" }),
  fingerprint: Type.String({ description: "sha256: and the base64url SHA-256 of the public key" }),
  jurisdictions: Type.Array(Type.String()),
  contact: Type.String(),
});

const Invitation = Type.Object({
  id: Type.String(),
  note: Type.String(),
  state: Type.Union([Type.Literal("open"), Type.Literal("redeemed"), Type.Literal("expired")]),
  created_at: Timestamp,
  expires_at: Timestamp,
  redeemed_at: NullableTimestamp,
});

const PeerState = Type.Union([
  Type.Literal("pending"),
  Type.Literal("active"),
  Type.Literal("suspended"),
  Type.Literal("revoked"),
]);

const Peer = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  public_key: Type.String(),
  fingerprint: Type.String(),
  jurisdictions: Type.Array(Type.String()),
  contact: Type.String(),
  state: PeerState,
  origin: Type.Union([Type.Literal("invited"), Type.Literal("joined")]),
  approved_at: NullableTimestamp,
  last_seen_at: NullableTimestamp,
  created_at: Timestamp,
  updated_at: Timestamp,
});

export interface FederationRouteDeps extends RouteDeps {
  secretBox: SecretBox;
  peers: PeerClient;
}

/** `/federation`: the provider's federation profile, invitations and peers (docs/federation.md). */
export function registerFederationRoutes(app: App, deps: FederationRouteDeps): void {
  const config = { tokenScope: { group: "account" } } as const;
  const tags = ["federation"];

  app.get(
    "/federation/profile",
    {
      config,
      schema: {
        tags,
        summary: "This installation's federation profile, as peers see it",
        response: { 200: Profile, ...errorResponses },
      },
    },
    async (request) => {
      contextOf(deps, request);
      return getProfile(deps.database.db, deps.secretBox);
    },
  );

  app.patch(
    "/federation/profile",
    {
      config,
      schema: {
        tags,
        summary: "Set the federation profile's name, URL, jurisdictions and contact (provider admins)",
        body: Strict({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          url: Type.Optional(
            Type.String({ maxLength: 500, description: "The base URL peers reach this controller at" }),
          ),
          jurisdictions: Type.Optional(Type.Array(Jurisdiction, { maxItems: 50 })),
          contact: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: Profile, ...errorResponses },
      },
    },
    async (request) => updateProfile(contextOf(deps, request), deps.secretBox, request.body),
  );

  app.get(
    "/federation/invitations",
    {
      config,
      schema: {
        tags,
        summary: "List the invitations to peer issued here (never their tokens)",
        querystring: Strict({ ...PageQuery }),
        response: { 200: PageOf(Invitation), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(await listInvitations(contextOf(deps, request), pageRequest(request.query))),
  );

  app.post(
    "/federation/invitations",
    {
      // Not idempotent on purpose: a replayed answer would keep the token in the idempotency store.
      config,
      schema: {
        tags,
        summary: "Issue a one-time invitation to peer; the token is in this response only",
        body: Strict({
          note: Type.Optional(Type.String({ maxLength: 200 })),
          expires_in_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, default: 72 })),
        }),
        response: { 201: Type.Object({ ...Invitation.properties, token: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await issueInvitation(contextOf(deps, request), deps.secretBox, {
          note: request.body.note,
          expiresInHours: request.body.expires_in_hours,
        }),
      ),
  );

  app.post(
    "/federation/join",
    {
      config,
      schema: {
        tags,
        summary: "Redeem another installation's invitation: both sides record each other as pending peers",
        body: Strict({
          url: Type.String({
            minLength: 1,
            maxLength: 500,
            description: "The other installation's base URL",
          }),
          token: Type.String({ minLength: 1, maxLength: 300 }),
        }),
        response: { 201: Peer, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await joinPeer(contextOf(deps, request), deps, request.body)),
  );

  app.get(
    "/federation/peers",
    {
      config,
      schema: {
        tags,
        summary: "List the peers, with their key fingerprints and states",
        querystring: Strict({ ...PageQuery }),
        response: { 200: PageOf(Peer), ...errorResponses },
      },
    },
    async (request) => pageResponse(await listPeers(contextOf(deps, request), pageRequest(request.query))),
  );

  app.get(
    "/federation/peers/:id",
    {
      config,
      schema: { tags, summary: "Show a peer", params: IdParam, response: { 200: Peer, ...errorResponses } },
    },
    async (request) => getPeer(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/federation/peers/:id/approve",
    {
      config,
      schema: {
        tags,
        summary: "Approve a pending (or resume a suspended) peer, confirming its key fingerprint",
        params: IdParam,
        body: Strict({
          fingerprint: Type.String({
            minLength: 1,
            maxLength: 200,
            description: "The peer's fingerprint, as its admin reads it from their side",
          }),
        }),
        response: { 200: Peer, ...errorResponses },
      },
    },
    async (request) =>
      changePeerState(contextOf(deps, request), request.params.id, "approve", request.body.fingerprint),
  );

  for (const change of ["suspend", "revoke"] as const) {
    app.post(
      `/federation/peers/:id/${change}`,
      {
        config,
        schema: {
          tags,
          summary:
            change === "suspend"
              ? "Suspend a peer: its signed requests are refused until it is approved again"
              : "Revoke a peer, for good: its signed requests are refused",
          params: IdParam,
          response: { 200: Peer, ...errorResponses },
        },
      },
      async (request) => changePeerState(contextOf(deps, request), request.params.id, change),
    );
  }

  app.post(
    "/federation/peers/:id/check",
    {
      config,
      schema: {
        tags,
        summary: "Ask a peer, with a signed request, how it sees this installation",
        params: IdParam,
        response: {
          200: Type.Object({
            peer: Peer,
            remote: Type.Object({ state: Type.String(), name: Type.String(), fingerprint: Type.String() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => checkPeer(contextOf(deps, request), deps, request.params.id),
  );

  registerOfferRoutes(app, deps);
  registerUsageRoutes(app, deps);
}
