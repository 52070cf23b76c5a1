import { Type } from "@sinclair/typebox";
import type { Database } from "@layerboom/db";
import { PowerActionSchema } from "@layerboom/core/schemas";
import { Strict } from "../http/schemas.js";
import type { App } from "../http/types.js";
import type { ProtocolRouteKit } from "./image-transfer-routes.js";
import { applyRemoteStates, receivedStates } from "./remote-servers.js";
import { getServedServer, listServedServers } from "./served-server-states.js";
import { createServedServer, deleteServedServer, servedServerAction } from "./served-servers.js";
import { verifyPeerRequest } from "./signed-requests.js";

export interface ServedRouteDeps {
  database: Database;
  /** Wakes a host's agent when a peer's create or action changed its desired set. */
  hostChanged?: ((hostId: string) => void) | undefined;
}

const ServerId = Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z]+_[0-9a-z]+$" });
const PAGE_SIZE = 100;

/**
 * Remote servers' protocol routes (docs/federation.md, "Remote servers: the protocol"), inside
 * `/federation/v1`: as B, a peer creates, reads, powers and deletes the servers it runs here;
 * as A, a peer pushes the states of the servers it runs for this installation. Every request is
 * signed by an active peer and answered signed; another peer's server is 404 as an unknown one.
 */
export function registerServedServerRoutes(fed: App, deps: ServedRouteDeps, kit: ProtocolRouteKit): void {
  const peerOf = (request: Parameters<ProtocolRouteKit["raw"]>[0]) =>
    verifyPeerRequest(kit.signedDeps(), kit.raw(request));

  fed.post(
    "/servers",
    {
      config: { public: true },
      schema: {
        hide: true,
        body: Strict({
          idempotency_key: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" }),
          offer_id: Type.String({ minLength: 1, maxLength: 64 }),
          offer_version: Type.Integer({ minimum: 1 }),
          site_id: Type.String({ minLength: 1, maxLength: 64 }),
          plan_id: Type.String({ minLength: 1, maxLength: 64 }),
          name: Type.String({ minLength: 1, maxLength: 63 }),
          image_sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
          ssh_public_keys: Type.Array(Type.String({ minLength: 1, maxLength: 16_384 }), { maxItems: 20 }),
          user_data_base64: Type.Optional(Type.String({ maxLength: 22_000 })),
          required_jurisdictions: Type.Array(Type.String({ pattern: "^[A-Z]{2}(-[A-Z0-9]{1,3})?$" }), {
            maxItems: 50,
          }),
        }),
      },
    },
    async (request, reply) => {
      const peer = await peerOf(request);
      const { created, server } = await createServedServer(deps, peer, request.body);
      return kit.answer(request, reply, created ? 201 : 200, { server });
    },
  );

  fed.get(
    "/servers",
    {
      config: { public: true },
      schema: { hide: true, querystring: Strict({ after: Type.Optional(ServerId) }) },
    },
    async (request, reply) => {
      const peer = await peerOf(request);
      const page = await listServedServers(deps.database.db, peer, {
        after: request.query.after,
        limit: PAGE_SIZE,
      });
      return kit.answer(request, reply, 200, page);
    },
  );

  fed.get(
    "/servers/:id",
    { config: { public: true }, schema: { hide: true, params: Strict({ id: ServerId }) } },
    async (request, reply) => {
      const peer = await peerOf(request);
      const server = await getServedServer(deps.database.db, peer, request.params.id);
      return kit.answer(request, reply, 200, { server });
    },
  );

  fed.post(
    "/servers/:id/actions",
    {
      config: { public: true },
      schema: {
        hide: true,
        params: Strict({ id: ServerId }),
        body: Strict({ action: PowerActionSchema }),
      },
    },
    async (request, reply) => {
      const peer = await peerOf(request);
      const server = await servedServerAction(deps, peer, request.params.id, request.body.action);
      return kit.answer(request, reply, 200, { server });
    },
  );

  fed.post(
    "/servers/:id/delete",
    { config: { public: true }, schema: { hide: true, params: Strict({ id: ServerId }), body: Strict({}) } },
    async (request, reply) => {
      const peer = await peerOf(request);
      const server = await deleteServedServer(deps, peer, request.params.id);
      return kit.answer(request, reply, 200, { server });
    },
  );

  // A's side: the peer that runs servers for this installation pushes their states.
  fed.post(
    "/server-states",
    {
      config: { public: true },
      schema: {
        hide: true,
        body: Strict({
          servers: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 500 }),
        }),
      },
    },
    async (request, reply) => {
      const peer = await peerOf(request);
      const applied = await applyRemoteStates(
        deps.database.db,
        peer.id,
        receivedStates(request.body.servers),
      );
      return kit.answer(request, reply, 200, { applied });
    },
  );
}
