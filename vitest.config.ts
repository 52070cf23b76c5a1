import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * Tests run against the TypeScript sources of the workspace packages: they are inlined
 * (not loaded by Node from dist/) and resolved through the `layerboom-source` condition.
 */
const conditions = ["layerboom-source", ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    server: { deps: { inline: [/@layerboom\//] } },
    // Real QEMU guests and databases: one test file at a time keeps the 2-core machine from thrashing.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["packages/*/src/**/*.test.ts"], testTimeout: 20_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
