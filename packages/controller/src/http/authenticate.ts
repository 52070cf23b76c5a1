import { AuthenticationError } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type { FastifyReply, FastifyRequest } from "fastify";
import { authenticateSession, authenticateToken } from "../services/auth.js";
import { enrolmentRequiredError } from "../services/two-factor.js";

export const SESSION_COOKIE = "lb_session";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Resolves the caller from a bearer token or the portal's session cookie. Cookie-authenticated
 * requests that change state must carry the session's CSRF token in a header, which a
 * cross-site form cannot set.
 */
export function authenticationHook(database: Database) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (request.routeOptions.config.public) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw new AuthenticationError("The Authorization header must be `Bearer <token>`.");
      request.principal = await authenticateToken(database, match[1]);
      request.authMethod = "token";
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const csrf = request.headers[CSRF_HEADER];
      const { principal, twoFactor } = await authenticateSession(
        database,
        cookie,
        typeof csrf === "string" ? csrf : undefined,
        !SAFE_METHODS.has(request.method),
      );
      // The account requires two-factor login and this user has none yet: enrolment only.
      if (twoFactor === "must-enrol" && !request.routeOptions.config.duringTwoFactorEnrolment)
        throw enrolmentRequiredError();
      request.principal = principal;
      request.authMethod = "session";
      return;
    }
    throw new AuthenticationError("Authentication required: send `Authorization: Bearer <token>` or log in.");
  };
}
