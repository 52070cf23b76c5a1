import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: this file sits in `packages/guests/src` (sources) or `packages/guests/dist` (build). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The folder guest builds are cached in: the given one, else `$LAYERBOOM_CACHE_DIR` (CI points
 * it at a folder that outlives checkouts, so the debootstrap runs once per machine), else
 * `<repo>/.cache`.
 */
export function guestCacheDir(given?: string): string {
  return resolve(given ?? process.env.LAYERBOOM_CACHE_DIR ?? join(repoRoot, ".cache"));
}
