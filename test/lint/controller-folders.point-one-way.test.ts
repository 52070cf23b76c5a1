import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import type { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error eslint.config.js is JavaScript (checked by its // @ts-check), with no declarations.
import repoConfig from "../../eslint.config.js";

const repo = join(import.meta.dirname, "..", "..");
const src = join(repo, "packages/controller/src");

/** The repository's settings (the TypeScript resolver) and its folder-graph rule, without the type-aware rules. */
const configs = repoConfig as Linter.Config[];
const eslint = new ESLint({
  cwd: repo,
  ignore: false,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ["**/*.ts"],
      languageOptions: { parser: tseslint.parser },
      plugins: configs.find((c) => c.plugins?.["import-x"])?.plugins ?? {},
      settings: configs.find((c) => c.settings?.["import-x/resolver-next"])?.settings ?? {},
    },
    ...configs.filter((c) => c.rules?.["import-x/no-restricted-paths"]),
  ],
});

/** The folder-graph reports for `code` linted as if it were the file at `path` (under the controller's src). */
async function reportsAt(path: string, code: string): Promise<Linter.LintMessage[]> {
  const results = await eslint.lintText(code, { filePath: join(src, path) });
  return results.flatMap((r) => r.messages).filter((m) => m.ruleId === "import-x/no-restricted-paths");
}

describe("the controller's folders import only the folders below them", () => {
  it("reports base/ importing a feature, and a feature importing one above it", async () => {
    const up = await reportsAt("base/fixture.ts", `export { getServer } from "../servers/servers.js";\n`);
    expect(up).toHaveLength(1);
    expect(up[0]?.message).toMatch(/base may import only the folders below it/);
    expect(
      await reportsAt("networking/fixture.ts", `export { getServer } from "../servers/servers.js";\n`),
    ).toHaveLength(1);
    expect(
      await reportsAt("energy/fixture.ts", `export { closeMonth } from "../billing/invoices.js";\n`),
    ).toHaveLength(1);
  });

  it("reports a folder importing the files at the top (the app's wiring)", async () => {
    expect(await reportsAt("servers/fixture.ts", `export { buildApp } from "../app.js";\n`)).toHaveLength(1);
  });

  it("lets a feature import the base and the features below it", async () => {
    const down = `export { recordAudit } from "../base/audit.js";\nexport { getAccount } from "../accounts/accounts.js";\nexport { addressesOfServers } from "../networking/addresses.js";\n`;
    expect(await reportsAt("servers/fixture.ts", down)).toEqual([]);
    expect(await reportsAt("app-fixture.ts", `export { getServer } from "./servers/servers.js";\n`)).toEqual(
      [],
    );
  });

  it("places every folder of the controller in the order", async () => {
    const folders = readdirSync(src, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    for (const folder of folders) {
      // A folder left out of controllerFolders is below nothing: its own imports go unchecked.
      const reports = await reportsAt(`${folder}/fixture.ts`, `export { buildApp } from "../app.js";\n`);
      expect(
        reports,
        `packages/controller/src/${folder} is not in controllerFolders (eslint.config.js)`,
      ).toHaveLength(1);
    }
  });
});
