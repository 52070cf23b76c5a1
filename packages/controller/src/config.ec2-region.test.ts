import { describe, expect, it } from "vitest";
import { ConfigError, compileControllerOptions } from "./config.js";

describe("--ec2-region / LAYERBOOM_EC2_REGION", () => {
  it("is local-1 unless set; the flag wins over the environment", () => {
    expect(compileControllerOptions({}, {}).ec2Region).toBe("local-1");
    expect(compileControllerOptions({}, { LAYERBOOM_EC2_REGION: "ca-east-2" }).ec2Region).toBe("ca-east-2");
    expect(
      compileControllerOptions({ ec2Region: "eu-1" }, { LAYERBOOM_EC2_REGION: "ca-east-2" }).ec2Region,
    ).toBe("eu-1");
  });

  it("refuses a name no SDK would sign for, naming the setting", () => {
    for (const bad of ["", "Local 1", "local_1", "-local", "local/1"])
      expect(() => compileControllerOptions({ ec2Region: bad }, {})).toThrow(ConfigError);
  });
});
