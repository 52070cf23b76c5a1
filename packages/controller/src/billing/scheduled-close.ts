import type { Database } from "@layerboom/db";
import { enqueueJobs } from "../jobs/enqueue.js";
import type { TaskDefinition } from "../jobs/job-runner.js";
import { closeMonth } from "./invoices.js";
import { closeWholesaleMonth } from "./wholesale.js";
import { systemActor } from "../base/context.js";

/** What the audit log names as the closer of a month closed on schedule. */
const MONTH_CLOSE = systemActor("month-close");

/** The recurring task: on each occurrence, one close of the month before for every issuer. */
export const CLOSE_MONTHS_TASK = "billing.close-months";
/** One issuer's close of one month (what `POST /billing/close` does for it). */
export const CLOSE_ISSUER_MONTH_TASK = "billing.close-issuer-month";

/**
 * When the automatic close runs: 13:00 UTC on the 1st. A month ends at local midnight in each
 * customer's billing zone; the last zones (UTC-12) reach it at 12:00 UTC, so by then the month
 * before is over for every customer and the close is never refused as early.
 */
export const MONTH_CLOSE_CRON = "0 13 1 * *";

/** The month before the one `at` falls in (UTC), as YYYY-MM. */
export function previousPeriod(at: Date): string {
  const first = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  return first.toISOString().slice(0, 7);
}

/**
 * The job runner's tasks of the automatic month close (docs/billing.md, "Invoices"). The
 * recurring occurrence enqueues one job per issuer (the provider and each reseller), keyed by
 * issuer and month, so each issuer's month is closed by one job however often replicas or
 * retries ask. A close is safe to run twice anyway: it skips customers already invoiced under
 * the issuer's sequence lock, so a job taken over after a crash issues only what is missing.
 */
export function monthCloseTasks(database: Database): {
  closeMonths: TaskDefinition<{ occurrence: string }>;
  closeIssuerMonth: TaskDefinition<{ issuer_id: string; period: string }>;
} {
  return {
    closeMonths: {
      run: async ({ occurrence }, context) => {
        const period = previousPeriod(new Date(occurrence));
        const issuers = await database.db
          .selectFrom("accounts")
          .select("id")
          .where("kind", "in", ["provider", "reseller"])
          .orderBy("id")
          .execute();
        const queued = await enqueueJobs(
          database.db,
          issuers.map((i) => ({
            task: CLOSE_ISSUER_MONTH_TASK,
            payload: { issuer_id: i.id, period },
            uniqueKey: `${CLOSE_ISSUER_MONTH_TASK}:${i.id}:${period}`,
          })),
        );
        context.log.info({ period, issuers: issuers.length, queued }, "month close queued for every issuer");
      },
    },
    closeIssuerMonth: {
      run: async ({ issuer_id: issuerId, period }, context) => {
        const issuer = await database.db
          .selectFrom("accounts")
          .select("kind")
          .where("id", "=", issuerId)
          .executeTakeFirst();
        if (!issuer) return;
        const now = new Date();
        const own = await closeMonth(database, issuerId, period, now, MONTH_CLOSE);
        // As the route does: the provider also bills each reseller wholesale.
        const wholesale =
          issuer.kind === "provider"
            ? await closeWholesaleMonth(database, issuerId, period, now, MONTH_CLOSE)
            : { issued: [], skipped: 0 };
        context.log.info(
          {
            issuerId,
            period,
            issued: own.issued.length + wholesale.issued.length,
            skipped: own.skipped + wholesale.skipped,
          },
          "month closed",
        );
      },
      // A refusal (a customer's month not over yet) or a database outage is tried again for a day or so.
      maxAttempts: 12,
      backoff: { baseMs: 5 * 60_000, maxMs: 6 * 3_600_000 },
      leaseMs: 5 * 60_000,
    },
  };
}
