import openapiTS, { astToString } from "openapi-typescript";
import { currentOpenApiDocument } from "./openapi-document.js";

const HEADER =
  "// Generated from the controller's OpenAPI document by `npm run generate:client`. Do not edit.\n";

/** The OpenAPI JSON and the TypeScript types that the client is built from. */
export async function renderClientSchema(): Promise<{ json: string; types: string }> {
  const doc = await currentOpenApiDocument();
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const ast = await openapiTS(JSON.parse(json), { alphabetize: true });
  return { json, types: HEADER + astToString(ast) };
}
