import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  Image,
  ImageVisibility,
  Name,
  PageOf,
  PageQuery,
  Strict,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createImage, deleteImage, getImage, listImages } from "./images.js";
import type { ImageQuotas } from "./quotas.js";

/** Image records: list, register, show, delete (imports and exports are image-job-routes.ts). */
export function registerImageRoutes(
  app: App,
  /** `imageQuotas`: the default image quotas, which POST /images counts against. */
  deps: RouteDeps & { imageQuotas: ImageQuotas },
): void {
  app.get(
    "/images",
    {
      schema: {
        tags: ["images"],
        summary: "List the images you can use",
        querystring: Strict({
          ...PageQuery,
          name: Type.Optional(Type.String()),
          visibility: Type.Optional(ImageVisibility),
        }),
        response: { 200: PageOf(Image), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return pageResponse(
        await listImages(
          contextOf(deps, request),
          { name: q.name, visibility: q.visibility },
          pageRequest(q),
        ),
      );
    },
  );

  app.post(
    "/images",
    {
      config: { idempotent: true },
      schema: {
        tags: ["images"],
        summary: "Register an image record: empty, or sharing the files of an image you can use",
        body: Strict({
          name: Name,
          visibility: ImageVisibility,
          account_id: Type.Optional(Type.String()),
          os: Type.Optional(Type.String({ maxLength: 100 })),
          arch: Type.Optional(Type.Literal("x86_64")),
          format: Type.Optional(
            Type.Union([Type.Literal("qcow2"), Type.Literal("raw"), Type.Literal("kernel+initrd")]),
          ),
          source: Type.Optional(Type.String({ maxLength: 2000 })),
          // No sha256 (nor size or md5): a client never names a blob by hash; content comes
          // from an import, or from an image the caller can already use (issue 12).
          from_image_id: Type.Optional(
            Type.String({
              maxLength: 64,
              description: "Share the files of an image you can use (yours, public, or shared with you)",
            }),
          ),
        }),
        response: { 201: Image, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createImage(contextOf(deps, request), request.body, deps.imageQuotas)),
  );

  app.get(
    "/images/:id",
    {
      schema: {
        tags: ["images"],
        summary: "Show an image",
        params: IdParam,
        response: { 200: Image, ...errorResponses },
      },
    },
    async (request) => getImage(contextOf(deps, request), request.params.id),
  );

  app.delete(
    "/images/:id",
    {
      schema: {
        tags: ["images"],
        summary: "Delete an image",
        params: IdParam,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteImage(contextOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
