import type { InstanceRow } from "./instance-queries.js";
import { reservationOf } from "./ec2-ids.js";
import { instanceState, instanceStateName } from "./instance-states.js";
import { xmlList } from "./xml.js";
import type { XmlObject } from "./xml.js";

/** What every instance says alike: one object for all of them, never changed. */
const MONITORING: XmlObject = Object.freeze({ state: "disabled" });

/** One `<item>` of an `instancesSet`, in EC2's element names (botocore's `Instance` shape). */
export function instanceXml(row: InstanceRow, launchIndex = 0): XmlObject {
  return {
    instanceId: row.ec2_id,
    imageId: row.image_ec2_id,
    instanceState: instanceState(instanceStateName(row)),
    reason: undefined,
    keyName: row.key_name ?? undefined,
    amiLaunchIndex: launchIndex,
    instanceType: row.instance_type,
    launchTime: row.created_at,
    placement: { availabilityZone: row.zone, tenancy: "default" },
    monitoring: MONITORING,
    ipAddress: row.public_ipv4 ?? undefined,
    architecture: "x86_64",
    rootDeviceType: "ebs",
    rootDeviceName: "/dev/vda",
    virtualizationType: "hvm",
    clientToken: row.client_token ?? undefined,
    tagSet: row.tags.length > 0 ? xmlList(row.tags) : undefined,
  };
}

/**
 * `reservationSet` items: consecutive instances of one reservation share an item (a
 * reservation split across pages appears on both, as on EC2).
 */
export function reservationsXml(rows: InstanceRow[]): XmlObject[] {
  const out: XmlObject[] = [];
  let reservationId: string | undefined;
  let instances: XmlObject[] = [];
  for (const row of rows) {
    const id = reservationOf(row);
    if (id !== reservationId) {
      reservationId = id;
      instances = [];
      out.push({
        reservationId: id,
        ownerId: row.account_id,
        groupSet: xmlList([]),
        instancesSet: { item: instances },
      });
    }
    instances.push(instanceXml(row, instances.length));
  }
  return out;
}
