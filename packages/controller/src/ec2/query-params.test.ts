import { describe, expect, it } from "vitest";
import { Ec2Error } from "./errors.js";
import { Ec2Params, checkFilters } from "./query-params.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof Ec2Error) return `${err.code}: ${err.message}`;
    throw err;
  }
}

describe("Ec2Params", () => {
  const params = Ec2Params.parse(
    "Action=DescribeInstances&InstanceId.2=i-2&InstanceId.1=i-1&InstanceId.10=i-10" +
      "&Filter.1.Name=tag%3AName&Filter.1.Value.1=web%201&Filter.1.Value.2=web-2&Filter.2.Name=instance-state-name" +
      "&Filter.2.Value.1=running&Placement.AvailabilityZone=local&MaxResults=5&DryRun=false",
  );

  it("reads lists in index order, structures and filters", () => {
    expect(params.required("Action")).toBe("DescribeInstances");
    expect(params.list("InstanceId")).toEqual(["i-1", "i-2", "i-10"]);
    expect(params.filters()).toEqual([
      { name: "tag:Name", values: ["web 1", "web-2"] },
      { name: "instance-state-name", values: ["running"] },
    ]);
    expect(params.struct("Placement")?.string("AvailabilityZone")).toBe("local");
    expect(params.integer("MaxResults", { min: 5, max: 1000 })).toBe(5);
    expect(params.boolean("DryRun")).toBe(false);
    expect(params.list("Nothing")).toEqual([]);
  });

  it("names the parameter it refuses, in EC2's codes", () => {
    expect(codeOf(() => params.required("ImageId"))).toMatch(/^MissingParameter: .*ImageId/);
    expect(codeOf(() => params.integer("MaxResults", { min: 6, max: 1000 }))).toMatch(
      /^InvalidParameterValue: .*MaxResults/,
    );
    expect(codeOf(() => Ec2Params.parse("DryRun=yes").boolean("DryRun"))).toMatch(/DryRun/);
    expect(codeOf(() => Ec2Params.parse("InstanceId.x=i-1").list("InstanceId"))).toMatch(/InstanceId\.x/);
    expect(
      codeOf(() =>
        Ec2Params.parse("TagSpecification.1.Tag.1.Key=a")
          .structs("TagSpecification")[0]
          ?.required("ResourceType"),
      ),
    ).toMatch(/TagSpecification\.1\.ResourceType/);
    expect(codeOf(() => Ec2Params.parse("Name=a%00b"))).toMatch(
      /^InvalidParameterValue: .*control characters/,
    );
    expect(codeOf(() => checkFilters(params.filters(), ["instance-state-name"]))).toMatch(/tag:Name/);
    expect(checkFilters(params.filters(), ["instance-state-name", "tag:"])).toBeUndefined();
  });

  it("lists every field, sorted, for a ClientToken's parameters hash", () => {
    expect(Ec2Params.parse("b=2&a.2=y&a.1=x").entries()).toEqual([
      ["a.1", "x"],
      ["a.2", "y"],
      ["b", "2"],
    ]);
  });
});
