import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  Email,
  IdParam,
  Name,
  PageOf,
  PageQuery,
  Password,
  RoleSchema,
  Strict,
  User,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { currentSessionId } from "./auth-deps.js";
import { createUser, getUser, listUsers, unlockUser, updateUser } from "./users.js";
import { registerInvitationRoutes } from "./invitation-routes.js";

const UpdatedUser = Type.Composite([
  User,
  Type.Object({
    sessions_revoked: Type.Optional(
      Type.Integer({ description: "After a password change: the user's other sessions it ended" }),
    ),
    tokens_revoked: Type.Optional(
      Type.Integer({ description: "After a password change: the user's API tokens it revoked" }),
    ),
  }),
]);

/** Users, and the invitations that add them (identity/invitation-routes.ts). */
export function registerUserRoutes(app: App, deps: RouteDeps): void {
  registerInvitationRoutes(app, deps);
  app.get(
    "/users",
    {
      schema: {
        tags: ["users"],
        summary: "List users in your subtree",
        querystring: Strict({
          ...PageQuery,
          account_id: Type.Optional(Type.String()),
          email: Type.Optional(Type.String()),
        }),
        response: { 200: PageOf(User), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return pageResponse(
        await listUsers(
          contextOf(deps, request),
          { accountId: q.account_id, email: q.email },
          pageRequest(q),
        ),
      );
    },
  );

  app.post(
    "/users",
    {
      config: { idempotent: true },
      schema: {
        tags: ["users"],
        summary: "Create a user directly (provider admins; everyone else invites with POST /invitations)",
        description:
          "A taken email answers 409. Only the provider's admins, who see every user anyway, may create users directly: an invitation never says whether an address is taken.",
        body: Strict({
          email: Email,
          role: RoleSchema,
          name: Type.Optional(Name),
          password: Type.Optional(Password),
          account_id: Type.Optional(Type.String()),
        }),
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await createUser(contextOf(deps, request), {
        accountId: b.account_id,
        email: b.email,
        name: b.name,
        role: b.role,
        password: b.password,
      });
      return reply.status(201).send(user);
    },
  );

  app.get(
    "/users/:id",
    {
      schema: {
        tags: ["users"],
        summary: "Show a user",
        params: IdParam,
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => getUser(contextOf(deps, request), request.params.id),
  );

  app.patch(
    "/users/:id",
    {
      schema: {
        tags: ["users"],
        summary: "Change a user's name, role, password or disabled flag",
        description:
          "A new password revokes every API token of the user and ends every session but the caller's own; the answer counts them. Changing one's own password needs current_password.",
        params: IdParam,
        body: Strict({
          name: Type.Optional(Name),
          role: Type.Optional(RoleSchema),
          disabled: Type.Optional(Type.Boolean()),
          password: Type.Optional(Password),
          current_password: Type.Optional(Password),
        }),
        response: { 200: UpdatedUser, ...errorResponses },
      },
    },
    async (request) => {
      const { current_password, ...change } = request.body;
      return updateUser(
        contextOf(deps, request),
        request.params.id,
        { ...change, currentPassword: current_password },
        currentSessionId(request),
      );
    },
  );

  app.post(
    "/users/:id/unlock",
    {
      schema: {
        tags: ["users"],
        summary: "Lift the login locks on a user's email, from every address (provider admins)",
        description:
          "For an account someone keeps locked with wrong passwords. Locks on source addresses stay: they are about the network, not the account.",
        params: IdParam,
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => unlockUser(contextOf(deps, request), request.params.id),
  );
}
