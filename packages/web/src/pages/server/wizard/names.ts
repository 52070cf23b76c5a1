/** A hostname-safe piece of a suggested name. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** A name such as "debian-12-small-tor1-42", until the user types their own. */
export function suggestName(parts: (string | undefined)[], suffix: string): string {
  const base = parts
    .filter(Boolean)
    .map((p) => slug(p!))
    .filter(Boolean)
    .join("-")
    .slice(0, 56);
  return `${base.replace(/-+$/, "") || "server"}-${suffix}`;
}
