import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  Host,
  HostStateSchema,
  IdParam,
  Name,
  PageOf,
  PageQuery,
  Strict,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { addHost, getHost, listHosts, removeHost } from "./hosts.js";

export function registerHostRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/hosts",
    {
      schema: {
        tags: ["hosts"],
        summary: "List hypervisor hosts (provider admins)",
        querystring: Strict({
          ...PageQuery,
          site_id: Type.Optional(Type.String()),
          state: Type.Optional(HostStateSchema),
        }),
        response: { 200: PageOf(Host), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return pageResponse(
        await listHosts(contextOf(deps, request), { siteId: q.site_id, state: q.state }, pageRequest(q)),
      );
    },
  );

  app.post(
    "/hosts",
    {
      config: { idempotent: true },
      schema: {
        tags: ["hosts"],
        summary: "Add a host; the response carries its one-time join token (shown once)",
        body: Strict({ name: Name, site_id: Type.String() }),
        response: {
          201: Type.Object({
            host: Host,
            join_token: Type.String({
              description: "Run `layerboom agent --join <token> <controller-url>` on the host",
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await addHost(contextOf(deps, request), request.body)),
  );

  app.get(
    "/hosts/:id",
    {
      schema: {
        tags: ["hosts"],
        summary: "Show a host",
        params: IdParam,
        response: { 200: Host, ...errorResponses },
      },
    },
    async (request) => getHost(contextOf(deps, request), request.params.id),
  );

  app.delete(
    "/hosts/:id",
    {
      schema: {
        tags: ["hosts"],
        summary: "Remove a host that carries no servers; its credential stops working at once",
        params: IdParam,
        response: { 200: Host, ...errorResponses },
      },
    },
    async (request) => removeHost(contextOf(deps, request), request.params.id),
  );
}
