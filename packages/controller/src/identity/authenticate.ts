import { AuthenticationError, ForbiddenError, scopeNeeded, scopesAllow } from "@layerboom/core";
import type { Principal, RequiredScope } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type { FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { authenticateSession, authenticateToken } from "./auth.js";
import { enrolmentRequiredError } from "./two-factor.js";
import { requiredScopeOf } from "../http/route-scopes.js";

export const SESSION_COOKIE = "lb_session";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Decides, as each API route is registered, what scope a token needs for it. A route without a
 * decision throws here, so the controller does not start with a route that no scope governs.
 */
export function routeScopeHook(prefix: string) {
  return (route: RouteOptions): void => {
    if (route.config?.public) return;
    const path = route.url.startsWith(prefix) ? route.url.slice(prefix.length) : route.url;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const decisions = methods.map((m) => requiredScopeOf(m, path, route.config?.tokenScope));
    // One route registered for several methods takes the strictest of its decisions.
    const required = decisions.find((d) => d !== "any" && d.access === "write") ?? decisions[0];
    route.config = { ...route.config, ...(required ? { requiredScope: required } : {}) };
    // The OpenAPI document names the scope (OpenAPI 3.1 lets non-OAuth schemes list roles).
    if (required && route.schema && !route.schema.security) {
      const scope = required === "any" ? [] : [scopeNeeded(required)];
      route.schema = { ...route.schema, security: [{ bearer: scope }, { session: [] }] };
    }
  };
}

/** Refuses a token whose scopes do not cover the route, naming the scope it would need. */
function assertTokenAllows(
  principal: Principal,
  required: RequiredScope | undefined,
  request: FastifyRequest,
) {
  const scopes = principal.scopes;
  if (!scopes) return;
  // A route that escaped routeScopeHook (registered outside the API plugin) is for full tokens only.
  if (required ? scopesAllow(scopes, required) : scopes.includes("full")) return;
  const needed = required && required !== "any" ? scopeNeeded(required) : "full";
  throw new ForbiddenError(
    `This API token's scopes (${scopes.join(", ")}) do not allow ${request.method} ${request.routeOptions.url ?? ""}: it needs the "${needed}" scope.`,
    { required_scope: needed, token_scopes: scopes },
  );
}

/**
 * Resolves the caller from a bearer token or the portal's session cookie. Cookie-authenticated
 * requests that change state must carry the session's CSRF token in a header, which a
 * cross-site form cannot set. A token must also hold a scope that covers the route.
 */
export function authenticationHook(database: Database) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (request.routeOptions.config.public) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw new AuthenticationError("The Authorization header must be `Bearer <token>`.");
      const principal = await authenticateToken(database, match[1]);
      assertTokenAllows(principal, request.routeOptions.config.requiredScope, request);
      request.principal = principal;
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
