import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  NewToken,
  PageOf,
  PageQuery,
  Strict,
  Token,
  TokenScopeSchema,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createToken, listTokens, revokeToken } from "./tokens.js";

export function registerTokenRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/tokens",
    {
      schema: {
        tags: ["tokens"],
        summary: "List your API tokens (never their secrets)",
        querystring: Strict({ ...PageQuery }),
        response: { 200: PageOf(Token), ...errorResponses },
      },
    },
    async (request) => pageResponse(await listTokens(contextOf(deps, request), pageRequest(request.query))),
  );

  app.post(
    "/tokens",
    {
      config: { idempotent: true },
      schema: {
        tags: ["tokens"],
        summary:
          "Create an API token, full, read-only or limited to scopes; the secret is in this response only",
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          expires_at: Type.Optional(Type.String({ format: "date-time" })),
          scopes: Type.Optional(
            Type.Array(TokenScopeSchema, {
              minItems: 1,
              maxItems: 32,
              description:
                'What the token may do (default ["full"]): "read" for read-only, "servers" or "servers:read" for one group',
            }),
          ),
        }),
        response: { 201: NewToken, ...errorResponses },
      },
    },
    async (request, reply) => {
      const expiresAt = request.body.expires_at ? new Date(request.body.expires_at) : null;
      return reply
        .status(201)
        .send(
          await createToken(
            contextOf(deps, request),
            request.body.name,
            expiresAt,
            request.body.scopes ?? ["full"],
          ),
        );
    },
  );

  app.delete(
    "/tokens/:id",
    {
      schema: {
        tags: ["tokens"],
        summary: "Revoke a token",
        params: IdParam,
        response: { 200: Token, ...errorResponses },
      },
    },
    async (request) => revokeToken(contextOf(deps, request), request.params.id),
  );
}
