import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import type { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error eslint.config.js is JavaScript (checked by its // @ts-check), with no declarations.
import repoConfig from "../../eslint.config.js";

const repo = join(import.meta.dirname, "..", "..");
const fixture = readFileSync(join(repo, "test/lint/fixtures/testkit-import/product-file.ts"), "utf8");

/** Every workspace package but the test-support one: a package added later is covered at once. */
const productPackages = readdirSync(join(repo, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "testkit")
  .map((entry) => entry.name);

/**
 * The repository's own import bans (every config that sets no-restricted-imports, with its files
 * and ignores), without the type-aware rules, whose whole-program build would take a minute.
 */
const eslint = new ESLint({
  cwd: repo,
  ignore: false,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ["**/*.ts", "**/*.tsx"], languageOptions: { parser: tseslint.parser } },
    ...(repoConfig as Linter.Config[]).filter((c) => c.rules?.["no-restricted-imports"]),
  ],
});

/** The no-restricted-imports reports for the fixture's text linted as if it were the file at `path`. */
async function bansAt(path: string): Promise<Linter.LintMessage[]> {
  const results = await eslint.lintText(fixture, { filePath: join(repo, path) });
  return results.flatMap((r) => r.messages).filter((m) => m.ruleId === "no-restricted-imports");
}

describe("lint keeps the test-support package out of product code", () => {
  it("finds the product packages, the guest builders' among them", () => {
    expect(productPackages).toEqual(expect.arrayContaining(["cli", "controller", "guests", "web"]));
  });

  it.each(productPackages)("reports @layerboom/testkit imported in packages/%s", async (pkg) => {
    const bans = await bansAt(`packages/${pkg}/src/imports-testkit.ts`);
    expect(bans).toHaveLength(1);
    expect(bans[0]?.message).toMatch(/may not import/);
  });

  it("reports it in the controller's feature folders, whose rule replaces the package one", async () => {
    expect(await bansAt("packages/controller/src/servers/imports-testkit.ts")).toHaveLength(1);
  });

  it("reports it in a portal component (.tsx)", async () => {
    expect(await bansAt("packages/web/src/imports-testkit.tsx")).toHaveLength(1);
  });

  it("lets testkit itself and the test tree import it", async () => {
    expect(await bansAt("packages/testkit/src/imports-testkit.ts")).toEqual([]);
    expect(await bansAt("test/agent/imports-testkit.test.ts")).toEqual([]);
  });
});
