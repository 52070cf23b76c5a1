import { join } from "node:path";
import { ESLint } from "eslint";
import type { Linter } from "eslint";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error eslint.config.js is JavaScript (checked by its // @ts-check), with no declarations.
import repoConfig from "../../eslint.config.js";

const repo = join(import.meta.dirname, "..", "..");

describe("lint enforces the architecture", () => {
  it("reports a deliberate import cycle between two TypeScript files (import-x/no-cycle resolves ./x.js to x.ts)", async () => {
    // The repository's own import settings (resolver, parsers), without the type-aware rules,
    // whose whole-program build would take a minute for two files.
    const settings = (repoConfig as Linter.Config[]).find(
      (c) => c.settings?.["import-x/resolver-next"],
    )?.settings;
    expect(settings).toBeDefined();
    const eslint = new ESLint({
      cwd: repo,
      ignore: false,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ["**/*.ts"],
          languageOptions: { parser: tseslint.parser },
          plugins: { "import-x": importX as unknown as ESLint.Plugin },
          ...(settings ? { settings } : {}),
          rules: { "import-x/no-cycle": "error" },
        },
      ],
    });
    const results = await eslint.lintFiles([join(repo, "test/lint/fixtures/cycle/left.ts")]);
    const cycles = results.flatMap((r) => r.messages).filter((m) => m.ruleId === "import-x/no-cycle");
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.message).toMatch(/cycle/i);
  });
});
