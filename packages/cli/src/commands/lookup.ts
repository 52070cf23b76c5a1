import { unwrap } from "../api.js";
import type { connect } from "../api.js";
import { all, resolveByName } from "./resources.js";

/** A site given by name (e.g. `local`, as the README writes it) or id. */
export async function siteIdOf(api: Awaited<ReturnType<typeof connect>>, value: string): Promise<string> {
  return resolveByName("site", value, () =>
    all((cursor) => api.GET("/sites", { params: { query: { cursor, limit: 200 } } }).then(unwrap)),
  );
}
