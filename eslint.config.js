// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/**
 * Product code never imports the test-support package: it would ship `pg` and the hostile-input
 * corpus. Unit tests beside the code are held to it too, since testkit depends on the product
 * packages and importing it back would close a loop between workspaces.
 */
const testSupport = "@layerboom/testkit";

/**
 * Package boundaries from docs/architecture.md: dependencies point one way. Every product
 * package is listed (testkit is the one left out), so each gets the test-support ban.
 */
const boundaries = {
  core: ["@layerboom/*"],
  sys: ["@layerboom/*"],
  db: [
    "@layerboom/controller",
    "@layerboom/agent",
    "@layerboom/cli",
    "@layerboom/images",
    "@layerboom/guests",
    "@layerboom/client",
    testSupport,
  ],
  agent: ["@layerboom/controller", "@layerboom/db", "@layerboom/cli", testSupport],
  controller: ["@layerboom/agent", "@layerboom/cli", testSupport],
  images: [
    "@layerboom/controller",
    "@layerboom/agent",
    "@layerboom/db",
    "@layerboom/cli",
    "@layerboom/guests",
    testSupport,
  ],
  guests: ["@layerboom/controller", "@layerboom/agent", "@layerboom/db", "@layerboom/cli", testSupport],
  client: [testSupport],
  cli: [testSupport],
  web: [testSupport],
};

/**
 * The controller's files. There, a path is built only with pathInside() (blobs/path-inside.ts),
 * which refuses anything that leaves its base: no join/resolve of node:path, so a user's text
 * cannot become a path by accident (issue 12). The exceptions build paths from the operator's
 * own configuration, never from a tenant's text.
 */
const controllerFileHandling = ["packages/controller/src/**/*.ts"];
const controllerPathBuilders = [
  "packages/controller/src/blobs/path-inside.ts",
  "packages/controller/src/config.ts",
  "packages/controller/src/controller.ts",
];

/**
 * The controller's folders from the bottom up (docs/architecture.md, "The controller by
 * feature"). A folder may import the folders before it, never one after it nor the files at
 * the top (app.ts, controller.ts, config.ts, ...): so the folder graph has no loop. A new
 * folder must be placed in this list before anything below it can be imported from it.
 */
const controllerFolders = [
  // The shared base: context, audit, SQL errors, references, secrets; then infrastructure.
  "base",
  "mail",
  "outbound",
  "blobs",
  "jobs",
  "http",
  // Features, each with its routes, service and queries.
  "accounts",
  "branding",
  "identity",
  "webhooks",
  "catalog",
  "metering",
  "energy",
  "images",
  "ssh-keys",
  "hosts",
  "networking",
  "servers",
  "billing",
  "resellers",
  "tickets",
  "dashboard",
  "agents",
  "ec2",
  "federation",
  "web",
];
const controllerSrc = "./packages/controller/src";
const controllerLayering = controllerFolders.map((folder, i) => ({
  target: `${controllerSrc}/${folder}`,
  from: controllerSrc,
  except: controllerFolders.slice(0, i + 1).map((below) => `./${below}`),
  message: `packages/controller/src/${folder} may import only the folders below it: ${controllerFolders.slice(0, i).join(", ") || "none"} (docs/architecture.md, "The controller by feature").`,
}));

const noPathJoins = ["node:path", "path", "node:path/posix", "path/posix"].map((name) => ({
  name,
  // Naming parts of a path is harmless; building one is pathInside()'s job.
  allowImportNames: ["basename", "dirname", "extname", "sep"],
  message:
    "Build file paths with pathInside() from blobs/path-inside.ts: it refuses paths that leave their folder.",
}));

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/.data/**",
      "**/.cache/**",
      "packages/client/src/schema.ts",
      "packages/client/openapi.json",
      "**/*.js",
      "**/*.mjs",
      "bench/**/out/**",
      // A deliberate cycle that test/lint/no-cycle.catches-a-cycle.test.ts lints on purpose.
      "test/lint/fixtures/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["vitest.config.ts", "eslint.config.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "import-x": importX },
    settings: {
      // import-x must parse the files it follows as TypeScript, or it skips them silently.
      "import-x/extensions": importX.flatConfigs.typescript.settings["import-x/extensions"],
      "import-x/parsers": importX.flatConfigs.typescript.settings["import-x/parsers"],
      // Without a TypeScript resolver no `./x.js` import resolves to `x.ts`, and no-cycle finds
      // nothing. Workspace packages resolve to their sources, as the tests see them.
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: ["tsconfig.json", "packages/*/tsconfig.json", "test/tsconfig.json", "bench/tsconfig.json"],
          noWarnOnMultipleProjects: true,
          conditionNames: ["layerboom-source", "types", "import", "default"],
        }),
      ],
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // External packages cannot import us back: skipping them keeps the cycle search fast.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-unresolved": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='only']",
          message: "No focused tests (.only) may land.",
        },
      ],
    },
  },
  {
    // Tests and tools read arbitrary JSON from the API; typing every response would add noise, not safety.
    files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // import-x's legacy resolver chokes on Vite's own packages (Vite 8); build configs have no cycles to find.
    files: ["packages/web/vite.config.ts", "vitest.config.ts"],
    rules: { "import-x/no-cycle": "off" },
  },
  ...Object.entries(boundaries).map(([pkg, banned]) => ({
    files: [`packages/${pkg}/src/**/*.ts`, `packages/${pkg}/src/**/*.tsx`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: banned,
              message: `packages/${pkg} may not import this package (see docs/architecture.md).`,
            },
          ],
        },
      ],
    },
  })),
  {
    // Replaces the controller's no-restricted-imports there, so it repeats the package boundary.
    files: controllerFileHandling,
    ignores: [...controllerPathBuilders, "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: noPathJoins,
          patterns: [
            {
              group: boundaries.controller,
              message: "packages/controller may not import this package (see docs/architecture.md).",
            },
          ],
        },
      ],
    },
  },
  {
    // The controller's folder graph points one way (controllerFolders above).
    files: ["packages/controller/src/**/*.ts"],
    rules: { "import-x/no-restricted-paths": ["error", { zones: controllerLayering }] },
  },
);
