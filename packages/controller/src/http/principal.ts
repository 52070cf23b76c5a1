import type { Principal } from "@layerboom/core";

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
  }
}

export {};
