import type { Mailer } from "../mail/mailer.js";
import type { OutboundGuard } from "../outbound/guard.js";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Principal } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import { AuthenticationError } from "@layerboom/core";
import type { ServiceContext } from "../base/context.js";

/** The Fastify instance with TypeBox types, as every route module receives it. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RouteDeps {
  database: Database;
  /** Wakes the agent of a host whose desired set changed (the agent channel's notifier). */
  hostChanged?: ((hostId: string) => void) | undefined;
  /** Outgoing mail; NO_MAIL when the controller has no SMTP server. */
  mailer?: Mailer | undefined;
  /** The controller's public origin, for links in mail. */
  publicUrl?: string | undefined;
  /** Where requests made for tenants may go; webhook URLs are checked against it when registered. */
  outbound?: OutboundGuard | undefined;
  /** The EC2 API's region name (docs/ec2.md), shown with each site, its availability zone. */
  ec2Region?: string | undefined;
}

/** The service context for an authenticated request. */
export function contextOf(deps: RouteDeps, request: FastifyRequest): ServiceContext {
  const principal: Principal | undefined = request.principal;
  if (!principal) throw new AuthenticationError("Authentication required.");
  return { database: deps.database, principal, requestId: request.id, hostChanged: deps.hostChanged };
}
