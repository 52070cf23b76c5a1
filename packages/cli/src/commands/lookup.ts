import { unwrap } from "../api.js";
import type { connect } from "../api.js";
import { CliError } from "../errors.js";

/** Fetches every page of a list endpoint. */
export async function all<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; next_cursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

/** Accepts a name or an id for sites, plans and images, as people type names. */
export async function resolveByName(
  kind: string,
  value: string,
  list: () => Promise<{ id: string; name: string }[]>,
): Promise<string> {
  if (/^[a-z]+_[0-9a-z]{26}$/.test(value)) return value;
  const matches = (await list()).filter((r) => r.name === value);
  if (matches.length === 1 && matches[0]) return matches[0].id;
  if (matches.length === 0)
    throw new CliError(`No ${kind} named "${value}".`, `See \`layerboom ${kind}s list\`.`);
  throw new CliError(`Several ${kind}s are named "${value}"; use the id.`);
}

/** A site given by name (e.g. `local`, as the README writes it) or id. */
export async function siteIdOf(api: Awaited<ReturnType<typeof connect>>, value: string): Promise<string> {
  return resolveByName("site", value, () =>
    all((cursor) => api.GET("/sites", { params: { query: { cursor, limit: 200 } } }).then(unwrap)),
  );
}
