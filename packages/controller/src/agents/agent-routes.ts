import { AuthenticationError, NotFoundError } from "@layerboom/core";
import type { Database, HostRow } from "@layerboom/db";
import { CAPTURE_ID_PATTERN } from "@layerboom/core";
import { CaptureUploadSchema } from "@layerboom/core/schemas";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import type { BlobStore } from "../blobs/blob-store.js";
import { Strict } from "../http/schemas.js";
import type { App } from "../http/types.js";
import type { AgentHub } from "./agent-hub.js";
import type { ImageJobsConfig } from "../images/jobs.js";
import { receiveCapture } from "./captures.js";
import { authenticateHost, joinHost } from "./host-registry.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set on /agent/v1 routes once the host credential checks out. */
    agentHost?: HostRow;
  }
}

export interface AgentRouteDeps {
  database: Database;
  hub: AgentHub;
  blobs: BlobStore;
  /** Where captured disks arrive (the image jobs' folders) and the free-space reserve. */
  imageJobs: ImageJobsConfig;
}

/**
 * Whether a server placed on the host (and not yet confirmed deleted: the desired set of
 * host-registry.ts) boots from an image whose disk, kernel or initrd is this blob.
 */
export async function hostNeedsBlob(database: Database, hostId: string, sha256: string): Promise<boolean> {
  const row = await database.db
    .selectFrom("servers")
    .innerJoin("images", "images.id", "servers.image_id")
    .select("servers.id")
    .where("servers.host_id", "=", hostId)
    .where("servers.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("images.sha256", "=", sha256),
        eb("images.kernel_sha256", "=", sha256),
        eb("images.initrd_sha256", "=", sha256),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

function bearer(request: FastifyRequest): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  if (!match?.[1])
    throw new AuthenticationError("The agent channel needs `Authorization: Bearer <host credential>`.");
  return match[1];
}

/**
 * `/agent/v1`: the join exchange, the blob downloads and the WebSocket channel. Hosts
 * authenticate with their credential; user tokens mean nothing here.
 */
export function registerAgentRoutes(app: App, deps: AgentRouteDeps): void {
  const hostAuth = async (request: FastifyRequest) => {
    request.agentHost = await authenticateHost(deps.database, bearer(request));
  };

  app.post(
    "/agent/v1/join",
    {
      schema: {
        hide: true,
        body: Strict({ join_token: Type.String({ minLength: 1, maxLength: 256 }) }),
      },
    },
    async (request, reply) => {
      const joined = await joinHost(deps.database, request.body.join_token);
      request.log.info({ hostId: joined.hostId }, "host joined");
      return reply.status(201).send({ host_id: joined.hostId, credential: joined.credential });
    },
  );

  app.get(
    "/agent/v1/blobs/:sha256",
    {
      preValidation: hostAuth,
      schema: { hide: true, params: Strict({ sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }) }) },
    },
    async (request, reply) => {
      const sha256 = request.params.sha256;
      // A host gets the files of the servers placed on it, and nothing else: a hash alone
      // opens nothing. Refused and missing blobs look the same.
      const host = request.agentHost;
      if (!host || !(await hostNeedsBlob(deps.database, host.id, sha256)))
        throw new NotFoundError("blob", sha256);
      const blob = await deps.blobs.get(sha256);
      if (!blob) throw new NotFoundError("blob", sha256);
      return reply
        .header("content-length", blob.sizeBytes)
        .type("application/octet-stream")
        .send(deps.blobs.open(blob.sha256));
    },
  );

  // A captured disk, streamed from the host into the capture job's folder (docs/images.md,
  // "Capture"). In a scope of its own: the parser that hands the raw stream on is its alone.
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser("application/octet-stream", (_request, payload, done) => done(null, payload));
    scope.put(
      "/agent/v1/captures/:capture_id",
      {
        preValidation: hostAuth,
        schema: {
          hide: true,
          params: Strict({ capture_id: Type.String({ pattern: CAPTURE_ID_PATTERN }) }),
          querystring: CaptureUploadSchema,
        },
      },
      async (request, reply) => {
        const host = request.agentHost;
        if (!host) throw new NotFoundError("capture", request.params.capture_id);
        await receiveCapture(
          deps.database,
          deps.imageJobs,
          host.id,
          request.params.capture_id,
          request.query,
          request.body as Readable,
        );
        request.log.info({ hostId: host.id, captureId: request.params.capture_id }, "capture received");
        return reply.status(204).send();
      },
    );
  });

  app.get(
    "/agent/v1",
    { websocket: true, preValidation: hostAuth, schema: { hide: true } },
    (socket, request) => {
      const host = request.agentHost;
      if (!host) {
        socket.close(4401, "unauthenticated");
        return;
      }
      deps.hub.accept(host.id, socket);
    },
  );
}
