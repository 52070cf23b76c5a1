import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { EC2_NAMESPACE, ec2ErrorXml, ec2ResponseXml, escapeXmlValue, xmlList } from "./xml.js";

/** The library with its own entity handling: what escapeXmlValue must write, byte for byte. */
const reference = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  processEntities: true,
  format: false,
});

const AWKWARD = [
  "",
  "plain",
  "a & b",
  "&amp; already an entity",
  "<script>alert('x')</script>",
  `"quoted" and 'single'`,
  "><&'\"",
  "ünïcödé ✓ 𝄞",
  "tab\there",
];

describe("EC2's XML", () => {
  it("escapes text exactly as the library's own entity handling does", () => {
    for (const text of AWKWARD) {
      const ours = ec2ResponseXml("DescribeTags", "req-1", { tagSet: xmlList([{ key: text, value: text }]) });
      const theirs = reference.build({
        "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
        DescribeTagsResponse: {
          "@_xmlns": EC2_NAMESPACE,
          requestId: "req-1",
          tagSet: { item: [{ key: text, value: text }] },
        },
      });
      expect(ours).toBe(theirs);
      // And a parser reads the text back unchanged.
      const parsed = new XMLParser({ processEntities: true, parseTagValue: false }).parse(ours);
      expect(parsed.DescribeTagsResponse.tagSet.item.value).toBe(text);
    }
  });

  it("escapes error messages, which quote what the caller sent", () => {
    for (const text of AWKWARD)
      expect(ec2ErrorXml("InvalidParameterValue", text, "r")).toBe(
        reference.build({
          "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
          Response: { Errors: { Error: { Code: "InvalidParameterValue", Message: text } }, RequestID: "r" },
        }),
      );
  });

  it("writes lists as items, an empty list as an empty element, dates in ISO 8601, and leaves out undefined", () => {
    const xml = ec2ResponseXml("DescribeInstances", "req-2", {
      reservationSet: xmlList([
        {
          reservationId: "r-1",
          groupSet: xmlList([]),
          instancesSet: xmlList([
            {
              instanceId: "i-1",
              amiLaunchIndex: 0,
              ebsOptimized: false,
              keyName: undefined,
              launchTime: new Date(Date.UTC(2026, 11, 7, 9, 30, 0, 120)),
            },
          ]),
        },
      ]),
      nextToken: undefined,
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>' +
        `<DescribeInstancesResponse xmlns="${EC2_NAMESPACE}"><requestId>req-2</requestId>` +
        "<reservationSet><item><reservationId>r-1</reservationId><groupSet></groupSet>" +
        "<instancesSet><item><instanceId>i-1</instanceId><amiLaunchIndex>0</amiLaunchIndex>" +
        "<ebsOptimized>false</ebsOptimized><launchTime>2026-12-07T09:30:00.120Z</launchTime>" +
        "</item></instancesSet></item></reservationSet></DescribeInstancesResponse>",
    );
  });

  it("writes DescribeInstances' reservationSet through the raw path with the same bytes", () => {
    for (const text of AWKWARD) {
      const body = {
        reservationSet: xmlList([
          {
            reservationId: text,
            groupSet: xmlList([]),
            instancesSet: xmlList([
              {
                instanceId: text,
                amiLaunchIndex: 0,
                ebsOptimized: false,
                nothingKnown: { reason: undefined },
                keyName: undefined,
                launchTime: new Date(Date.UTC(2026, 11, 7, 9, 30, 0, 120)),
                tagSet: xmlList([{ key: text, value: text }]),
              },
            ]),
          },
        ]),
        nextToken: text,
      };
      const ours = ec2ResponseXml("DescribeInstances", "req-1", body);
      // The same body as another action's answer takes the builder's own path.
      const ownPath = ec2ResponseXml("DescribeInstancesX", "req-1", body).replace(
        /DescribeInstancesXResponse/g,
        "DescribeInstancesResponse",
      );
      expect(ours).toBe(ownPath);
      expect(ours).toBe(
        reference.build({
          "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
          DescribeInstancesResponse: {
            "@_xmlns": EC2_NAMESPACE,
            requestId: "req-1",
            reservationSet: {
              item: [
                {
                  reservationId: text,
                  groupSet: "",
                  instancesSet: {
                    item: [
                      {
                        instanceId: text,
                        amiLaunchIndex: 0,
                        ebsOptimized: false,
                        nothingKnown: "",
                        launchTime: "2026-12-07T09:30:00.120Z",
                        tagSet: { item: [{ key: text, value: text }] },
                      },
                    ],
                  },
                },
              ],
            },
            nextToken: text,
          },
        }),
      );
    }
  });

  it("leaves numbers and booleans to the library", () => {
    expect(escapeXmlValue("n", 16)).toBe(16);
    expect(escapeXmlValue("b", true)).toBe(true);
    expect(escapeXmlValue("s", "a<b")).toBe("a&lt;b");
  });
});
