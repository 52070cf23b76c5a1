import { useQuery } from "@tanstack/react-query";
import { ApiError, api, csrfToken, unwrap } from "./api";
import type { Me } from "./api";

export const ME_KEY = ["me"] as const;

/** Provider and reseller admins run a business from the portal; everyone else is a customer. */
export function isAdmin(me: Pick<Me, "role"> | null | undefined): boolean {
  return me?.role === "provider-admin" || me?.role === "reseller-admin";
}

/**
 * The logged-in user, or null when there is no usable session: no cookie, an expired one,
 * or a cookie from another tab whose CSRF token this tab never saw.
 */
export function useSession() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      if (!csrfToken()) return null;
      try {
        return unwrap(await api.GET("/me"));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}
