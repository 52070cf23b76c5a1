import { describe, expect, it } from "vitest";
import { UnknownTimeZoneError } from "./errors.js";
import { assertTimeZone, localTimeAt, offsetMsAt, startOfLocalDay } from "./time-zone.js";

const H = 3_600_000;

describe("time zones", () => {
  it("finds local midnight on normal and DST days", () => {
    expect(startOfLocalDay(2024, 3, 10, "America/Toronto")).toBe(Date.UTC(2024, 2, 10, 5));
    expect(startOfLocalDay(2024, 3, 11, "America/Toronto")).toBe(Date.UTC(2024, 2, 11, 4));
    expect(
      startOfLocalDay(2024, 11, 4, "America/Toronto") - startOfLocalDay(2024, 11, 3, "America/Toronto"),
    ).toBe(25 * H);
    expect(startOfLocalDay(2024, 6, 1, "Asia/Kathmandu")).toBe(Date.UTC(2024, 4, 31, 18, 15));
  });

  it("starts a day at the end of a DST gap that swallows midnight (Havana)", () => {
    expect(startOfLocalDay(2024, 3, 10, "America/Havana")).toBe(Date.UTC(2024, 2, 10, 5));
    expect(localTimeAt(Date.UTC(2024, 2, 10, 5), "America/Havana")).toMatchObject({ day: 10, hour: 1 });
  });

  it("reads the wall clock and offset", () => {
    expect(localTimeAt(Date.UTC(2024, 6, 1, 16, 30), "America/Toronto")).toEqual({
      year: 2024,
      month: 7,
      day: 1,
      hour: 12,
      minute: 30,
      weekday: 1,
    });
    expect(offsetMsAt(Date.UTC(2024, 0, 1), "Etc/GMT+5")).toBe(-5 * H);
  });

  it("rejects unknown zones with a typed error", () => {
    expect(() => assertTimeZone("Mars/Olympus_Mons")).toThrow(UnknownTimeZoneError);
    expect(() => assertTimeZone("America/Toronto")).not.toThrow();
  });
});
