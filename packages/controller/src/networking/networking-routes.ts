import { Type } from "@sinclair/typebox";
import { AddressChange, IdParam, IpPool, ServerTransfer, Strict, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { addExtraIpv4, releaseExtraIpv4 } from "./extra-ipv4.js";
import { createIpPool, deleteIpPool, getIpPool, listIpPools } from "./ip-pools.js";
import { getServerTransfer } from "./transfer.js";

// Public networking (docs/networking.md): a site's IPv4 pools for the provider, and a
// server's extra addresses and transfer for its customer.

const Ipv4Text = Type.String({ minLength: 7, maxLength: 15, description: "A dotted-quad IPv4 address" });

export function registerNetworkingRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/sites/:id/ip-pools",
    {
      schema: {
        tags: ["networking"],
        summary: "List a site's IPv4 pools (provider admins)",
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(IpPool) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listIpPools(contextOf(deps, request), request.params.id) }),
  );

  app.post(
    "/sites/:id/ip-pools",
    {
      config: { idempotent: true },
      schema: {
        tags: ["networking"],
        summary:
          "Give a site a range of public IPv4 addresses; its new servers get one each, on the named bridge",
        params: IdParam,
        body: Strict({
          cidr: Type.String({ maxLength: 18, description: "The network, e.g. 203.0.113.0/24" }),
          gateway: Ipv4Text,
          first_address: Type.Optional(Ipv4Text),
          last_address: Type.Optional(Ipv4Text),
          bridge: Type.String({ minLength: 1, maxLength: 15 }),
          nameservers: Type.Optional(Type.Array(Ipv4Text, { maxItems: 4 })),
        }),
        response: { 201: IpPool, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createIpPool(contextOf(deps, request), request.params.id, request.body)),
  );

  app.get(
    "/ip-pools/:id",
    {
      schema: {
        tags: ["networking"],
        summary: "Show an IPv4 pool with how many of its addresses are held",
        params: IdParam,
        response: { 200: IpPool, ...errorResponses },
      },
    },
    async (request) => getIpPool(contextOf(deps, request), request.params.id),
  );

  app.delete(
    "/ip-pools/:id",
    {
      schema: {
        tags: ["networking"],
        summary: "Remove an IPv4 pool none of whose addresses is held",
        params: IdParam,
        response: { 200: IpPool, ...errorResponses },
      },
    },
    async (request) => deleteIpPool(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/servers/:id/ipv4",
    {
      schema: {
        tags: ["networking"],
        summary: "Give the server one more public IPv4 address (a paid add-on, billed by the hour)",
        params: IdParam,
        response: { 201: AddressChange, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addExtraIpv4(contextOf(deps, request), request.params.id)),
  );

  app.delete(
    "/servers/:id/ipv4/:address",
    {
      schema: {
        tags: ["networking"],
        summary: "Give an extra IPv4 address back; billing stops now (the primary address stays)",
        params: Strict({ id: IdParam.properties.id, address: Ipv4Text }),
        response: { 200: AddressChange, ...errorResponses },
      },
    },
    async (request) => releaseExtraIpv4(contextOf(deps, request), request.params.id, request.params.address),
  );

  app.get(
    "/servers/:id/transfer",
    {
      schema: {
        tags: ["networking"],
        summary: "What the server sent and received in a month, per day, against its plan's allowance",
        params: IdParam,
        querystring: Strict({
          month: Type.Optional(
            Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM; default this month" }),
          ),
        }),
        response: { 200: ServerTransfer, ...errorResponses },
      },
    },
    async (request) => getServerTransfer(contextOf(deps, request), request.params.id, request.query.month),
  );
}
