import { SCOPE_GROUPS, accessOfMethod } from "@layerboom/core";
import type { RequiredScope, ScopeAccess, ScopeGroup } from "@layerboom/core";

/**
 * The token scope group of every API route, by path prefix (under /api/v1). The longest
 * matching prefix wins, so `/servers/:id/energy` is energy while the rest of `/servers` is
 * servers. A route may instead say `config: { tokenScope }` itself. A route that neither
 * matches nor says so stops the controller from starting (see `requiredScopeOf`), so a new
 * route can never be reachable by a narrow token by accident.
 */
export const ROUTE_SCOPE_PREFIXES: Readonly<Record<string, ScopeGroup>> = {
  "/accounts": "account",
  "/users": "account",
  "/invitations": "account",
  "/tokens": "account",
  "/audit-log": "account",
  "/branding": "account",
  "/dashboard": "account",
  "/me": "account",
  "/mailing-list": "account",
  "/servers": "servers",
  "/ssh-keys": "ssh-keys",
  "/images": "images",
  "/image-jobs": "images",
  "/ip-pools": "networking",
  "/sites/:id/ip-pools": "networking",
  "/servers/:id/ipv4": "networking",
  "/servers/:id/transfer": "networking",
  "/billing": "billing",
  "/invoices": "billing",
  "/codes": "billing",
  "/prices": "billing",
  "/partner-prices": "billing",
  "/tickets": "tickets",
  "/webhooks": "webhooks",
  "/servers/:id/energy": "energy",
  "/hosts/:id/energy": "energy",
  "/sites/energy-now": "energy",
  "/sites/:id/energy": "energy",
  "/sites/:id/energy-settings": "energy",
  "/sites/:id/energy-prices": "energy",
  "/sites/:id/carbon-intensity": "energy",
  "/sites": "catalog",
  "/plans": "catalog",
  "/hosts": "hosts",
};

/**
 * Routes about the caller and its own credential, which every token may use whatever its
 * scopes (exact paths only: `/me/...` below them is the account group).
 */
export const ANY_SCOPE_ROUTES: ReadonlySet<string> = new Set(["GET /me", "DELETE /auth/session"]);

/** What a route says of itself, overriding the table (the console is a GET that types into a server). */
export interface RouteTokenScope {
  group: ScopeGroup;
  access?: ScopeAccess;
}

export class UnscopedRouteError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(
      `${method} ${path} has no API token scope: add its prefix to ROUTE_SCOPE_PREFIXES in ` +
        `packages/controller/src/http/route-scopes.ts, or give the route config.tokenScope. ` +
        `Groups: ${SCOPE_GROUPS.join(", ")}.`,
    );
    this.name = "UnscopedRouteError";
  }
}

/**
 * The scope a token needs for `method path` (path relative to /api/v1, as registered). Throws
 * UnscopedRouteError when the route has no decision; call it when routes are registered.
 */
export function requiredScopeOf(
  method: string,
  path: string,
  declared: RouteTokenScope | undefined,
): RequiredScope {
  if (declared) return { group: declared.group, access: declared.access ?? accessOfMethod(method) };
  if (ANY_SCOPE_ROUTES.has(`${method} ${path}`) || (method === "HEAD" && ANY_SCOPE_ROUTES.has(`GET ${path}`)))
    return "any";
  let best: string | undefined;
  for (const prefix of Object.keys(ROUTE_SCOPE_PREFIXES)) {
    if ((path === prefix || path.startsWith(`${prefix}/`)) && prefix.length > (best?.length ?? -1))
      best = prefix;
  }
  const group = best === undefined ? undefined : ROUTE_SCOPE_PREFIXES[best];
  if (!group) throw new UnscopedRouteError(method, path);
  return { group, access: accessOfMethod(method) };
}
