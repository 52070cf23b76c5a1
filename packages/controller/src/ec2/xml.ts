import { XMLBuilder } from "fast-xml-parser";
import type { XmlBuilderOptions } from "fast-xml-parser";

/** EC2's XML namespace for API version 2016-11-15. */
export const EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
export const EC2_VERSION = "2016-11-15";

/** Where the builder finds an element's attributes; no EC2 element is named `$`. */
const ATTRIBUTES = "$";

/**
 * An answer's body, as EC2 spells it: element names as keys. Nested objects are elements,
 * lists are `XmlList`s (see `xmlList`), dates are written in ISO 8601, and `undefined` leaves the
 * element out (EC2 omits what it does not know rather than writing it empty). It is the
 * builder's own input shape, so an answer is written as it is built, without being copied
 * into another shape first.
 */
export type XmlValue = string | number | boolean | Date | undefined | XmlObject | XmlItems;
export interface XmlObject {
  [element: string]: XmlValue;
}

/** The `<item>`s of a list. */
export interface XmlItems {
  readonly item: readonly (XmlObject | string | number | boolean)[];
}

/** A list: the `…Set` element around its `<item>`s; an empty list is an empty element. */
export type XmlList = XmlItems | "";

/** `<…Set><item>…</item>…</…Set>`, or `<…Set></…Set>` for no items. */
export function xmlList(items: readonly (XmlObject | string | number | boolean)[]): XmlList {
  return items.length === 0 ? "" : { item: items };
}

/** What XML text and attribute values cannot carry as themselves, with the entities the library writes. */
const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "'": "&apos;",
  '"': "&quot;",
};
const NEEDS_ENTITY = /[&<>'"]/;
const NEEDS_ENTITY_ALL = /[&<>'"]/g;

/**
 * The builder's own entity replacement (`processEntities`) runs five regular expressions over
 * every value; most values (ids, states, dates) have none of those characters. This writes the
 * same entities in one pass, and only when a value has one; other values (numbers, booleans)
 * pass through as the library would leave them.
 */
export function escapeXmlValue(_name: string, value: unknown): unknown {
  return typeof value === "string" && NEEDS_ENTITY.test(value)
    ? value.replace(NEEDS_ENTITY_ALL, (c) => ENTITIES[c]!)
    : value;
}

/** An element's text: a date in ISO 8601 (the builder would write `Date`'s own `toString`), else escaped. */
export function xmlText(name: string, value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : escapeXmlValue(name, value);
}

/**
 * The long lists, by action, that the builder writes through its raw path (its `stopNodes`):
 * there it writes each element with a template, without its path matcher and value processors,
 * in half the time for a page of 100 instances (docs/benchmarks.md, "bench/ec2"). The raw path
 * writes text as it is given, so `ec2ResponseXml` hands it these lists already escaped (see
 * `escapedForRawPath`), never the caller: the bytes are those of the builder's own path
 * (instance-view.test.ts).
 */
const RAW_LISTS: Readonly<Record<string, string>> = { DescribeInstances: "reservationSet" };

/**
 * A list as the builder's raw path must receive it to write what its own path would: every text
 * escaped by `escapeXmlValue`, dates in ISO 8601, absent elements left out and an element with
 * nothing in it as `""` (the raw path would write `<a/>` for `{}`, the builder `<a></a>`).
 */
function escapedForRawPath(value: unknown): unknown {
  if (typeof value === "string") return escapeXmlValue("", value);
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(escapedForRawPath);
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined) continue;
    out[key] = escapedForRawPath(child);
    empty = false;
  }
  return empty ? "" : out;
}

/**
 * One builder for every answer, made once. `jPath: false` spares it writing out the path of
 * every node for callbacks, which read none; entities are written by `escapeXmlValue`. (`jPath`
 * is among fast-xml-builder's documented options and defaults, though not in its type
 * declarations.) Attributes come grouped under `$` (only the root's `xmlns` and the
 * declaration have any), so the builder does not ask of every key whether it is one.
 */
const BUILDER_OPTIONS: XmlBuilderOptions & { jPath: boolean } = {
  ignoreAttributes: false,
  attributesGroupName: ATTRIBUTES,
  attributeNamePrefix: "",
  suppressEmptyNode: false,
  format: false,
  jPath: false,
  processEntities: false,
  tagValueProcessor: xmlText,
  attributeValueProcessor: escapeXmlValue,
  stopNodes: Object.entries(RAW_LISTS).map(([action, list]) => `${action}Response.${list}`),
};
const builder = new XMLBuilder(BUILDER_OPTIONS);

const DECLARATION = { "?xml": { [ATTRIBUTES]: { version: "1.0", encoding: "UTF-8" } } };

/** `<ActionResponse xmlns="…"><requestId>…</requestId>…</ActionResponse>`. */
export function ec2ResponseXml(action: string, requestId: string, body: XmlObject): string {
  const raw = Object.hasOwn(RAW_LISTS, action) ? RAW_LISTS[action]! : undefined;
  const content =
    raw !== undefined && body[raw] !== undefined ? { ...body, [raw]: escapedForRawPath(body[raw]) } : body;
  return builder.build({
    ...DECLARATION,
    [`${action}Response`]: { [ATTRIBUTES]: { xmlns: EC2_NAMESPACE }, requestId, ...content },
  });
}

/** EC2's error document. */
export function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return builder.build({
    ...DECLARATION,
    Response: { Errors: { Error: { Code: code, Message: message } }, RequestID: requestId },
  });
}
