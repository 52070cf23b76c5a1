import { describe } from "vitest";
import type { DatabaseKind } from "@layerboom/db";
import { DATABASE_KINDS, TEST_POSTGRES_URL, postgresAvailable } from "@layerboom/testkit";

/**
 * Whether the test PostgreSQL answers, asked once when a test file loads. Where it is required
 * (CI, or LAYERBOOM_REQUIRE_POSTGRES=1) and does not answer, this throws, so the file fails
 * instead of skipping; elsewhere a missing server is announced loudly and its blocks skip.
 */
const postgresAnswers = await postgresAvailable();

/**
 * The database kinds this run asks for: LAYERBOOM_TEST_DATABASES, comma-separated (`npm run
 * test:fast` asks for PGlite alone, see package.json), or every kind. `npm test` sets nothing.
 */
const asked = (process.env["LAYERBOOM_TEST_DATABASES"] ?? "")
  .split(",")
  .map((k) => k.trim())
  .filter((k) => k !== "");
for (const kind of asked)
  if (!(DATABASE_KINDS as readonly string[]).includes(kind))
    throw new Error(`LAYERBOOM_TEST_DATABASES names ${kind}; the kinds are ${DATABASE_KINDS.join(", ")}`);

/** Why a database kind cannot be tested here, or undefined when it can. */
function missing(kind: DatabaseKind): string | undefined {
  if (asked.length > 0 && !asked.includes(kind))
    return `skipped: LAYERBOOM_TEST_DATABASES=${asked.join(",")}`;
  if (kind === "postgres" && !postgresAnswers)
    return `skipped: PostgreSQL at ${TEST_POSTGRES_URL} did not answer`;
  return undefined;
}

/**
 * A describe block on one database kind, skipped as a whole, with the reason in its title, when
 * that database is not there. Inside the body the database answers, so the controller or scratch
 * database its beforeAll starts is never undefined.
 */
export function describeOnDatabase(kind: DatabaseKind, title: string, body: () => void): void {
  const reason = missing(kind);
  if (reason) describe.skip(`${title} (${reason})`, body);
  else describe(title, body);
}

/** `describe.each(DATABASE_KINDS)` through describeOnDatabase: one block per kind, "%s" its name. */
export function describeOnEachDatabase(title: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) describeOnDatabase(kind, title.replace("%s", kind), () => body(kind));
}
