import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../api";
import { allPages, cursorParam } from "../../../components/paging";

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
      // A few pages at most: this is for labels, not a directory.
      const items = await allPages(
        async (cursor) =>
          unwrap(await api.GET("/accounts", { params: { query: { limit: 200, ...cursorParam(cursor) } } })),
        5,
      );
      return new Map(items.map((a) => [a.id, a.name]));
    },
  });
  return {
    names: accounts.data,
    nameOf: (id: string) => accounts.data?.get(id) ?? id,
  };
}
