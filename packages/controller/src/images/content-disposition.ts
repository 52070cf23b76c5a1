/**
 * A `Content-Disposition: attachment` header for a file named by a user (RFC 6266): the name
 * percent-encoded as UTF-8 in `filename*`, and a plain-ASCII `filename` for old clients that
 * keeps only letters, digits, `.`, `_` and `-`. Neither can carry a quote, a separator, a
 * control character or a path: this header is the only place a user's name for a file appears.
 */
export function attachmentDisposition(name: string): string {
  // Lone surrogates cannot be encoded as UTF-8; they become U+FFFD rather than an exception.
  const wellFormed = name.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
  const fallback =
    wellFormed
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._]+/, "")
      .slice(0, 150) || "download";
  const encoded = encodeURIComponent(wellFormed).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
