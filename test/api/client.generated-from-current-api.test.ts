import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderClientSchema } from "../../scripts/render-client-schema.js";

describe("the generated API client", () => {
  it("matches the controller's current OpenAPI document (run `npm run generate:client` when this fails)", async () => {
    const { json, types } = await renderClientSchema();
    expect(await readFile(new URL("../../packages/client/openapi.json", import.meta.url), "utf8")).toBe(json);
    expect(await readFile(new URL("../../packages/client/src/schema.ts", import.meta.url), "utf8")).toBe(
      types,
    );
  });
});
