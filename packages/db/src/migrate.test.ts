import { describe, expect, it } from "vitest";
import { loadMigrations } from "./migrate.js";

describe("loadMigrations", () => {
  it("loads the numbered SQL files in order without gaps", async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });
});
