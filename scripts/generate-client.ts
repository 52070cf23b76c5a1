// Regenerates packages/client from the controller's route table:
//   npm run generate:client
// A test fails when the committed client differs from what this would write.
import { writeFile } from "node:fs/promises";
import { renderClientSchema } from "./render-client-schema.js";

const { json, types } = await renderClientSchema();
await writeFile(new URL("../packages/client/openapi.json", import.meta.url), json);
await writeFile(new URL("../packages/client/src/schema.ts", import.meta.url), types);
console.log("wrote packages/client/openapi.json and packages/client/src/schema.ts");
