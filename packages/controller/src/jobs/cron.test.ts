import { describe, expect, it } from "vitest";
import { CronSyntaxError, nextCron, parseCron, previousCron } from "./cron.js";
import { compileSchedule } from "./schedule.js";

const at = (iso: string) => new Date(iso);

describe("cron expressions (UTC)", () => {
  it("finds the month close's occurrences on either side of a date", () => {
    const monthly = parseCron("0 13 1 * *");
    expect(previousCron(monthly, at("2026-12-07T04:13:00Z")).toISOString()).toBe("2026-12-01T13:00:00.000Z");
    expect(previousCron(monthly, at("2026-12-01T12:59:59Z")).toISOString()).toBe("2026-11-01T13:00:00.000Z");
    expect(previousCron(monthly, at("2026-12-01T13:00:00Z")).toISOString()).toBe("2026-12-01T13:00:00.000Z");
    expect(nextCron(monthly, at("2026-12-01T13:00:00Z")).toISOString()).toBe("2027-01-01T13:00:00.000Z");
  });

  it("reads steps, ranges and lists, and matches either day field when both are restricted", () => {
    const quarterHours = parseCron("*/15 9-17 * * 1-5");
    // Saturday 2026-12-05 → Monday 09:00.
    expect(nextCron(quarterHours, at("2026-12-05T10:00:00Z")).toISOString()).toBe("2026-12-07T09:00:00.000Z");
    expect(nextCron(quarterHours, at("2026-12-07T09:00:00Z")).toISOString()).toBe("2026-12-07T09:15:00.000Z");
    const either = parseCron("0 0 13 * 5");
    // The 13th (a Sunday) or any Friday, whichever comes first.
    expect(nextCron(either, at("2026-12-07T00:00:00Z")).toISOString()).toBe("2026-12-11T00:00:00.000Z");
    expect(nextCron(either, at("2026-12-11T00:00:00Z")).toISOString()).toBe("2026-12-13T00:00:00.000Z");
    expect(nextCron(parseCron("0 0 29 2 *"), at("2026-03-01T00:00:00Z")).toISOString()).toBe(
      "2028-02-29T00:00:00.000Z",
    );
    expect(nextCron(parseCron("30 6 * * 7,3"), at("2026-12-07T00:00:00Z")).toISOString()).toBe(
      "2026-12-09T06:30:00.000Z",
    );
  });

  it("refuses what it cannot read, naming the field", () => {
    expect(() => parseCron("0 13 1 *")).toThrow(CronSyntaxError);
    expect(() => parseCron("0 24 1 * *")).toThrow(/hour "24"/);
    expect(() => parseCron("0 13 1 JAN *")).toThrow(/month "JAN"/);
    expect(() => nextCron(parseCron("0 0 31 2 *"), at("2026-01-01T00:00:00Z"))).toThrow(/never matches/);
  });

  it("names interval occurrences from the epoch, the same on every replica", () => {
    const every = compileSchedule({ name: "x", task: "x", everyMs: 600_000 });
    expect(every.latest(at("2026-12-07T10:09:59.999Z")).toISOString()).toBe("2026-12-07T10:00:00.000Z");
    expect(every.next(at("2026-12-07T10:00:00.000Z")).toISOString()).toBe("2026-12-07T10:10:00.000Z");
    expect(() => compileSchedule({ name: "x", task: "x" })).toThrow(/exactly one/);
    expect(() => compileSchedule({ name: "a@b", task: "x", everyMs: 1 })).toThrow(/without @/);
  });
});
