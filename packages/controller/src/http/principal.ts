import type { Principal, RequiredScope } from "@layerboom/core";
import type { RouteTokenScope } from "./route-scopes.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the authentication hook on every /api/v1 route that needs a caller. */
    principal?: Principal;
    /** How the caller authenticated; cookie sessions must also pass the CSRF check. */
    authMethod?: "token" | "session";
  }
  interface FastifyContextConfig {
    /** Routes reachable without credentials (login, health). */
    public?: boolean;
    /** Creates that honour the Idempotency-Key header. */
    idempotent?: boolean;
    /** Reachable by a session whose account requires two-factor login before the user enrolled. */
    duringTwoFactorEnrolment?: boolean;
    /** The token scope group of this route, when the table in route-scopes.ts should not decide it. */
    tokenScope?: RouteTokenScope;
    /** What a token needs for this route; filled in when the route is registered. */
    requiredScope?: RequiredScope;
  }
}

export {};
