import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "@layerboom/controller";
import { migrate, openDatabase } from "@layerboom/db";

/** The OpenAPI document of the current code, built from the route table without listening. */
export async function currentOpenApiDocument(): Promise<unknown> {
  const database = await openDatabase({ dataDir: "memory://" });
  try {
    await migrate(database);
    const app = await buildApp({
      database,
      logger: false,
      blobDir: join(tmpdir(), "layerboom-openapi-blobs"),
    });
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return doc;
  } finally {
    await database.close();
  }
}
