import { Type } from "@sinclair/typebox";
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
import { NO_MAIL } from "../mail/mailer.js";
import { getTicket, listTickets, openTicket, replyToTicket, updateTicket } from "./tickets.js";
import type { TicketChange } from "./tickets.js";
import { notifyTicketChange } from "./notify.js";

const TicketStatus = Type.Union([Type.Literal("open"), Type.Literal("pending"), Type.Literal("closed")]);

const TicketMessage = Type.Object({
  id: Type.String(),
  author_user_id: Nullable(Type.String()),
  side: Type.Union([Type.Literal("customer"), Type.Literal("staff")]),
  body: Type.String(),
  created_at: Timestamp,
});

const ticketFields = {
  id: Type.String(),
  account_id: Type.String({ description: "The customer account that opened it" }),
  handler_account_id: Type.String({
    description: "The account whose staff answer it (the customer's parent)",
  }),
  server_id: Nullable(Type.String()),
  opened_by_user_id: Nullable(Type.String()),
  subject: Type.String(),
  status: TicketStatus,
  created_at: Timestamp,
  updated_at: Timestamp,
  closed_at: NullableTimestamp,
};

const Ticket = Type.Object(ticketFields);
const TicketWithMessages = Type.Object({ ...ticketFields, messages: Type.Array(TicketMessage) });
const Body = Type.String({ minLength: 1, maxLength: 65_536 });

export function registerTicketRoutes(app: App, deps: RouteDeps): void {
  const notify = (change: TicketChange) =>
    void notifyTicketChange(
      { database: deps.database, mailer: deps.mailer ?? NO_MAIL, logger: app.log, publicUrl: deps.publicUrl },
      change,
    );

  app.get(
    "/tickets",
    {
      schema: {
        tags: ["tickets"],
        summary: "List support tickets (your own, or those your account handles)",
        querystring: Strict({
          ...PageQuery,
          status: Type.Optional(TicketStatus),
          account_id: Type.Optional(Type.String()),
        }),
        response: { 200: PageOf(Ticket), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(
        await listTickets(
          contextOf(deps, request),
          { status: request.query.status, accountId: request.query.account_id },
          pageRequest(request.query),
        ),
      ),
  );

  app.post(
    "/tickets",
    {
      config: { idempotent: true },
      schema: {
        tags: ["tickets"],
        summary: "Open a support ticket (customer accounts)",
        body: Strict({
          subject: Type.String({ minLength: 1, maxLength: 200 }),
          body: Body,
          server_id: Type.Optional(Type.String()),
        }),
        response: { 201: TicketWithMessages, ...errorResponses },
      },
    },
    async (request, reply) => {
      const change = await openTicket(contextOf(deps, request), request.body);
      notify(change);
      return reply.status(201).send(change.ticket);
    },
  );

  app.get(
    "/tickets/:id",
    {
      schema: {
        tags: ["tickets"],
        summary: "Show a ticket with its messages",
        params: IdParam,
        response: { 200: TicketWithMessages, ...errorResponses },
      },
    },
    async (request) => getTicket(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/tickets/:id/messages",
    {
      schema: {
        tags: ["tickets"],
        summary: "Reply to a ticket (a staff reply sets it pending, a customer reply open)",
        params: IdParam,
        body: Strict({ body: Body }),
        response: { 201: TicketWithMessages, ...errorResponses },
      },
    },
    async (request, reply) => {
      const change = await replyToTicket(contextOf(deps, request), request.params.id, request.body);
      notify(change);
      return reply.status(201).send(change.ticket);
    },
  );

  app.patch(
    "/tickets/:id",
    {
      schema: {
        tags: ["tickets"],
        summary: "Change a ticket's status",
        params: IdParam,
        body: Strict({ status: Type.Optional(TicketStatus) }),
        response: { 200: TicketWithMessages, ...errorResponses },
      },
    },
    async (request) => updateTicket(contextOf(deps, request), request.params.id, request.body),
  );
}
