import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { ConflictError, NotFoundError } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { SecretBox } from "../base/secret-box.js";
import type { AgentHub } from "../agents/agent-hub.js";
import type { BlobStore } from "../blobs/blob-store.js";
import type { ImageJobsConfig } from "../images/jobs.js";
import { Strict } from "../http/schemas.js";
import type { App } from "../http/types.js";
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from "../http/validation.js";
import { getProfile, loadSigningIdentity } from "./identity.js";
import { redeemInvitation } from "./invitations.js";
import { publicKeyFromRaw } from "./keys.js";
import { PROTOCOL_PREFIX, checkProfile } from "./peer-client.js";
import { currentOfferFor } from "./offers-made.js";
import { receiveOffer, signedOfferOf } from "./offers-received.js";
import { auditPeerEvent } from "./peer-audit.js";
import { registerPeerConsoleRoute } from "./console-relay.js";
import { registerImageTransferRoutes } from "./image-transfer-routes.js";
import { recordPeer } from "./peers.js";
import { registerServedServerRoutes } from "./served-routes.js";
import { signResponse } from "./response-signatures.js";
import { registerUsageProtocolRoutes } from "./usage-protocol-routes.js";
import { verifyPeerRequest, verifySelfSignedRequest } from "./signed-requests.js";
import type { RawRequest, SignedRequestDeps } from "./signed-requests.js";

const BODY_LIMIT_BYTES = 64 * 1024;

export interface ProtocolRouteDeps {
  database: Database;
  secretBox: SecretBox;
  /** Where image blobs are (A serves a peer an image's blob: image-transfer-routes.ts). */
  blobs: BlobStore;
  /** Image jobs' folder and limits (B imports a peer's image: image-transfer.ts). */
  imageJobs: ImageJobsConfig;
  /** Wakes the job runner when an import is queued. */
  jobQueued?: () => void;
  /** The agent channel (a peer's console: console-relay.ts). */
  hub: AgentHub;
}

/**
 * `/federation/v1`: what other installations call (docs/federation.md). Every request but the
 * public profile is signed (RFC 9421); the body's exact bytes are kept, since its
 * Content-Digest is checked against them, not against a re-serialisation.
 */
export async function registerProtocolRoutes(app: App, deps: ProtocolRouteDeps): Promise<void> {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  const raw = (request: FastifyRequest): RawRequest => ({
    request,
    body: rawBodies.get(request) ?? Buffer.alloc(0),
  });

  await app.register(
    async (plugin) => {
      const fed = plugin.withTypeProvider<TypeBoxTypeProvider>();
      fed.removeContentTypeParser("application/json");
      fed.addContentTypeParser(
        "application/json",
        { parseAs: "buffer", bodyLimit: BODY_LIMIT_BYTES },
        (request, body, done) => {
          const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
          rawBodies.set(request, bytes);
          const text = bytes.toString("utf8");
          if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
            done(Object.assign(new Error("The JSON body nests too deeply."), { statusCode: 400 }), undefined);
            return;
          }
          try {
            done(null, JSON.parse(text));
          } catch (err) {
            done(err as Error, undefined);
          }
        },
      );
      const signedDeps = (): SignedRequestDeps => ({ ...deps, log: fed.log });

      // An answer to a signed request is signed too, bound to that request's signature.
      const answer = async (
        request: FastifyRequest,
        reply: FastifyReply,
        status: number,
        payload: unknown,
      ) => {
        const { profile, signing } = await loadSigningIdentity(deps.database.db, deps.secretBox);
        const text = JSON.stringify(payload);
        const headers = await signResponse(
          signing,
          { status, body: text },
          {
            method: request.method,
            url: new URL(request.url, profile.url ?? "http://invalid"),
            headers: Object.fromEntries(
              Object.entries(request.headers).filter(
                (e): e is [string, string | string[]] => e[1] !== undefined,
              ),
            ),
          },
        );
        return reply.status(status).headers(headers).type("application/json").send(text);
      };

      fed.get("/profile", { config: { public: true }, schema: { hide: true } }, async () =>
        getProfile(deps.database.db, deps.secretBox),
      );

      // A peering: the sender redeems our invitation and sends its profile, signed by the key in it.
      fed.post(
        "/peerings",
        {
          config: { public: true },
          schema: {
            hide: true,
            body: Strict({
              token: Type.String({ minLength: 1, maxLength: 300 }),
              profile: Type.Object({}, { additionalProperties: true }),
            }),
          },
        },
        async (request, reply) => {
          const sender = checkProfile(request.body.profile, undefined, "profile");
          const publicKey = publicKeyFromRaw(sender.public_key);
          if (!publicKey) throw new ConflictError("The profile's key is not an Ed25519 key.");
          await verifySelfSignedRequest(signedDeps(), raw(request), sender.fingerprint, publicKey);
          const own = await getProfile(deps.database.db, deps.secretBox);
          if (sender.fingerprint === own.fingerprint)
            throw new ConflictError(
              "That invitation is this installation's own: redeem it from another one.",
            );
          const peer = await deps.database.db.transaction().execute(async (trx) => {
            const invitationId = await redeemInvitation(trx, request.body.token, new Date());
            const recorded = await recordPeer(trx, sender, "invited", invitationId);
            await auditPeerEvent(trx, recorded.id, "federation.peer.record", {
              fingerprint: recorded.fingerprint,
              url: recorded.url,
              invitation_id: invitationId,
            });
            return recorded;
          });
          return answer(request, reply, 201, { profile: own, state: peer.state });
        },
      );

      // How this installation sees the caller: a signed call any pending or active peer may make.
      fed.get("/peering", { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
        const peer = await verifyPeerRequest(signedDeps(), raw(request), ["pending"]);
        const own = await getProfile(deps.database.db, deps.secretBox);
        return answer(request, reply, 200, {
          state: peer.state,
          name: own.name,
          fingerprint: own.fingerprint,
          you: { name: peer.name, fingerprint: peer.fingerprint, last_seen_at: peer.last_seen_at },
        });
      });

      // A peer pushes a version of its offer to this installation: active peers only.
      fed.post(
        "/offers",
        {
          config: { public: true },
          schema: {
            hide: true,
            body: Strict({
              document: Type.String({ minLength: 1, maxLength: 60_000 }),
              signature: Type.String({ minLength: 1, maxLength: 200 }),
            }),
          },
        },
        async (request, reply) => {
          const peer = await verifyPeerRequest(signedDeps(), raw(request));
          const receipt = await receiveOffer(deps, peer, signedOfferOf(request.body), "push");
          return answer(request, reply, 200, { accepted: true, version: receipt.version });
        },
      );

      // A peer pulls the current version of the offer this installation makes it.
      fed.get("/offers", { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
        const peer = await verifyPeerRequest(signedDeps(), raw(request));
        const offer = await currentOfferFor(deps.database.db, peer.id);
        if (!offer) throw new NotFoundError("offer", `for ${peer.fingerprint}`);
        return answer(request, reply, 200, offer);
      });

      // A customer's image travels to the peer that runs its server, and the console back.
      const kit = { raw, signedDeps, answer };
      registerImageTransferRoutes(fed, deps, kit);
      registerPeerConsoleRoute(fed, deps, kit);
      registerServedServerRoutes(fed, { database: deps.database, hostChanged: deps.hub.hostChanged }, kit);
      // Usage records and the invoice they add up to (docs/federation.md, "Usage and settlement").
      registerUsageProtocolRoutes(fed, deps, { raw, signedDeps, answer });
    },
    { prefix: PROTOCOL_PREFIX },
  );
}
