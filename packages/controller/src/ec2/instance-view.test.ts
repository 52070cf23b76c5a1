import { XMLBuilder } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { InstanceRow } from "./instance-queries.js";
import { reservationsXml } from "./instance-view.js";
import { EC2_NAMESPACE, ec2ResponseXml, xmlList } from "./xml.js";

/** The library with its own defaults (prefixed attributes, its own entities). */
const reference = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  processEntities: true,
  format: false,
});

function row(overrides: Partial<InstanceRow>): InstanceRow {
  return {
    id: "srv_00000000000000000000000001",
    ec2_id: "i-0123456789abcdef0",
    ec2_reservation_id: null,
    account_id: "acc_a",
    host_id: null,
    desired_state: "running",
    observed_state: "running",
    created_at: new Date(Date.UTC(2026, 11, 7, 9, 30, 0, 5)),
    deleted_at: null,
    instance_type: "small",
    image_ec2_id: "ami-0123456789abcdef0",
    zone: "site-1",
    key_name: null,
    public_ipv4: null,
    client_token: null,
    tags: [],
    ...overrides,
  };
}

/** One instance as the library's own input shape spells it, written out by hand. */
function expectedInstance(fields: {
  id: string;
  state: { code: number; name: string };
  launchIndex: number;
  keyName?: string;
  ipAddress?: string;
  clientToken?: string;
  tags?: { key: string; value: string }[];
}) {
  return {
    instanceId: fields.id,
    imageId: "ami-0123456789abcdef0",
    instanceState: fields.state,
    ...(fields.keyName !== undefined ? { keyName: fields.keyName } : {}),
    amiLaunchIndex: fields.launchIndex,
    instanceType: "small",
    launchTime: "2026-12-07T09:30:00.005Z",
    placement: { availabilityZone: "site-1", tenancy: "default" },
    monitoring: { state: "disabled" },
    ...(fields.ipAddress !== undefined ? { ipAddress: fields.ipAddress } : {}),
    architecture: "x86_64",
    rootDeviceType: "ebs",
    rootDeviceName: "/dev/vda",
    virtualizationType: "hvm",
    ...(fields.clientToken !== undefined ? { clientToken: fields.clientToken } : {}),
    ...(fields.tags !== undefined ? { tagSet: { item: fields.tags } } : {}),
  };
}

describe("DescribeInstances' view", () => {
  it("writes the same bytes as the library does from its own shape, shared state objects and all", () => {
    const tags = [
      { key: "Name", value: `web "one" & <two>` },
      { key: "team", value: "it's ours" },
    ];
    const rows = [
      row({
        ec2_reservation_id: "r-00000000000000001",
        key_name: "laptop",
        public_ipv4: "203.0.113.7",
        client_token: "token-1",
        tags,
      }),
      row({
        id: "srv_00000000000000000000000002",
        ec2_id: "i-0123456789abcdef1",
        ec2_reservation_id: "r-00000000000000001",
        client_token: "token-1",
      }),
      row({
        id: "srv_00000000000000000000000003",
        ec2_id: "i-0123456789abcdef2",
        desired_state: "stopped",
        observed_state: "stopped",
      }),
      row({
        id: "srv_00000000000000000000000004",
        ec2_id: "i-0123456789abcdef3",
        deleted_at: new Date(Date.UTC(2026, 11, 7, 10, 0, 0)),
      }),
    ];
    const running = { code: 16, name: "running" };
    const expected = reference.build({
      "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
      DescribeInstancesResponse: {
        "@_xmlns": EC2_NAMESPACE,
        requestId: "req-1",
        reservationSet: {
          item: [
            {
              reservationId: "r-00000000000000001",
              ownerId: "acc_a",
              groupSet: "",
              instancesSet: {
                item: [
                  expectedInstance({
                    id: "i-0123456789abcdef0",
                    state: running,
                    launchIndex: 0,
                    keyName: "laptop",
                    ipAddress: "203.0.113.7",
                    clientToken: "token-1",
                    tags,
                  }),
                  expectedInstance({
                    id: "i-0123456789abcdef1",
                    state: running,
                    launchIndex: 1,
                    clientToken: "token-1",
                  }),
                ],
              },
            },
            {
              reservationId: "r-0123456789abcdef2",
              ownerId: "acc_a",
              groupSet: "",
              instancesSet: {
                item: [
                  expectedInstance({
                    id: "i-0123456789abcdef2",
                    state: { code: 80, name: "stopped" },
                    launchIndex: 0,
                  }),
                ],
              },
            },
            {
              reservationId: "r-0123456789abcdef3",
              ownerId: "acc_a",
              groupSet: "",
              instancesSet: {
                item: [
                  expectedInstance({
                    id: "i-0123456789abcdef3",
                    state: { code: 48, name: "terminated" },
                    launchIndex: 0,
                  }),
                ],
              },
            },
          ],
        },
        nextToken: "bmV4dA",
      },
    });
    const ours = ec2ResponseXml("DescribeInstances", "req-1", {
      reservationSet: xmlList(reservationsXml(rows)),
      nextToken: "bmV4dA",
    });
    expect(ours).toBe(expected);
    // Written twice from the same rows (the state and monitoring objects are shared): the same.
    expect(
      ec2ResponseXml("DescribeInstances", "req-1", {
        reservationSet: xmlList(reservationsXml(rows)),
        nextToken: "bmV4dA",
      }),
    ).toBe(expected);
  });

  it("writes an empty page as an empty reservationSet", () => {
    expect(
      ec2ResponseXml("DescribeInstances", "req-1", { reservationSet: xmlList(reservationsXml([])) }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>' +
        `<DescribeInstancesResponse xmlns="${EC2_NAMESPACE}"><requestId>req-1</requestId>` +
        "<reservationSet></reservationSet></DescribeInstancesResponse>",
    );
  });
});
