import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { Type } from "@sinclair/typebox";
import {
  exportDownload,
  exportImageJob,
  getImageJob,
  importFromUpload,
  importFromUrl,
  listImageJobs,
} from "../image-jobs/jobs.js";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  Name,
  Nullable,
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";

const Visibility = Type.Union([Type.Literal("private"), Type.Literal("subtree"), Type.Literal("public")]);
const DiskFormat = Type.String({
  maxLength: 20,
  description: "The format you claim (qcow2, raw, vmdk, vdi, vpc, vhdx, iso); it must agree with the content",
});

const ImportFields = {
  name: Name,
  visibility: Type.Optional(Visibility),
  os: Type.Optional(Type.String({ maxLength: 100 })),
  format: Type.Optional(DiskFormat),
  sha256: Type.Optional(
    Type.String({ description: "Published sha256 of the file; verified before anything else" }),
  ),
  md5: Type.Optional(Type.String({ description: "Published md5 (old catalogs); verified too" })),
  root_password_hash: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        "For a root filesystem (tarball or ext image): root's crypt(3) hash; by default root's password is locked",
    }),
  ),
};

const ImageJob = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  kind: Type.Union([Type.Literal("import"), Type.Literal("export")]),
  state: Type.Union([
    Type.Literal("queued"),
    Type.Literal("running"),
    Type.Literal("succeeded"),
    Type.Literal("failed"),
  ]),
  stage: Type.String({
    description: "fetch, verify, unpack, make-bootable:<step>, convert, checksum, catalog; export",
  }),
  bytes_done: Type.Integer(),
  bytes_total: Nullable(Type.Integer()),
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  image_id: Nullable(Type.String({ description: "The imported image, or the image being exported" })),
  error: Nullable(Type.Object({ check: Type.String(), message: Type.String() })),
  result: Nullable(Type.Object({}, { additionalProperties: true })),
  attempts: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
  finished_at: Nullable(Timestamp),
});

/** Largest upload accepted through the API. */
const MAX_UPLOAD_BYTES = 64 * 1024 ** 3;

export function registerImageJobRoutes(
  app: App,
  deps: RouteDeps & { blobDir: string; jobQueued: () => void },
): void {
  /** A new job starts at once on this controller instead of at the next poll. */
  const queued = <T>(job: T): T => {
    deps.jobQueued();
    return job;
  };
  // Uploads stream straight to disk: the parser hands the raw request stream on.
  app.addContentTypeParser("application/octet-stream", (_request, payload, done) => done(null, payload));

  app.post(
    "/images/imports",
    {
      schema: {
        tags: ["images"],
        summary: "Import an image from an http(s) URL; answers with the job to watch",
        body: Strict({ url: Type.String({ maxLength: 4096 }), ...ImportFields }),
        response: { 202: ImageJob, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(queued(await importFromUrl(contextOf(deps, request), deps.blobDir, request.body))),
  );

  app.post(
    "/images/uploads",
    {
      schema: {
        tags: ["images"],
        summary: "Upload an image file (application/octet-stream), streamed to disk; answers with the job",
        querystring: Strict({ ...ImportFields, filename: Type.Optional(Type.String({ maxLength: 255 })) }),
        response: { 202: ImageJob, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          queued(
            await importFromUpload(
              contextOf(deps, request),
              deps.blobDir,
              request.query,
              request.body as Readable,
              MAX_UPLOAD_BYTES,
            ),
          ),
        ),
  );

  app.post(
    "/images/:id/exports",
    {
      schema: {
        tags: ["images"],
        summary:
          "Export an image for VirtualBox (vdi, ova), VMware (vmdk, ova), EC2 import (raw, vmdk) or qcow2",
        params: IdParam,
        body: Strict({
          format: Type.Union(["qcow2", "raw", "vdi", "vmdk", "ova"].map((f) => Type.Literal(f))),
        }),
        response: { 202: ImageJob, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          queued(
            await exportImageJob(
              contextOf(deps, request),
              deps.blobDir,
              request.params.id,
              request.body.format as "qcow2" | "raw" | "vdi" | "vmdk" | "ova",
            ),
          ),
        ),
  );

  app.get(
    "/image-jobs",
    {
      schema: {
        tags: ["images"],
        summary: "Image import and export jobs of your subtree",
        querystring: Strict({ ...PageQuery }),
        response: { 200: PageOf(ImageJob), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(await listImageJobs(contextOf(deps, request), pageRequest(request.query))),
  );

  app.get(
    "/image-jobs/:id",
    {
      schema: {
        tags: ["images"],
        summary: "An image job: its stage, progress and outcome",
        params: IdParam,
        response: { 200: ImageJob, ...errorResponses },
      },
    },
    async (request) => getImageJob(contextOf(deps, request), request.params.id),
  );

  app.get(
    "/image-jobs/:id/download",
    {
      schema: {
        tags: ["images"],
        summary: "Download a finished export",
        params: IdParam,
      },
    },
    async (request, reply) => {
      const file = await exportDownload(contextOf(deps, request), request.params.id);
      return reply
        .type("application/octet-stream")
        .header("content-length", String(file.bytes))
        .header("content-disposition", `attachment; filename="${file.filename.replace(/"/g, "")}"`)
        .send(createReadStream(file.path));
    },
  );
}
