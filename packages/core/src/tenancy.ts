import { ForbiddenError } from "./errors.js";
import type { TokenScope } from "./token-scopes.js";

/** The three kinds of account. A provider runs the install; resellers sit under it; customers under either. */
export type AccountKind = "provider" | "reseller" | "customer";
export const ACCOUNT_KINDS: readonly AccountKind[] = ["provider", "reseller", "customer"];

export type Role = "provider-admin" | "reseller-admin" | "customer-admin" | "customer-member";
export const ROLES: readonly Role[] = [
  "provider-admin",
  "reseller-admin",
  "customer-admin",
  "customer-member",
];

/** Who is calling: a user, the account it belongs to and that account's place in the tree. */
export interface Principal {
  userId: string;
  accountId: string;
  accountKind: AccountKind;
  /** Materialised ancestry, "/acc_provider/acc_reseller/acc_customer/". */
  accountPath: string;
  role: Role;
  /** Set when the caller presented an API token: what that token may do. Sessions have none. */
  scopes?: readonly TokenScope[];
}

/** The roles a user of an account of this kind may hold. */
export function rolesForAccountKind(kind: AccountKind): readonly Role[] {
  switch (kind) {
    case "provider":
      return ["provider-admin"];
    case "reseller":
      return ["reseller-admin"];
    case "customer":
      return ["customer-admin", "customer-member"];
  }
}

/** Which account kinds may sit directly under a parent of this kind. */
export function childKindsOf(kind: AccountKind): readonly AccountKind[] {
  switch (kind) {
    case "provider":
      return ["reseller", "customer"];
    case "reseller":
      return ["customer"];
    case "customer":
      return [];
  }
}

/** The path of a child account under its parent's path. */
export function childPath(parentPath: string, childId: string): string {
  return `${parentPath}${childId}/`;
}

/** Whether an account (by its path) lies in the principal's subtree, itself included. */
export function inSubtree(principal: Pick<Principal, "accountPath">, accountPath: string): boolean {
  return accountPath.startsWith(principal.accountPath);
}

export function isAdmin(principal: Pick<Principal, "role">): boolean {
  return principal.role !== "customer-member";
}

/** Only admins manage accounts, users and the audit log of their subtree. */
export function requireAdmin(principal: Principal, action: string): void {
  if (!isAdmin(principal)) throw new ForbiddenError(`Your role (${principal.role}) may not ${action}.`);
}

/** Only the provider's admins manage sites, hosts and plans. */
export function requireProviderAdmin(principal: Principal, action: string): void {
  if (principal.role !== "provider-admin") {
    throw new ForbiddenError(`Only a provider admin may ${action}.`);
  }
}
