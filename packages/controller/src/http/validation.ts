import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from "fastify";

function makeAjv(coerceTypes: boolean | "array"): Ajv {
  // Unknown fields are errors (the schemas say additionalProperties: false), never dropped.
  const ajv = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

/**
 * JSON bodies are validated as sent: `7` for a string field is an error, not "7".
 * Query strings and path parameters arrive as text, so only they are coerced.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv(false);
  const coercing = makeAjv("array");
  return ({ schema, httpPart }) => {
    const ajv = httpPart === "body" ? strict : coercing;
    return ajv.compile(schema as object);
  };
}

/** A NUL byte, or half of a UTF-16 surrogate pair without its other half. */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNREPRESENTABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWalkable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // Query strings are parsed into objects whose prototype has a null prototype itself.
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The dotted path of the first string (value or key) in `input` that holds a NUL byte or a
 * lone surrogate, or undefined. Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function findUnrepresentableText(input: unknown): string | undefined {
  // Each entry links to its parent, so the path is built only for the one string reported.
  interface Entry {
    value: unknown;
    key: string;
    parent: Entry | undefined;
  }
  const pathOf = (entry: Entry | undefined, last?: string): string => {
    const keys = last === undefined ? [] : [last];
    for (let e = entry; e?.parent; e = e.parent) keys.push(e.key);
    return keys.reverse().join(".");
  };
  const stack: Entry[] = [{ value: input, key: "", parent: undefined }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { value } = entry;
    if (typeof value === "string") {
      if (UNREPRESENTABLE.test(value)) return pathOf(entry);
      continue;
    }
    if (!isWalkable(value)) continue;
    for (const [key, child] of Object.entries(value)) {
      if (UNREPRESENTABLE.test(key)) return pathOf(entry, "(a field name)");
      stack.push({ value: child, key, parent: entry });
    }
  }
  return undefined;
}

const PARTS = [
  ["params", "params"],
  ["query", "querystring"],
  ["body", "body"],
] as const;

/**
 * Refuses, before any route sees it, text that no database column can hold: PostgreSQL
 * rejects NUL in text, and a lone surrogate has no UTF-8 form. Without this a name with
 * either became a 500 deep in a query; here it is a 400 that names the field, for every
 * route, including those not written yet. The error takes the shape of a schema violation,
 * so the one error handler words it.
 */
export async function rejectUnrepresentableText(request: FastifyRequest): Promise<void> {
  for (const [part, context] of PARTS) {
    const path = findUnrepresentableText(request[part]);
    if (path === undefined) continue;
    const error = Object.assign(new Error("unrepresentable text"), {
      statusCode: 400,
      validationContext: context,
      validation: [
        {
          instancePath: path ? `/${path.split(".").join("/")}` : "",
          keyword: "text",
          params: {},
          message: "must not contain NUL bytes or unpaired UTF-16 surrogates",
        },
      ],
    });
    throw error;
  }
}

/** Deeper than any body the API takes (an energy tariff, the deepest, is 5). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `limit`, found in one pass over the
 * text. JSON.parse spends about 0.2 s on a 256 KB body nested 120,000 deep; this refuses such a
 * body in a millisecond, before it is parsed.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Replaces Fastify's JSON body parser with the same parser (prototype poisoning refused)
 * behind a nesting limit.
 */
export function limitJsonDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "ignore");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        Object.assign(new Error(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), {
          statusCode: 400,
        }),
        undefined,
      );
      return;
    }
    void parse(request, text, done);
  });
}
