import { isAbsolute, relative, resolve, sep } from "node:path";

/** A path that would leave the folder it was built under. */
export class PathEscapeError extends Error {
  constructor(
    readonly base: string,
    readonly parts: readonly string[],
  ) {
    super(`a path built under ${base} from ${JSON.stringify(parts)} would leave it`);
    this.name = "PathEscapeError";
  }
}

/**
 * The one way the controller builds a path to a file it reads or writes: `base` joined with
 * `parts`, refused unless the result lies strictly inside `base`. Parts are names the platform
 * generated (ids, digests, fixed names); a user's text never belongs here, and should it ever
 * arrive (`../../x`, `/etc/passwd`, an empty name, a NUL byte), this throws instead of
 * writing outside. ESLint forbids `node:path` joins in the controller's file-handling folders,
 * so new code comes through here (eslint.config.js).
 */
export function pathInside(base: string, ...parts: string[]): string {
  if (parts.length === 0 || parts.some((p) => p.length === 0 || p.includes("\0")))
    throw new PathEscapeError(base, parts);
  const root = resolve(base);
  const full = resolve(root, ...parts);
  const rel = relative(root, full);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new PathEscapeError(base, parts);
  return full;
}

/** `base` itself, made absolute: the root a {@link pathInside} call is measured from. */
export function folderPath(base: string): string {
  return resolve(base);
}
