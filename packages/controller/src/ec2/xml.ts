import { XMLBuilder } from "fast-xml-parser";
import type { XmlBuilderOptions } from "fast-xml-parser";

/** EC2's XML namespace for API version 2016-11-15. */
export const EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
export const EC2_VERSION = "2016-11-15";

/**
 * An answer's body, as EC2 spells it: element names as keys. Lists are arrays (written as a
 * `…Set` of `item`s), nested objects are elements, and `undefined` leaves the element out
 * (EC2 omits what it does not know rather than writing it empty).
 */
export type XmlValue = string | number | boolean | Date | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [element: string]: XmlValue;
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

/**
 * One builder for every answer, made once. `jPath: false` spares it writing out the path of
 * every node for callbacks, which read none; entities are written by `escapeXmlValue`. (`jPath`
 * is among fast-xml-builder's documented options and defaults, though not in its type
 * declarations.)
 */
const BUILDER_OPTIONS: XmlBuilderOptions & { jPath: boolean } = {
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  format: false,
  jPath: false,
  processEntities: false,
  tagValueProcessor: escapeXmlValue,
  attributeValueProcessor: escapeXmlValue,
};
const builder = new XMLBuilder(BUILDER_OPTIONS);

const DECLARATION = { "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" } };

/** Turns our body shape into fast-xml-parser's: arrays become `{ item: [...] }`, dates ISO text. */
function toBuilderShape(value: XmlValue): unknown {
  if (typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    if (value.length === 0) return "";
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = toBuilderShape(value[i]);
    return { item: items };
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const child = value[key];
    if (child !== undefined) out[key] = toBuilderShape(child);
  }
  return out;
}

/** `<ActionResponse xmlns="…"><requestId>…</requestId>…</ActionResponse>`. */
export function ec2ResponseXml(action: string, requestId: string, body: XmlObject): string {
  return builder.build({
    ...DECLARATION,
    [`${action}Response`]: { "@_xmlns": EC2_NAMESPACE, requestId, ...(toBuilderShape(body) as object) },
  });
}

/** EC2's error document. */
export function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return builder.build({
    ...DECLARATION,
    Response: { Errors: { Error: { Code: code, Message: message } }, RequestID: requestId },
  });
}
