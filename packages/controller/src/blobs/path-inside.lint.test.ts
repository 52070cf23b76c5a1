import { join } from "node:path";
import { ESLint, Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const repo = join(import.meta.dirname, "..", "..", "..", "..");

/**
 * Lints `code` as if it were the file at `path`, with the no-restricted-imports rule exactly as
 * eslint.config.js configures it for that path (so the proof covers the real file globs).
 */
async function restrictedImports(path: string, code: string): Promise<string[]> {
  const config = (await new ESLint({ cwd: repo }).calculateConfigForFile(path)) as {
    rules?: Record<string, Linter.RuleEntry>;
  };
  const rule = config.rules?.["no-restricted-imports"];
  if (!rule) return [];
  const messages = new Linter({ configType: "flat" }).verify(
    code,
    [
      {
        files: ["**/*.ts"],
        languageOptions: { parser: tseslint.parser },
        rules: { "no-restricted-imports": rule },
      },
    ],
    join(repo, path),
  );
  return messages.map((m) => m.message);
}

const JOIN_A_NAME = `import { join } from "node:path";\nexport const out = (name: string) => join("/data/jobs", name);\n`;

describe("the lint rule against path joins in the controller", () => {
  it.each([
    "packages/controller/src/servers/fixture.ts",
    "packages/controller/src/identity/fixture.ts",
    "packages/controller/src/images/fixture.ts",
    "packages/controller/src/blobs/fixture.ts",
    "packages/controller/src/scheduled-work.ts",
  ])("refuses join() from node:path in %s", async (path) => {
    const messages = await restrictedImports(path, JOIN_A_NAME);
    expect(messages.join("\n")).toMatch(/pathInside\(\)/);
  });

  it.each([
    `import path from "node:path";\nexport const p = (n: string) => path.join("/d", n);\n`,
    `import * as path from "node:path";\nexport const p = (n: string) => path.resolve("/d", n);\n`,
    `import { resolve as r } from "path";\nexport const p = (n: string) => r("/d", n);\n`,
    `import { normalize } from "node:path/posix";\nexport const p = (n: string) => normalize(n);\n`,
  ])("refuses every other spelling: %s", async (code) => {
    expect(await restrictedImports("packages/controller/src/images/fixture.ts", code)).not.toEqual([]);
  });

  it("allows pathInside and naming parts of a path, and keeps the package boundary", async () => {
    const fine = `import { basename } from "node:path";\nimport { pathInside } from "./path-inside.js";\nexport const p = (id: string) => basename(pathInside("/d", id));\n`;
    expect(await restrictedImports("packages/controller/src/images/fixture.ts", fine)).toEqual([]);
    const boundary = `import { startAgent } from "@layerboom/agent";\nexport const a = startAgent;\n`;
    expect(await restrictedImports("packages/controller/src/images/fixture.ts", boundary)).not.toEqual([]);
  });

  it("leaves path-inside.ts itself and configuration code alone", async () => {
    expect(await restrictedImports("packages/controller/src/blobs/path-inside.ts", JOIN_A_NAME)).toEqual([]);
    expect(await restrictedImports("packages/controller/src/config.ts", JOIN_A_NAME)).toEqual([]);
  });
});
