import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  Account,
  AccountKindSchema,
  RequiredJurisdictions,
  IdParam,
  Name,
  PageOf,
  PageQuery,
  Strict,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createAccount, getAccount, listAccounts, updateAccount } from "./accounts.js";

export function registerAccountRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/accounts",
    {
      schema: {
        tags: ["accounts"],
        summary: "List the accounts in your subtree (your own included)",
        querystring: Strict({
          ...PageQuery,
          kind: Type.Optional(AccountKindSchema),
          parent_id: Type.Optional(Type.String()),
        }),
        response: { 200: PageOf(Account), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return pageResponse(
        await listAccounts(contextOf(deps, request), { kind: q.kind, parentId: q.parent_id }, pageRequest(q)),
      );
    },
  );

  app.post(
    "/accounts",
    {
      config: { idempotent: true },
      schema: {
        tags: ["accounts"],
        summary: "Create a reseller or customer account under yours (or under parent_id)",
        body: Strict({
          kind: Type.Union([Type.Literal("reseller"), Type.Literal("customer")]),
          name: Name,
          slug: Type.Optional(Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,39}$" })),
          parent_id: Type.Optional(Type.String()),
          required_jurisdictions: Type.Optional(RequiredJurisdictions),
        }),
        response: { 201: Account, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const row = await createAccount(contextOf(deps, request), {
        kind: b.kind,
        name: b.name,
        slug: b.slug,
        parentId: b.parent_id,
        requiredJurisdictions: b.required_jurisdictions,
      });
      return reply.status(201).send(row);
    },
  );

  app.get(
    "/accounts/:id",
    {
      schema: {
        tags: ["accounts"],
        summary: "Show an account",
        params: IdParam,
        response: { 200: Account, ...errorResponses },
      },
    },
    async (request) => getAccount(contextOf(deps, request), request.params.id),
  );

  app.patch(
    "/accounts/:id",
    {
      schema: {
        tags: ["accounts"],
        summary:
          "Rename an account, or set its required jurisdictions (admins above it: any; its own admins: tighten only)",
        params: IdParam,
        body: Strict({
          name: Type.Optional(Name),
          required_jurisdictions: Type.Optional(RequiredJurisdictions),
        }),
        response: { 200: Account, ...errorResponses },
      },
    },
    async (request) => updateAccount(contextOf(deps, request), request.params.id, request.body),
  );
}
