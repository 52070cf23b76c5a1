import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ArchiveRejectedError } from "../errors.js";

/** Options for parseXmlSafely. */
export interface SafeXmlOptions {
  /** Largest document accepted. Default 1 MiB; OVF descriptors and AMI manifests are a few KiB. */
  maxBytes?: number;
}

/**
 * Parses untrusted XML (OVF descriptors, AMI manifests). Any DTD or entity declaration is refused
 * before parsing, and the parser itself runs with entity processing off, so neither billion-laughs
 * expansion nor external entities can happen. Attributes appear as `@name`; namespace prefixes
 * are dropped.
 */
export function parseXmlSafely(
  input: string | Buffer,
  options: SafeXmlOptions = {},
): Record<string, unknown> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  if (size > maxBytes)
    throw new ArchiveRejectedError("xml-too-large", `document of ${size} bytes is larger than ${maxBytes}`);
  const text = typeof input === "string" ? input : input.toString("utf8");
  if (/<!\s*DOCTYPE/i.test(text)) throw new ArchiveRejectedError("xml-doctype", "document declares a DTD");
  if (/<!\s*ENTITY/i.test(text)) throw new ArchiveRejectedError("xml-entity", "document declares an entity");
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ArchiveRejectedError(
      "xml-malformed",
      `not well-formed XML (line ${valid.err.line}: ${valid.err.code})`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    removeNSPrefix: true,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  return parser.parse(text) as Record<string, unknown>;
}

/** Returns a parsed node as a list, whether the document held one element or many. */
export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Text content of a parsed element, which may be a string or an object with `#text`. */
export function textOf(node: unknown): string | undefined {
  if (typeof node === "string") return node;
  if (typeof node === "number") return String(node);
  if (node && typeof node === "object" && "#text" in node) return String(node["#text"]);
  return undefined;
}
