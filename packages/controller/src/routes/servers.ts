import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  DesiredStateSchema,
  IdParam,
  PageOf,
  PageQuery,
  Server,
  Strict,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createServer, deleteServer, getServer, listServers, serverAction } from "../services/servers.js";

export function registerServerRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/servers",
    {
      schema: {
        tags: ["servers"],
        summary: "List servers",
        querystring: Strict({
          ...PageQuery,
          account_id: Type.Optional(Type.String()),
          site_id: Type.Optional(Type.String()),
          host_id: Type.Optional(Type.String()),
          desired_state: Type.Optional(DesiredStateSchema),
          observed_state: Type.Optional(Type.String()),
          name: Type.Optional(Type.String()),
        }),
        response: { 200: PageOf(Server), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const filter = {
        accountId: q.account_id,
        siteId: q.site_id,
        hostId: q.host_id,
        desiredState: q.desired_state,
        observedState: q.observed_state,
        name: q.name,
      };
      return pageResponse(await listServers(contextOf(deps, request), filter, pageRequest(q)));
    },
  );

  app.post(
    "/servers",
    {
      config: { idempotent: true },
      schema: {
        tags: ["servers"],
        summary: "Create a server; it starts as soon as a host takes it",
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 63 }),
          site_id: Type.Optional(
            Type.String({
              description:
                "Omit to let Layerboom pick, among the sites that offer energy-aware placement, the one with the cheapest and cleanest electricity now",
            }),
          ),
          plan_id: Type.String(),
          image_id: Type.String(),
          ssh_key_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
          account_id: Type.Optional(Type.String({ description: "The customer account; defaults to yours" })),
        }),
        response: { 201: Server, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createServer(contextOf(deps, request), request.body)),
  );

  app.get(
    "/servers/:id",
    {
      schema: {
        tags: ["servers"],
        summary: "Show a server",
        params: IdParam,
        response: { 200: Server, ...errorResponses },
      },
    },
    async (request) => getServer(contextOf(deps, request), request.params.id),
  );

  for (const action of ["start", "stop", "reboot"] as const) {
    app.post(
      `/servers/:id/${action}`,
      {
        schema: {
          tags: ["servers"],
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} a server`,
          params: IdParam,
          response: { 200: Server, ...errorResponses },
        },
      },
      async (request) => serverAction(contextOf(deps, request), request.params.id, action),
    );
  }

  app.delete(
    "/servers/:id",
    {
      schema: {
        tags: ["servers"],
        summary: "Delete a server and its disk",
        params: IdParam,
        response: { 200: Server, ...errorResponses },
      },
    },
    async (request) => deleteServer(contextOf(deps, request), request.params.id),
  );
}
