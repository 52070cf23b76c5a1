import { describe, expect, it } from "vitest";
import { createProgressParser, type ConvertProgress } from "./progress.js";

describe("createProgressParser", () => {
  it("derives bytes, rate and ETA from qemu-img percentages", () => {
    let t = 1000;
    const seen: ConvertProgress[] = [];
    const feed = createProgressParser(
      1000,
      (p) => seen.push(p),
      () => t,
    );
    feed("    (0.00/100%)");
    t = 3000;
    feed("    (50.00/100%)");
    feed("    (50.00/100%)");
    feed("garbage");
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual({
      percent: 50,
      bytesDone: 500,
      totalBytes: 1000,
      bytesPerSecond: 250,
      etaSeconds: 2,
    });
  });
});
