import { Type } from "@sinclair/typebox";
import { CSRF_HEADER, SESSION_COOKIE } from "../http/authenticate.js";
import { Email, ErrorBody, NewToken, Password, Strict, User, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import {
  SESSION_LIFETIME_MS,
  checkPassword,
  closeSession,
  issueApiToken,
  openSession,
} from "../services/auth.js";
import { getUser } from "../services/users.js";

export function registerAuthRoutes(app: App, deps: RouteDeps): void {
  app.post(
    "/auth/token",
    {
      config: { public: true },
      schema: {
        tags: ["auth"],
        summary: "Exchange an email and password for an API token (used by `layerboom login`)",
        security: [],
        body: Strict({
          email: Email,
          password: Password,
          token_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        }),
        response: { 201: NewToken, 401: ErrorBody, 429: ErrorBody, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const { email, password, token_name, expires_in_days } = request.body;
      const userId = await checkPassword(deps.database, email, password);
      const expiresAt = expires_in_days ? new Date(Date.now() + expires_in_days * 86_400_000) : null;
      const token = await issueApiToken(deps.database, userId, token_name ?? "cli", expiresAt);
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
        security: [],
        body: Strict({ email: Email, password: Password }),
        response: {
          201: Type.Object({ csrf_token: Type.String(), expires_at: Type.String({ format: "date-time" }) }),
          401: ErrorBody,
          429: ErrorBody,
          400: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const userId = await checkPassword(deps.database, request.body.email, request.body.password);
      const session = await openSession(deps.database, userId);
      void reply.setCookie(SESSION_COOKIE, session.cookie, {
        httpOnly: true,
        sameSite: "strict",
        secure: request.protocol === "https",
        path: "/",
        maxAge: SESSION_LIFETIME_MS / 1000,
      });
      return reply
        .status(201)
        .send({ csrf_token: session.csrfToken, expires_at: session.expiresAt.toISOString() });
    },
  );

  app.delete(
    "/auth/session",
    {
      schema: {
        tags: ["auth"],
        summary: "Log out of the portal",
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      const id = cookie?.split(".")[0];
      if (id && request.authMethod === "session") await closeSession(deps.database, id);
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/me",
    { schema: { tags: ["auth"], summary: "The calling user", response: { 200: User, ...errorResponses } } },
    async (request) => {
      const ctx = contextOf(deps, request);
      return getUser(ctx, ctx.principal.userId);
    },
  );
}

export { CSRF_HEADER };
