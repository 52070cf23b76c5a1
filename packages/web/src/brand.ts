import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { ApiError, api, unwrap } from "./api";
import { useSession } from "./session";

/** What the portal shows of a brand: the reseller's for its customers, otherwise the provider's. */
export interface PortalBrand {
  name: string;
  logo_url: string | null;
  primary_color: string;
  accent_color: string;
}

/** Shown only while the real brand loads, and when the controller has none for this domain. */
const NEUTRAL: PortalBrand = {
  name: "",
  logo_url: null,
  primary_color: "#1f5fbf",
  accent_color: "#1f5fbf",
};

const RESELLER_KEY = "layerboom.reseller";

/**
 * The reseller slug this visitor arrived with (`?reseller=<slug>` on any page, kept for the
 * tab), for resellers that have no portal domain of their own.
 */
export function resellerSlug(): string | undefined {
  const fromUrl = new URLSearchParams(window.location.search).get("reseller");
  if (fromUrl) sessionStorage.setItem(RESELLER_KEY, fromUrl);
  return fromUrl ?? sessionStorage.getItem(RESELLER_KEY) ?? undefined;
}

/**
 * The brand to show. Logged in: the brand the user is served under (their reseller's, or the
 * provider's). Logged out: the brand of this domain or reseller slug, so the login and signup
 * pages already wear the reseller's colours.
 */
export function useBrand(): PortalBrand {
  const session = useSession();
  const loggedIn = Boolean(session.data);
  const slug = resellerSlug();
  const brand = useQuery({
    queryKey: ["brand", loggedIn ? "effective" : "public", window.location.hostname, slug ?? ""],
    enabled: !session.isPending,
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<PortalBrand> => {
      if (loggedIn) return unwrap(await api.GET("/branding/effective"));
      try {
        return unwrap(
          await api.GET("/branding/public", {
            params: { query: slug ? { reseller: slug } : { domain: window.location.hostname } },
          }),
        );
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return NEUTRAL;
        throw err;
      }
    },
  });
  return brand.data ?? NEUTRAL;
}

/** Puts the brand on the page: the document title and the accent colour everywhere. */
export function useApplyBrand(brand: PortalBrand, pageTitle?: string): void {
  useEffect(() => {
    document.title = [pageTitle, brand.name].filter(Boolean).join(" · ") || "\u00a0";
    const root = document.documentElement.style;
    root.setProperty("--brand-primary", brand.primary_color);
    root.setProperty("--brand-accent", brand.accent_color);
  }, [brand, pageTitle]);
}
