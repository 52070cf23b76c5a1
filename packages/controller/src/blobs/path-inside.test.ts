import { describe, expect, it } from "vitest";
import { PathEscapeError, pathInside } from "./path-inside.js";

describe("pathInside", () => {
  it("joins generated names under the base", () => {
    expect(pathInside("/data/blobs", ".image-jobs", "job_01", "export.qcow2")).toBe(
      "/data/blobs/.image-jobs/job_01/export.qcow2",
    );
    expect(pathInside("/data/blobs/", "a".repeat(64))).toBe(`/data/blobs/${"a".repeat(64)}`);
    // A name that merely starts with two dots stays inside.
    expect(pathInside("/data", "..hidden")).toBe("/data/..hidden");
  });

  it.each([["../../../../x"], [".."], ["."], [""], ["/etc/passwd"], ["job/../../escape"], ["ok\0.qcow2"]])(
    "refuses %j",
    (part) => {
      expect(() => pathInside("/data/blobs/.image-jobs/job_01", part)).toThrow(PathEscapeError);
    },
  );

  it("refuses a call without parts (the base itself is no file of a job)", () => {
    expect(() => pathInside("/data")).toThrow(PathEscapeError);
  });
});
