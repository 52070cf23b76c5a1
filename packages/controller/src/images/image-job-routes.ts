import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { Type } from "@sinclair/typebox";
import type { TSchema } from "@sinclair/typebox";
import {
  exportDownload,
  exportImageJob,
  getImageJob,
  importFromUpload,
  importFromUrl,
  listImageJobs,
} from "./jobs.js";
import type { ImageJobsConfig } from "./jobs.js";
import { attachmentDisposition } from "./content-disposition.js";
import { captureServer } from "./captures.js";
import { getImageQuotas, setImageQuotas } from "./quotas.js";
import type { QuotaName } from "./quotas.js";
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
  kind: Type.Union([Type.Literal("import"), Type.Literal("export"), Type.Literal("capture")]),
  state: Type.Union([
    Type.Literal("queued"),
    Type.Literal("running"),
    Type.Literal("succeeded"),
    Type.Literal("failed"),
  ]),
  stage: Type.String({
    description:
      "fetch, verify, unpack, make-bootable:<step>, convert, checksum, catalog; export; copy, verify, generalize, convert, checksum, catalog (capture)",
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

/** One integer per quota (docs/security.md, "Files, blobs and quotas"). */
const quotaFields = <T extends TSchema>(field: (name: QuotaName) => T) => ({
  images: field("images"),
  image_bytes: field("image_bytes"),
  image_jobs: field("image_jobs"),
  image_jobs_running: field("image_jobs_running"),
  uploads: field("uploads"),
});

const ImageQuotasView = Type.Object({
  account_id: Type.String(),
  limits: Type.Object(quotaFields(() => Type.Integer())),
  overrides: Type.Object(quotaFields(() => Nullable(Type.Integer()))),
  usage: Type.Object(quotaFields(() => Type.Integer())),
});

/** Quota limits a provider admin sets; null returns a quota to the controller's default. */
const QuotaChanges = Strict(
  quotaFields((name) =>
    Type.Optional(
      Nullable(
        Type.Integer({
          minimum: name === "image_jobs_running" ? 1 : 0,
          maximum: name === "image_bytes" ? Number.MAX_SAFE_INTEGER : 1_000_000,
        }),
      ),
    ),
  ),
);

export function registerImageJobRoutes(
  app: App,
  deps: RouteDeps & { imageJobs: ImageJobsConfig; jobQueued: () => void },
): void {
  /** A new job starts at once on this controller instead of at the next poll. */
  const queued = <T>(job: T): T => {
    deps.jobQueued();
    return job;
  };
  app.post(
    "/servers/:id/image",
    {
      schema: {
        tags: ["servers"],
        summary:
          "Capture the server's disk into a private image of its account (a stopped server as it is, a running one live); answers with the job to watch",
        params: IdParam,
        body: Strict({ name: Name, description: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: { 202: ImageJob, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          queued(
            await captureServer(contextOf(deps, request), deps.imageJobs, request.params.id, request.body),
          ),
        ),
  );

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
        .send(queued(await importFromUrl(contextOf(deps, request), deps.imageJobs, request.body))),
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
              deps.imageJobs,
              request.query,
              request.body as Readable,
              announcedLength(request.headers["content-length"]),
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
              deps.imageJobs,
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
      const file = await exportDownload(contextOf(deps, request), deps.imageJobs.blobDir, request.params.id);
      return reply
        .type("application/octet-stream")
        .header("content-length", String(file.bytes))
        .header("content-disposition", attachmentDisposition(file.filename))
        .send(createReadStream(file.path));
    },
  );

  app.get(
    "/accounts/:id/image-quotas",
    {
      schema: {
        tags: ["images"],
        summary: "An account's image quotas: the limits in force, its own overrides, and what it uses",
        params: IdParam,
        response: { 200: ImageQuotasView, ...errorResponses },
      },
    },
    async (request) =>
      getImageQuotas(contextOf(deps, request), request.params.id, deps.imageJobs.limits.quotas),
  );

  app.patch(
    "/accounts/:id/image-quotas",
    {
      schema: {
        tags: ["images"],
        summary: "Set an account's image quotas (provider admins); null returns one to the default",
        params: IdParam,
        body: QuotaChanges,
        response: { 200: ImageQuotasView, ...errorResponses },
      },
    },
    async (request) =>
      setImageQuotas(contextOf(deps, request), request.params.id, request.body, deps.imageJobs.limits.quotas),
  );
}

/** The upload's announced size, when the client sent a usable Content-Length. */
function announcedLength(header: string | undefined): number | undefined {
  const bytes = header === undefined ? NaN : Number(header);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
}
