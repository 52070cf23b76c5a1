import { describe, expect, it } from "vitest";
import { compileImageJobLimits, parseByteSize } from "./settings.js";

describe("parseByteSize", () => {
  it.each([
    ["1048576", 1024 ** 2],
    ["512G", 512 * 1024 ** 3],
    ["512GiB", 512 * 1024 ** 3],
    ["5gb", 5 * 1024 ** 3],
    ["1T", 1024 ** 4],
    [" 64 M ", 64 * 1024 ** 2],
  ])("reads %j", (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(["", "G", "-1G", "1.5G", "1P", "lots", "9".repeat(30)])("refuses %j", (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});

describe("compileImageJobLimits", () => {
  it("fills the defaults: a 512 GiB cap, a 5 GiB reserve, 30 min exports, and the quotas", () => {
    expect(compileImageJobLimits()).toMatchObject({
      maxVirtualSize: 512 * 1024 ** 3,
      freeSpaceReserveBytes: 5 * 1024 ** 3,
      exportTimeoutMs: 30 * 60_000,
      quotas: { images: 50, image_jobs: 10, image_jobs_running: 1, uploads: 2 },
    });
  });

  it("refuses nonsense at start-up rather than at the first job", () => {
    expect(() => compileImageJobLimits({ maxVirtualSize: 0 })).toThrow(/maxVirtualSize/);
    expect(() => compileImageJobLimits({ quotas: { image_jobs_running: 0 } })).toThrow(/image_jobs_running/);
    expect(() => compileImageJobLimits({ quotas: { images: -1 } })).toThrow(/quotas\.images/);
  });
});
