import { Type } from "@sinclair/typebox";
import type { SchemaOptions, TLiteral, TUnion } from "@sinclair/typebox";

/** The TypeBox schema of one of a list of strings, typed as the union of those strings. */
export type TLiteralUnion<T extends readonly string[]> = TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;

/**
 * A vocabulary's schema from the list that declares it, so the list (for loops and CLI
 * choices), the schema (for validation and OpenAPI) and the type (`Static<typeof schema>`)
 * cannot drift apart.
 */
export function LiteralUnion<const T extends readonly string[]>(
  values: T,
  options?: SchemaOptions,
): TLiteralUnion<T> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TLiteralUnion<T>;
}
