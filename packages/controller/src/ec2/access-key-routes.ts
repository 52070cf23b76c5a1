import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  NullableTimestamp,
  TokenScopeSchema,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import type { SecretBox } from "../base/secret-box.js";
import { createAccessKey, listAccessKeys, revokeAccessKey } from "./access-keys.js";

const AccessKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(TokenScopeSchema),
  created_at: Timestamp,
  last_used_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
});

const NewAccessKey = Type.Object({
  ...AccessKey.properties,
  secret_access_key: Type.String({ description: "Shown in this response only" }),
});

const AccessKeyIdParam = Strict({ id: Type.String({ pattern: "^AKIA[A-Z2-7]{16}$" }) });

/** `/ec2-credentials`: the access keys that sign requests to the EC2 API (docs/ec2.md). */
export function registerAccessKeyRoutes(app: App, deps: RouteDeps & { secretBox: SecretBox }): void {
  const config = { tokenScope: { group: "account" } } as const;
  app.get(
    "/ec2-credentials",
    {
      config,
      schema: {
        tags: ["ec2"],
        summary: "List your EC2 access keys (never their secrets)",
        querystring: Strict({ ...PageQuery }),
        response: { 200: PageOf(AccessKey), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(await listAccessKeys(contextOf(deps, request), pageRequest(request.query))),
  );

  app.post(
    "/ec2-credentials",
    {
      // Not idempotent on purpose: a replayed answer would have to keep the secret in the idempotency store.
      config,
      schema: {
        tags: ["ec2"],
        summary: "Create an EC2 access key for SigV4; the secret is in this response only",
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          scopes: Type.Optional(
            Type.Array(TokenScopeSchema, {
              minItems: 1,
              maxItems: 32,
              description: 'What the key may do (default ["full"]), as for API tokens',
            }),
          ),
        }),
        response: { 201: NewAccessKey, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createAccessKey(
            contextOf(deps, request),
            deps.secretBox,
            request.body.name,
            request.body.scopes ?? ["full"],
          ),
        ),
  );

  app.delete(
    "/ec2-credentials/:id",
    {
      config,
      schema: {
        tags: ["ec2"],
        summary: "Revoke an EC2 access key",
        params: AccessKeyIdParam,
        response: { 200: AccessKey, ...errorResponses },
      },
    },
    async (request) => revokeAccessKey(contextOf(deps, request), request.params.id),
  );
}
