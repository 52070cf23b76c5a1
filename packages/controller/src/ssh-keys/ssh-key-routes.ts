import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import { IdParam, Name, PageOf, PageQuery, SshKey, Strict, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createSshKey, deleteSshKey, getSshKey, listSshKeys } from "./ssh-keys.js";

export function registerSshKeyRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/ssh-keys",
    {
      schema: {
        tags: ["ssh-keys"],
        summary: "List SSH keys",
        querystring: Strict({ ...PageQuery, account_id: Type.Optional(Type.String()) }),
        response: { 200: PageOf(SshKey), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(
        await listSshKeys(
          contextOf(deps, request),
          { accountId: request.query.account_id },
          pageRequest(request.query),
        ),
      ),
  );

  app.post(
    "/ssh-keys",
    {
      config: { idempotent: true },
      schema: {
        tags: ["ssh-keys"],
        summary: "Add an SSH public key",
        body: Strict({
          name: Name,
          public_key: Type.String({ minLength: 1, maxLength: 16_384 }),
          account_id: Type.Optional(Type.String()),
        }),
        response: { 201: SshKey, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createSshKey(contextOf(deps, request), request.body)),
  );

  app.get(
    "/ssh-keys/:id",
    {
      schema: {
        tags: ["ssh-keys"],
        summary: "Show an SSH key",
        params: IdParam,
        response: { 200: SshKey, ...errorResponses },
      },
    },
    async (request) => getSshKey(contextOf(deps, request), request.params.id),
  );

  app.delete(
    "/ssh-keys/:id",
    {
      schema: {
        tags: ["ssh-keys"],
        summary: "Delete an SSH key",
        params: IdParam,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteSshKey(contextOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
