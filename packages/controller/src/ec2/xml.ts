import { XMLBuilder } from "fast-xml-parser";

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

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  processEntities: true,
  format: false,
});

const DECLARATION = { "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" } };

/** Turns our body shape into fast-xml-parser's: arrays become `{ item: [...] }`, dates ISO text. */
function toBuilderShape(value: XmlValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length === 0 ? "" : { item: value.map(toBuilderShape) };
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value))
      if (child !== undefined) out[key] = toBuilderShape(child);
    return out;
  }
  return value;
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
