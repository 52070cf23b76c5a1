import { Type } from "@sinclair/typebox";
import { PowerActionSchema } from "@layerboom/core/schemas";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  Nullable,
  NullableTimestamp,
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { MAX_USER_DATA_BYTES } from "../servers/servers.js";
import {
  createRemoteServer,
  deleteRemoteServer,
  getRemoteServer,
  listRemoteServers,
  remoteServerAction,
} from "./remote-servers.js";

export const RemoteServer = Type.Object({
  id: Type.String({
    description: "rsv_…: this installation's id, and the create's idempotency key at the partner",
  }),
  account_id: Type.String(),
  name: Type.String(),
  peer_id: Type.String(),
  operated_by: Type.String({ description: "The partner that runs it" }),
  site_id: Type.String({ description: "The partner's site (GET /partner-sites)" }),
  plan_id: Type.String({ description: "The partner's plan" }),
  image_id: Type.String(),
  currency: Type.String(),
  hourly_price_minor: Type.Integer({ description: "This installation's price, pinned at creation" }),
  monthly_cap_minor: Type.Integer(),
  desired_state: Type.String({ description: "running, stopped or deleted" }),
  state: Type.String({
    description:
      "The partner's observed state (creating, provisioning, running, stopped, deleted, failed, …), or unknown while the partner has not answered for two minutes or the last call failed",
  }),
  remote_state: Type.String({ description: "What the partner last said, even while state is unknown" }),
  addresses: Type.Array(Type.Object({ kind: Type.String(), address: Type.String() })),
  remote_server_id: Nullable(Type.String()),
  last_seen_at: NullableTimestamp,
  last_error: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});

/** The REST routes' extra: wakes the job runner when a job for the partner was queued. */
export interface RemoteServerRouteDeps extends RouteDeps {
  jobQueued?: (() => void) | undefined;
}

/**
 * `/remote-servers` (docs/federation.md, "A's mirror"): a customer's servers at partners' sites,
 * with the tenancy of `/servers`. Customers' `servers` tokens may use them: it is their server.
 */
export function registerRemoteServerRoutes(app: App, deps: RemoteServerRouteDeps): void {
  const tokenScope = { group: "servers" as const };
  const queued = <T>(value: T): T => {
    deps.jobQueued?.();
    return value;
  };

  app.get(
    "/remote-servers",
    {
      config: { tokenScope },
      schema: {
        tags: ["servers"],
        summary: "List servers at partners' sites",
        querystring: Strict({ ...PageQuery, account_id: Type.Optional(Type.String()) }),
        response: { 200: PageOf(RemoteServer), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(
        await listRemoteServers(
          contextOf(deps, request),
          { accountId: request.query.account_id },
          pageRequest(request.query),
        ),
      ),
  );

  app.post(
    "/remote-servers",
    {
      config: { tokenScope, idempotent: true },
      schema: {
        tags: ["servers"],
        summary: "Create a server at a partner's site; the partner is asked by a durable job",
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 63 }),
          site_id: Type.String({
            minLength: 1,
            maxLength: 64,
            description: "A partner site (GET /partner-sites)",
          }),
          plan_id: Type.String({ minLength: 1, maxLength: 64, description: "One of that site's plans" }),
          image_id: Type.String({ minLength: 1, maxLength: 64 }),
          ssh_key_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
          account_id: Type.Optional(Type.String({ description: "The customer account; defaults to yours" })),
          user_data: Type.Optional(Type.String({ maxLength: MAX_USER_DATA_BYTES })),
        }),
        response: { 202: RemoteServer, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user_data: userData, ...input } = request.body;
      const created = await createRemoteServer(contextOf(deps, request), {
        ...input,
        ...(userData !== undefined
          ? { user_data_base64: Buffer.from(userData, "utf8").toString("base64") }
          : {}),
      });
      return reply.status(202).send(queued(created));
    },
  );

  app.get(
    "/remote-servers/:id",
    {
      config: { tokenScope },
      schema: {
        tags: ["servers"],
        summary: "Show a server at a partner's site",
        params: IdParam,
        response: { 200: RemoteServer, ...errorResponses },
      },
    },
    async (request) => getRemoteServer(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/remote-servers/:id/actions",
    {
      config: { tokenScope },
      schema: {
        tags: ["servers"],
        summary: "Stop, start or reboot a server at a partner's site (sent when the partner is reachable)",
        params: IdParam,
        body: Strict({ action: PowerActionSchema }),
        response: { 202: RemoteServer, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          queued(await remoteServerAction(contextOf(deps, request), request.params.id, request.body.action)),
        ),
  );

  app.delete(
    "/remote-servers/:id",
    {
      config: { tokenScope },
      schema: {
        tags: ["servers"],
        summary: "Delete a server at a partner's site",
        params: IdParam,
        response: { 202: RemoteServer, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(202).send(queued(await deleteRemoteServer(contextOf(deps, request), request.params.id))),
  );
}
