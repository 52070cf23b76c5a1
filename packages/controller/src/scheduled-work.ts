import type { Database } from "@layerboom/db";
import type { AgentHub } from "./agents/agent-hub.js";
import { enforceSuspensions } from "./metering/suspension.js";
import {
  CLOSE_ISSUER_MONTH_TASK,
  CLOSE_MONTHS_TASK,
  MONTH_CLOSE_CRON,
  monthCloseTasks,
} from "./billing/scheduled-close.js";
import { FINE_BUCKET_RETENTION_MS, rollupEnergy } from "./energy/rollup.js";
import { sweepNonces } from "./federation/nonces.js";
import { scheduleUsageSettlement } from "./federation/usage-push.js";
import type { UsagePushDeps } from "./federation/usage-push.js";
import type { RemoteServerJobDeps } from "./federation/remote-server-jobs.js";
import { scheduleRemoteServerWork } from "./federation/server-work.js";
import { RUN_TASK } from "./images/jobs.js";
import type { ImageJobRunner } from "./images/runner.js";
import type { JobRunner } from "./jobs/job-runner.js";
import { runBackupSchedule } from "./servers/backups.js";
import type { WebhookDispatcher } from "./webhooks/dispatcher.js";
import { DELIVER_TASK } from "./webhooks/outbox.js";

/** What the controller's background work needs; a feature left out is not run by this controller. */
export interface ScheduledWorkDeps {
  database: Database;
  hub: AgentHub;
  imageJobs?: ImageJobRunner | undefined;
  webhooks?: WebhookDispatcher | undefined;
  /** How often the backup schedule runs (default 10 min), or `false` for never. */
  backupSchedule?: { checkEveryMs?: number } | false | undefined;
  /** When the automatic month close runs (default {@link MONTH_CLOSE_CRON}), or `false` for never. */
  monthClose?: { cron?: string } | false | undefined;
  /** Usage records made and pushed to the peers whose servers run here (docs/federation.md, "Usage and settlement"). */
  federationUsage?: UsagePushDeps | undefined;
  /** Remote servers at peers and for peers (docs/federation.md, "Remote servers"). */
  remoteServers?: RemoteServerJobDeps | undefined;
}

const MINUTE = 60_000;

/**
 * Declares every task and schedule of the controller on its one job runner (docs/jobs.md).
 * Each feature keeps its own logic; this is only when and where it runs. Work that changes a
 * host's desired set wakes that host's agent if it is connected here; replicas holding other
 * agents see the change at their next resync.
 */
export function scheduleWork(runner: JobRunner, deps: ScheduledWorkDeps): JobRunner {
  const { database, hub } = deps;
  if (deps.imageJobs) {
    const imageJobs = deps.imageJobs;
    runner.define(RUN_TASK, imageJobs.task());
    // Job folders whose job row never committed (an upload cut off by a crash).
    runner.define("image-jobs.sweep-strays", {
      run: async (_payload, context) => {
        const removed = await imageJobs.sweepStrays();
        if (removed > 0) context.log.info({ removed }, "stray image-job folders removed");
      },
    });
    runner.schedule({
      name: "image-jobs.sweep-strays",
      task: "image-jobs.sweep-strays",
      everyMs: 15 * MINUTE,
    });
  }
  if (deps.webhooks) runner.define(DELIVER_TASK, deps.webhooks.task());

  // Five-minute energy buckets older than a week become hourly ones (docs/energy.md).
  runner.define("energy.rollup", {
    run: async () => {
      await rollupEnergy(database, new Date(Date.now() - FINE_BUCKET_RETENTION_MS));
    },
  });
  runner.schedule({ name: "energy.rollup", task: "energy.rollup", everyMs: 15 * MINUTE });

  // Unpaid invoices past their grace period suspend the customer's servers (docs/billing.md).
  runner.define("billing.enforce-suspensions", {
    run: async () => {
      const result = await enforceSuspensions(database, new Date());
      result.hosts.forEach((h) => hub.hostChanged(h));
    },
    // The next occurrence is a minute away: a retry would only overlap it.
    maxAttempts: 1,
  });
  runner.schedule({
    name: "billing.enforce-suspensions",
    task: "billing.enforce-suspensions",
    everyMs: MINUTE,
  });

  // Servers with backups on get one scheduled backup a day; the newest seven are kept (docs/backups.md).
  if (deps.backupSchedule !== false) {
    runner.define("backups.schedule", {
      run: async () => {
        const result = await runBackupSchedule(database, new Date());
        result.hosts.forEach((h) => hub.hostChanged(h));
      },
      maxAttempts: 1,
    });
    runner.schedule({
      name: "backups.schedule",
      task: "backups.schedule",
      everyMs: deps.backupSchedule?.checkEveryMs ?? 10 * MINUTE,
    });
  }

  // Hosts whose agent has been silent too long are marked down (docs/agent-protocol.md).
  runner.define("hosts.expire-heartbeats", {
    run: async () => {
      await hub.sweepSilentHosts();
    },
    maxAttempts: 1,
  });
  runner.schedule({
    name: "hosts.expire-heartbeats",
    task: "hosts.expire-heartbeats",
    everyMs: Math.max(1_000, hub.heartbeatIntervalMs),
  });

  // Nonces of signed federation requests whose window has passed (docs/federation.md).
  runner.define("federation.sweep-nonces", {
    run: async () => {
      await sweepNonces(database.db);
    },
    maxAttempts: 1,
  });
  runner.schedule({ name: "federation.sweep-nonces", task: "federation.sweep-nonces", everyMs: 15 * MINUTE });

  if (deps.remoteServers) scheduleRemoteServerWork(runner, deps.remoteServers);

  if (deps.federationUsage) scheduleUsageSettlement(runner, deps.federationUsage);

  // The month before is closed for every issuer on the 1st (docs/billing.md, "Invoices").
  if (deps.monthClose !== false) {
    const tasks = monthCloseTasks(database);
    runner.define(CLOSE_MONTHS_TASK, tasks.closeMonths);
    runner.define(CLOSE_ISSUER_MONTH_TASK, tasks.closeIssuerMonth);
    runner.schedule({
      name: CLOSE_MONTHS_TASK,
      task: CLOSE_MONTHS_TASK,
      cron: deps.monthClose?.cron ?? MONTH_CLOSE_CRON,
    });
  }
  return runner;
}
