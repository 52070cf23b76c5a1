/**
 * What an API token may do: the one vocabulary of token scopes. The REST API decides a group
 * for every route (controller `http/route-scopes.ts`), and the EC2 API will map its actions
 * onto the same groups, so a scope means the same thing wherever a token is presented.
 *
 * A token holds one or more scopes:
 * - `full`: everything its user's role allows (the default, and what a login issues);
 * - `read`: every group, but only reading (GET and HEAD);
 * - `<group>`: reading and changing that group;
 * - `<group>:read`: only reading that group.
 */
export const SCOPE_GROUPS = [
  "account",
  "servers",
  "ssh-keys",
  "images",
  "networking",
  "billing",
  "tickets",
  "webhooks",
  "energy",
  "catalog",
  "hosts",
] as const;

export type ScopeGroup = (typeof SCOPE_GROUPS)[number];

/** What a group covers, for people choosing scopes (CLI help, portal, docs). */
export const SCOPE_GROUP_DESCRIPTIONS: Record<ScopeGroup, string> = {
  account: "accounts, users, API tokens, branding, the audit log and the dashboard",
  servers: "servers, their actions, backups and the serial console",
  "ssh-keys": "SSH keys",
  images: "images, imports, uploads and exports",
  networking: "IPv4 pools, extra addresses and transfer",
  billing: "invoices, payments, prices, codes and billing settings",
  tickets: "support tickets",
  webhooks: "webhooks and their deliveries",
  energy: "energy readings, tariffs and carbon intensity",
  catalog: "sites and plans",
  hosts: "the provider's hosts",
};

/** Reading or changing: GET and HEAD read, every other method changes. */
export type ScopeAccess = "read" | "write";

export type TokenScope = "full" | "read" | ScopeGroup | `${ScopeGroup}:read`;

/** Every scope a token may hold, in a stable order (for schemas and help). */
export const TOKEN_SCOPES: readonly TokenScope[] = [
  "full",
  "read",
  ...SCOPE_GROUPS.flatMap((g) => [g, `${g}:read` as const]),
];

/** What a route needs of a token: a group and an access, or `any` for routes about the token itself. */
export type RequiredScope = { group: ScopeGroup; access: ScopeAccess } | "any";

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** The access an HTTP method needs. */
export function accessOfMethod(method: string): ScopeAccess {
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

/** Whether `scopes` let a token do `required`. */
export function scopesAllow(scopes: readonly TokenScope[], required: RequiredScope): boolean {
  if (required === "any") return true;
  return scopes.some(
    (s) =>
      s === "full" ||
      s === required.group ||
      (required.access === "read" && (s === "read" || s === `${required.group}:read`)),
  );
}

/** The scope a refusal names: the narrowest one that would have allowed the request. */
export function scopeNeeded(required: Exclude<RequiredScope, "any">): TokenScope {
  return required.access === "read" ? `${required.group}:read` : required.group;
}

/**
 * Whether a token holding `held` may issue a token holding `wanted`: never more than it has,
 * so a narrow token cannot mint itself a wider one.
 */
export function scopesCover(held: readonly TokenScope[], wanted: readonly TokenScope[]): boolean {
  return wanted.every((w) => {
    if (w === "full") return held.includes("full");
    if (w === "read") return held.includes("full") || held.includes("read");
    const [group, read] = w.split(":") as [ScopeGroup, string | undefined];
    return scopesAllow(held, { group, access: read === "read" ? "read" : "write" });
  });
}

/** Sorted, without duplicates, and without scopes that a wider one in the list already grants. */
export function normaliseScopes(scopes: readonly TokenScope[]): TokenScope[] {
  const unique = [...new Set(scopes)];
  if (unique.includes("full")) return ["full"];
  const kept = unique.filter((s) => {
    if (!s.endsWith(":read")) return true;
    return !unique.includes("read") && !unique.includes(s.slice(0, -":read".length) as ScopeGroup);
  });
  return kept.sort((a, b) => TOKEN_SCOPES.indexOf(a) - TOKEN_SCOPES.indexOf(b));
}
