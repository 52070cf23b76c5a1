import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { NO_MAIL } from "../mail/mailer.js";
import {
  Email,
  ErrorBody,
  Name,
  NullableTimestamp,
  Password,
  Strict,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { exportMailingList, getMailingListOptIn, setMailingListOptIn } from "./mailing-list.js";
import type { PublicContext } from "./signup.js";
import { requestPasswordReset, resetPassword, signUp, verifyEmail } from "./signup.js";

const Accepted = Type.Object({ message: Type.String() });
const UserToken = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "The token from the mailed link",
});
const MailingList = Type.Object({ opt_in: Type.Boolean(), changed_at: NullableTimestamp });

const SIGNUP_ACCEPTED = {
  message: "Check your mail: if this address can sign up, we sent it a link to confirm it.",
};
const RESET_ACCEPTED = {
  message: "Check your mail: if an account uses this address, we sent it a password reset link.",
};

const publicErrors = { 400: ErrorBody, 409: ErrorBody, 429: ErrorBody };

/**
 * The least time a signup and a reset request take to answer. A new account costs a few more
 * queries than a taken address does; answering no sooner than this hides that difference
 * (and any other of the database's) while the work fits inside it.
 */
const SIGNUP_ANSWER_MS = 500;
const RESET_ANSWER_MS = 250;

async function answerNoSoonerThan(started: number, ms: number): Promise<void> {
  const left = started + ms - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

function publicContextOf(deps: RouteDeps, request: FastifyRequest): PublicContext {
  return {
    database: deps.database,
    mailer: deps.mailer ?? NO_MAIL,
    publicUrl: deps.publicUrl,
    requestId: request.id,
    onMailError: (err) => request.log.error({ err }, "mail failed after the answer was sent"),
  };
}

/** Public signup, email verification and password reset; the caller's mailing-list consent and its export. */
export function registerSignupRoutes(app: App, deps: RouteDeps): void {
  app.post(
    "/signup",
    {
      config: { public: true },
      schema: {
        tags: ["signup"],
        summary: "Sign up: creates a customer account and mails a link that activates it",
        description:
          "Answers the same for an address that already has an account (its owner gets a mail instead), so signup cannot be used to find out who has one.",
        security: [],
        body: Strict({
          email: Email,
          password: Password,
          name: Type.Optional(Name),
          account_name: Name,
          mailing_list: Type.Optional(Type.Boolean({ description: "Receive product news by mail" })),
          reseller: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 100,
              description: "Slug of the reseller to sign up with",
            }),
          ),
        }),
        response: { 202: Accepted, ...publicErrors },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      const b = request.body;
      await signUp(publicContextOf(deps, request), {
        email: b.email,
        password: b.password,
        name: b.name,
        accountName: b.account_name,
        mailingList: b.mailing_list,
        reseller: b.reseller,
        portalDomain: request.hostname,
      });
      await answerNoSoonerThan(started, SIGNUP_ANSWER_MS);
      return reply.status(202).send(SIGNUP_ACCEPTED);
    },
  );

  app.post(
    "/signup/verify",
    {
      config: { public: true },
      schema: {
        tags: ["signup"],
        summary: "Confirm an email address with the token from the mailed link",
        security: [],
        body: Strict({ token: UserToken }),
        response: { 200: Accepted, ...publicErrors },
      },
    },
    async (request) => {
      await verifyEmail(publicContextOf(deps, request), request.body.token);
      return { message: "Your address is confirmed. You can log in now." };
    },
  );

  app.post(
    "/password-reset",
    {
      config: { public: true },
      schema: {
        tags: ["signup"],
        summary: "Mail a password reset link (answers the same whether or not the address has an account)",
        security: [],
        body: Strict({ email: Email }),
        response: { 202: Accepted, ...publicErrors },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      await requestPasswordReset(publicContextOf(deps, request), request.body.email);
      await answerNoSoonerThan(started, RESET_ANSWER_MS);
      return reply.status(202).send(RESET_ACCEPTED);
    },
  );

  app.post(
    "/password-reset/confirm",
    {
      config: { public: true },
      schema: {
        tags: ["signup"],
        summary: "Set a new password with the token from the mailed link; logs out every session and token",
        security: [],
        body: Strict({ token: UserToken, password: Password }),
        response: {
          200: Type.Composite([
            Accepted,
            Type.Object({ sessions_revoked: Type.Integer(), tokens_revoked: Type.Integer() }),
          ]),
          ...publicErrors,
        },
      },
    },
    async (request) => {
      const ended = await resetPassword(
        publicContextOf(deps, request),
        request.body.token,
        request.body.password,
      );
      return {
        message:
          "Your password is changed, and every session and API token of yours was ended. Log in with the new password.",
        ...ended,
      };
    },
  );

  app.get(
    "/me/mailing-list",
    {
      schema: {
        tags: ["mailing-list"],
        summary: "Whether you receive the mailing list",
        response: { 200: MailingList, ...errorResponses },
      },
    },
    async (request) => getMailingListOptIn(contextOf(deps, request)),
  );

  app.patch(
    "/me/mailing-list",
    {
      schema: {
        tags: ["mailing-list"],
        summary: "Join or leave the mailing list",
        body: Strict({ opt_in: Type.Boolean() }),
        response: { 200: MailingList, ...errorResponses },
      },
    },
    async (request) => setMailingListOptIn(contextOf(deps, request), request.body.opt_in),
  );

  app.get(
    "/mailing-list/export",
    {
      schema: {
        tags: ["mailing-list"],
        summary: "The opted-in, verified users of your subtree as CSV (provider and reseller admins)",
        response: {
          200: Type.String({ description: "text/csv: email,name,account,opted_in_at" }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const csv = await exportMailingList(contextOf(deps, request));
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="mailing-list.csv"')
        .send(csv);
    },
  );
}
