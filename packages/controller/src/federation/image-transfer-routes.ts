import { Type } from "@sinclair/typebox";
import { NotFoundError } from "@layerboom/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { BlobStore } from "../blobs/blob-store.js";
import { Strict } from "../http/schemas.js";
import type { App } from "../http/types.js";
import { IMAGE_BLOB_KEY_PURPOSE, checkImageBlobToken } from "./image-blob-tokens.js";
import { receivePeerImage, servedImageState } from "./image-transfer.js";
import type { ImageReceiveDeps, ImageSendDeps } from "./image-transfer.js";
import type { RawRequest, SignedRequestDeps } from "./signed-requests.js";
import { verifyPeerRequest } from "./signed-requests.js";

/** What the protocol routes lend the routes registered inside them. */
export interface ProtocolRouteKit {
  /** The request with the exact bytes of its body, for verification. */
  raw(request: FastifyRequest): RawRequest;
  signedDeps(): SignedRequestDeps;
  /** Answers a signed request with a signed answer. */
  answer(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    payload: unknown,
  ): Promise<FastifyReply>;
}

export type ImageTransferRouteDeps = Omit<ImageSendDeps, "peers"> & ImageReceiveDeps & { blobs: BlobStore };

const SHA256 = Type.String({ pattern: "^[0-9a-f]{64}$" });

/**
 * The image's journey (docs/federation.md "Remote servers: the protocol"), registered inside the
 * protocol routes (`/federation/v1`):
 * - on A, `GET /image-blobs/<token>`: the blob of the image the token names, for the peer it
 *   names, within its hour. Not signed: B's import pipeline fetches it like any URL. Whatever is
 *   wrong with the token, the answer is the same 404.
 * - on B, `POST /images` and `GET /images/{sha256}`: a peer sends an image, or asks where it stands.
 */
export function registerImageTransferRoutes(
  fed: App,
  deps: ImageTransferRouteDeps,
  kit: ProtocolRouteKit,
): void {
  fed.get(
    "/image-blobs/:token",
    {
      config: { public: true },
      schema: { hide: true, params: Strict({ token: Type.String({ maxLength: 400 }) }) },
    },
    async (request, reply) => {
      const unknown = new NotFoundError("image blob", "(this token)");
      const grant = checkImageBlobToken(
        deps.secretBox.derivedKey(IMAGE_BLOB_KEY_PURPOSE),
        request.params.token,
        new Date(),
      );
      if (!grant) throw unknown;
      // The peering may have ended since the URL was made: a token outlives no peering.
      const row = await deps.database.db
        .selectFrom("images")
        .innerJoin("federation_peers as p", (j) =>
          j.on("p.id", "=", grant.peerId).on("p.state", "=", "active"),
        )
        .select(["images.sha256", "images.status"])
        .where("images.id", "=", grant.imageId)
        .where("images.deleted_at", "is", null)
        .executeTakeFirst();
      const blob = row?.sha256 && row.status === "available" ? await deps.blobs.get(row.sha256) : undefined;
      if (!blob) throw unknown;
      return reply
        .header("content-type", "application/octet-stream")
        .header("content-length", String(blob.sizeBytes))
        .header("cache-control", "no-store")
        .send(deps.blobs.open(blob.sha256));
    },
  );

  fed.post(
    "/images",
    {
      config: { public: true },
      schema: {
        hide: true,
        body: Strict({
          sha256: SHA256,
          size_bytes: Type.Integer({ minimum: 1 }),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          url: Type.String({ minLength: 1, maxLength: 2000 }),
        }),
      },
    },
    async (request, reply) => {
      const peer = await verifyPeerRequest(kit.signedDeps(), kit.raw(request));
      const state = await receivePeerImage(deps, peer, request.body);
      return kit.answer(request, reply, 200, state);
    },
  );

  fed.get(
    "/images/:sha256",
    {
      config: { public: true },
      schema: { hide: true, params: Strict({ sha256: Type.String({ maxLength: 64 }) }) },
    },
    async (request, reply) => {
      const peer = await verifyPeerRequest(kit.signedDeps(), kit.raw(request));
      const state = await servedImageState(deps.database, peer, request.params.sha256.toLowerCase());
      if (!state) throw new NotFoundError("image", request.params.sha256);
      return kit.answer(request, reply, 200, state);
    },
  );
}
