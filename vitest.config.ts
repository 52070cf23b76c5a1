import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * Tests run against the TypeScript sources of the workspace packages: they are inlined
 * (not loaded by Node from dist/) and resolved through the `layerboom-source` condition.
 */
const conditions = [
  "layerboom-source",
  // Vitest hands these to Node as --conditions; "module" would pick the AWS SDK's ES build,
  // which imports without file extensions (it is meant for bundlers) and does not load in Node.
  ...defaultServerConditions.filter((c) => c !== "module"),
];

/**
 * Integration files that need only a controller and its databases, and the CLI in process
 * (runCli): no QEMU guest, no browser, no spawned agent or killed process, no timing they
 * measure. `npm test` (scripts/run-tests.sh) runs them two at a time beside the unit tests,
 * then everything else under test/ (real guests, the browser, crash tests that kill processes)
 * one file at a time on a quiet machine. Vitest 3 sets worker counts per run, not per project,
 * hence the two runs.
 */
const DATABASE_ONLY = [
  "test/api/**/*.test.ts",
  "test/db/**/*.test.ts",
  "test/resellers/**/*.test.ts",
  "test/billing/billing.invoices-codes-and-suspension.test.ts",
  "test/billing/network-addons.invoice-lines.test.ts",
  "test/billing/image-storage.invoice-lines.test.ts",
  "test/billing/backups.addon-billing-and-schedule.test.ts",
  "test/billing/month-close.scheduled-for-every-issuer.test.ts",
  "test/billing/billing.from-the-cli.test.ts",
  "test/energy/sites-energy-now.test.ts",
  "test/energy/energy-api.ingest-and-reports.test.ts",
  "test/billing/energy.billed-month-across-dst.test.ts",
  "test/webhooks/webhooks.signed-and-retried.test.ts",
  "test/servers/networking.pools-addresses-and-transfer.test.ts",
  // The image pipeline on files the real tools made: qemu-img and tar processes, no guest.
  "test/images/rootfs-tar.checked-before-unpacking.test.ts",
  "test/images/ami-bundle.roundtrip.test.ts",
  "test/images/hostile-corpus.rejected.test.ts",
  "test/images/capture.generalizes-debian-disk.test.ts",
  "test/images/capture.server-image-through-the-api.test.ts",
  "test/tickets/tickets.reach-the-right-staff.test.ts",
  "test/tickets/tickets-and-webhooks.from-the-cli.test.ts",
  "test/servers/networking.from-the-cli.test.ts",
  "test/signup/**/*.test.ts",
  "test/security/**/*.test.ts",
  "test/lint/**/*.test.ts",
  "test/ec2/ec2.query-api-speaks-ec2-on-each-database.test.ts",
  // Two controllers peering over loopback HTTP: no guest. (The console relay boots a guest, and
  // the two-namespace proof boots guests and kills controllers: they are integration files.)
  "test/federation/!(console-relay|federation.two-namespaces)*.test.ts",
];
/** Security files that measure time or load (a fairness ratio) and so need the quiet machine. */
const TIMED = ["test/security/images.fair-queue.test.ts"];

/*
 * Unit and database files share one module graph per worker (`--isolate=false` on the command
 * line of the run that holds only these two projects: scripts/run-tests.sh's first run,
 * `test:fast`, `test:unit`). Vitest 3 ignores `isolate` set inside a project, so it cannot live
 * here; set there, it had never taken effect. With it, 123 files take 157 s instead of about 390 s:
 * the database files each imported the whole controller in a fresh process. Sharing is safe for
 * these files: none mocks a module or stubs a global, the one that fakes Date restores it after
 * each test, and each starts its own controllers on scratch databases.
 */
export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    server: { deps: { inline: [/@layerboom\//] } },
    reporters: ["default", "./test/support/slowest-files-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts"],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "database",
          include: DATABASE_ONLY,
          exclude: TIMED,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: DATABASE_ONLY,
          // Files run one at a time (scripts/run-tests.sh); a file whose cases are independent may
          // run them with describe.concurrent, two at once: one TCG guest per core.
          maxConcurrency: 2,
          testTimeout: 180_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "timed",
          include: TIMED,
          testTimeout: 180_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
