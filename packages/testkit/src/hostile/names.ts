/**
 * Names a tenant may give an image or an upload, chosen to break code that turns names into
 * paths or headers: traversal at every depth, absolute paths, separators of both kinds,
 * control characters, header injection, and lengths at and past what filesystems accept.
 * Each must either be refused with a 400 that names the field, or stay text: never a file
 * outside the job's folder, never a header of its own (issue 12).
 */
export interface HostileName {
  /** What the name tries. */
  why: string;
  name: string;
}

/** Within the API's 100-character limit for names, unless `why` says otherwise. */
export const hostileNames: readonly HostileName[] = [
  { why: "traversal to the job folders' parent", name: "../x" },
  { why: "traversal to the blob folder", name: "../../x" },
  { why: "traversal to the data folder", name: "../../../x" },
  { why: "traversal above the data folder", name: "../../../../x" },
  { why: "deep traversal to the root", name: "../../../../../../../../../../tmp/x" },
  { why: "an absolute path", name: "/etc/passwd" },
  { why: "an absolute path with traversal", name: "/../../etc/shadow" },
  { why: "a Windows path", name: "..\\..\\..\\x" },
  { why: "a dot", name: "." },
  { why: "two dots", name: ".." },
  { why: "a hidden file", name: ".image-jobs" },
  { why: "a blob-like name", name: "a".repeat(64) },
  { why: "a newline", name: "line\nbreak" },
  { why: "a header injection", name: 'x"\r\nSet-Cookie: stolen=1; x="' },
  { why: "a tab and a bell", name: "tab\tbell\u0007" },
  { why: "a percent-encoded traversal", name: "..%2f..%2f..%2fx" },
  { why: "non-ASCII letters", name: "é漢字 🚀" },
  { why: "right-to-left override", name: "evil\u202Egpj.exe" },
  { why: "100 characters, the API's limit", name: "n".repeat(100) },
  { why: "100 four-byte characters: 400 bytes, past NAME_MAX", name: "🚀".repeat(50) },
];

/** Names past the API's length limit: refused with a 400 naming the field. */
export const tooLongNames: readonly HostileName[] = [
  { why: "past the API's limit", name: "n".repeat(101) },
  { why: "past PATH_MAX", name: "../".repeat(1500) },
];
