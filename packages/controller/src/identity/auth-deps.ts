import type { FastifyRequest } from "fastify";
import type { SecretBox } from "../base/secret-box.js";
import { SESSION_COOKIE } from "./authenticate.js";
import type { RouteDeps } from "../http/types.js";

/** The auth and two-factor routes also need the controller's secret box, which opens TOTP secrets. */
export interface AuthRouteDeps extends RouteDeps {
  secretBox: SecretBox;
}

/** The id of the session the request came with, when it came with one. */
export function currentSessionId(request: FastifyRequest): string | undefined {
  if (request.authMethod !== "session") return undefined;
  return request.cookies[SESSION_COOKIE]?.split(".")[0];
}
