import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  Email,
  ErrorBody,
  IdParam,
  Name,
  NullableTimestamp,
  PageOf,
  PageQuery,
  Password,
  RoleSchema,
  Strict,
  Timestamp,
  User,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { NO_MAIL } from "../mail/mailer.js";
import type { MailOut } from "./mail-out.js";
import { getInvitation, inviteUser, listInvitations, revokeInvitation } from "./invitations.js";
import { acceptInvitation, previewInvitation } from "./invitation-acceptance.js";

const InvitationStatus = Type.Union([
  Type.Literal("pending"),
  Type.Literal("accepted"),
  Type.Literal("revoked"),
  Type.Literal("expired"),
]);

const Invitation = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  status: InvitationStatus,
  invited_by: Type.String({ description: "The user who sent it" }),
  created_at: Timestamp,
  expires_at: Timestamp,
  accepted_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
  user_id: Type.Union([Type.String(), Type.Null()], { description: "The user its acceptance created" }),
});

const InvitationToken = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "The token from the mailed invitation link",
});

const publicErrors = { 400: ErrorBody, 409: ErrorBody, 429: ErrorBody };

function mailOutOf(deps: RouteDeps, request: FastifyRequest): MailOut {
  return {
    mailer: deps.mailer ?? NO_MAIL,
    publicUrl: deps.publicUrl,
    onMailError: (err) => request.log.error({ err }, "invitation mail failed after the answer was sent"),
  };
}

/** Invitations: how admins add users (the invitee chooses the password), and the public acceptance. */
export function registerInvitationRoutes(app: App, deps: RouteDeps): void {
  app.post(
    "/invitations",
    {
      config: { idempotent: true },
      schema: {
        tags: ["users"],
        summary: "Invite someone to your account or one below it; they choose their own password",
        description:
          "Answers 202 the same way whether or not the address already has a user anywhere: a free address is mailed a link to join, a taken one a note that it cannot. The invitation of a taken address stays pending until it expires.",
        body: Strict({
          email: Email,
          role: RoleSchema,
          name: Type.Optional(Name),
          account_id: Type.Optional(Type.String()),
        }),
        response: { 202: Invitation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const invitation = await inviteUser(contextOf(deps, request), mailOutOf(deps, request), {
        accountId: b.account_id,
        email: b.email,
        name: b.name,
        role: b.role,
      });
      return reply.status(202).send(invitation);
    },
  );

  app.get(
    "/invitations",
    {
      schema: {
        tags: ["users"],
        summary: "List invitations in your subtree",
        querystring: Strict({
          ...PageQuery,
          account_id: Type.Optional(Type.String()),
          status: Type.Optional(InvitationStatus),
        }),
        response: { 200: PageOf(Invitation), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return pageResponse(
        await listInvitations(
          contextOf(deps, request),
          { accountId: q.account_id, status: q.status },
          pageRequest(q),
        ),
      );
    },
  );

  app.get(
    "/invitations/:id",
    {
      schema: {
        tags: ["users"],
        summary: "Show an invitation",
        params: IdParam,
        response: { 200: Invitation, ...errorResponses },
      },
    },
    async (request) => getInvitation(contextOf(deps, request), request.params.id),
  );

  app.delete(
    "/invitations/:id",
    {
      schema: {
        tags: ["users"],
        summary: "Withdraw a pending invitation; its link stops working",
        params: IdParam,
        response: { 200: Invitation, ...errorResponses },
      },
    },
    async (request) => revokeInvitation(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/invitations/preview",
    {
      config: { public: true },
      schema: {
        tags: ["users"],
        summary: "What an invitation link is for: the address, the account and the role",
        security: [],
        body: Strict({ token: InvitationToken }),
        response: {
          200: Type.Object({
            email: Type.String(),
            role: RoleSchema,
            account_name: Type.String(),
            brand_name: Type.String(),
            expires_at: Timestamp,
          }),
          ...publicErrors,
        },
      },
    },
    async (request) => previewInvitation(deps.database, request.body.token),
  );

  app.post(
    "/invitations/accept",
    {
      config: { public: true },
      schema: {
        tags: ["users"],
        summary: "Join with the token from the mailed invitation, choosing a password",
        security: [],
        body: Strict({ token: InvitationToken, password: Password, name: Type.Optional(Name) }),
        response: { 201: User, ...publicErrors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await acceptInvitation(deps.database, {
        token: b.token,
        password: b.password,
        name: b.name,
        requestId: request.id,
      });
      return reply.status(201).send(user);
    },
  );
}
