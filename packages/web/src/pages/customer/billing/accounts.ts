import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../api";

/**
 * The names of the accounts in the caller's subtree (its own included), by id, for the account
 * columns admins see. Only asked for when `enabled`; an id missing from the map shows as is.
 */
export function useAccountNames(enabled: boolean) {
  const accounts = useQuery({
    queryKey: ["accounts", "names"],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      const names = new Map<string, string>();
      let cursor: string | undefined;
      // A few pages at most: this is for labels, not a directory.
      for (let page = 0; page < 5; page++) {
        const result = unwrap(
          await api.GET("/accounts", { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }),
        );
        for (const a of result.items) names.set(a.id, a.name);
        if (!result.next_cursor) break;
        cursor = result.next_cursor;
      }
      return names;
    },
  });
  return {
    names: accounts.data,
    nameOf: (id: string) => accounts.data?.get(id) ?? id,
  };
}
