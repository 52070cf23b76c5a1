import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { CSRF_HEADER, SESSION_COOKIE } from "./authenticate.js";
import { Email, ErrorBody, NewToken, Password, Strict, User, errorResponses } from "../http/schemas.js";
import type { App } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { SESSION_LIFETIME_MS, checkPassword, closeSession, issueApiToken, openSession } from "./auth.js";
import { completePendingLogin, openPendingLogin } from "./pending-logins.js";
import { enrolmentRequiredError } from "./two-factor.js";
import { getUser } from "./users.js";
import type { AuthRouteDeps } from "./auth-deps.js";
import { currentSessionId } from "./auth-deps.js";
import { registerTwoFactorRoutes } from "./two-factor-routes.js";

export type { AuthRouteDeps };

const SecondStep = Type.Object(
  {
    two_factor_required: Type.Literal(true),
    login_token: Type.String({
      description: "Send it with the code to the matching /two-factor route. Single-use, valid 5 minutes.",
    }),
    expires_at: Type.String({ format: "date-time" }),
  },
  { description: "The password was right; the login needs the code from the user's authenticator app." },
);

const SessionOpened = Type.Object({
  csrf_token: Type.String(),
  expires_at: Type.String({ format: "date-time" }),
  two_factor_enrolment_required: Type.Boolean({
    description:
      "The account requires two-factor login and this user has none: only enrolment works until then.",
  }),
});

const CodeBody = Strict({
  login_token: Type.String({ minLength: 1, maxLength: 200 }),
  code: Type.String({
    minLength: 1,
    maxLength: 40,
    description: "The 6-digit code from the authenticator app, or an unused recovery code",
  }),
});

const loginErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody };

async function sendSession(
  deps: AuthRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  mustEnrol: boolean,
) {
  const session = await openSession(deps.database, userId);
  void reply.setCookie(SESSION_COOKIE, session.cookie, {
    httpOnly: true,
    sameSite: "strict",
    // https when the client reached us over TLS, also through a trusted proxy (trustProxy).
    secure: request.protocol === "https",
    path: "/",
    maxAge: SESSION_LIFETIME_MS / 1000,
  });
  return reply.status(201).send({
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt.toISOString(),
    two_factor_enrolment_required: mustEnrol,
  });
}

export function registerAuthRoutes(app: App, deps: AuthRouteDeps): void {
  app.post(
    "/auth/token",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Exchange an email and password for an API token (used by `layerboom login`)",
        description:
          "With two-factor login on, answers 202 with a login_token instead: send it with the code to POST /auth/token/two-factor.",
        security: [],
        body: Strict({
          email: Email,
          password: Password,
          token_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        }),
        response: { 201: NewToken, 202: SecondStep, ...loginErrors },
      },
    },
    async (request, reply) => {
      const { email, password, token_name, expires_in_days } = request.body;
      const { userId, twoFactor } = await checkPassword(deps.database, email, password, request.ip);
      const expiresAt = expires_in_days ? new Date(Date.now() + expires_in_days * 86_400_000) : null;
      // A token is a credential of its own: one must not stand in for the enrolment the account requires.
      if (twoFactor === "must-enrol") throw enrolmentRequiredError();
      if (twoFactor === "on") {
        const pending = await openPendingLogin(deps.database, userId, {
          kind: "token",
          tokenName: token_name ?? "cli",
          tokenExpiresAt: expiresAt,
        });
        return reply
          .status(202)
          .send({ two_factor_required: true, ...pending, expires_at: pending.expires_at.toISOString() });
      }
      const token = await issueApiToken(deps.database, userId, token_name ?? "cli", expiresAt);
      return reply.status(201).send(token);
    },
  );

  app.post(
    "/auth/token/two-factor",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Finish a two-factor login for an API token with the code",
        security: [],
        body: CodeBody,
        response: { 201: NewToken, ...loginErrors },
      },
    },
    async (request, reply) => {
      const done = await completePendingLogin(
        deps.database,
        deps.secretBox,
        request.body.login_token,
        request.body.code,
        "token",
      );
      const purpose =
        done.purpose.kind === "token" ? done.purpose : { tokenName: "cli", tokenExpiresAt: null };
      const token = await issueApiToken(
        deps.database,
        done.userId,
        purpose.tokenName,
        purpose.tokenExpiresAt,
      );
      return reply.status(201).send(token);
    },
  );

  app.post(
    "/auth/session",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Log in to the portal: sets an HttpOnly session cookie and returns the CSRF token",
        description:
          "With two-factor login on, answers 202 with a login_token instead and sets no cookie: send it with the code to POST /auth/session/two-factor.",
        security: [],
        body: Strict({ email: Email, password: Password }),
        response: { 201: SessionOpened, 202: SecondStep, ...loginErrors },
      },
    },
    async (request, reply) => {
      const { userId, twoFactor } = await checkPassword(
        deps.database,
        request.body.email,
        request.body.password,
        request.ip,
      );
      if (twoFactor === "on") {
        const pending = await openPendingLogin(deps.database, userId, { kind: "session" });
        return reply
          .status(202)
          .send({ two_factor_required: true, ...pending, expires_at: pending.expires_at.toISOString() });
      }
      return sendSession(deps, request, reply, userId, twoFactor === "must-enrol");
    },
  );

  app.post(
    "/auth/session/two-factor",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Finish a two-factor portal login with the code: sets the session cookie",
        security: [],
        body: CodeBody,
        response: { 201: SessionOpened, ...loginErrors },
      },
    },
    async (request, reply) => {
      const done = await completePendingLogin(
        deps.database,
        deps.secretBox,
        request.body.login_token,
        request.body.code,
        "session",
      );
      return sendSession(deps, request, reply, done.userId, false);
    },
  );

  app.delete(
    "/auth/session",
    {
      config: { duringTwoFactorEnrolment: true },
      schema: {
        tags: ["auth"],
        summary: "Log out of the portal",
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = currentSessionId(request);
      if (id) await closeSession(deps.database, id);
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/me",
    {
      config: { duringTwoFactorEnrolment: true },
      schema: { tags: ["auth"], summary: "The calling user", response: { 200: User, ...errorResponses } },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      return getUser(ctx, ctx.principal.userId);
    },
  );

  registerTwoFactorRoutes(app, deps);
}

export { CSRF_HEADER };
