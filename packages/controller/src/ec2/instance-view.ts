import type { InstanceRow } from "./instance-queries.js";
import { reservationOf } from "./ec2-ids.js";
import { instanceState, instanceStateName } from "./instance-states.js";
import type { XmlObject } from "./xml.js";

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
    monitoring: { state: "disabled" },
    ipAddress: row.public_ipv4 ?? undefined,
    architecture: "x86_64",
    rootDeviceType: "ebs",
    rootDeviceName: "/dev/vda",
    virtualizationType: "hvm",
    clientToken: row.client_token ?? undefined,
    tagSet: row.tags.length > 0 ? row.tags.map((t) => ({ key: t.key, value: t.value })) : undefined,
  };
}

/**
 * `reservationSet` items: consecutive instances of one reservation share an item (a
 * reservation split across pages appears on both, as on EC2).
 */
export function reservationsXml(rows: InstanceRow[]): XmlObject[] {
  const out: { id: string; ownerId: string; rows: InstanceRow[] }[] = [];
  for (const row of rows) {
    const id = reservationOf(row);
    const last = out[out.length - 1];
    if (last && last.id === id) last.rows.push(row);
    else out.push({ id, ownerId: row.account_id, rows: [row] });
  }
  return out.map((r) => ({
    reservationId: r.id,
    ownerId: r.ownerId,
    groupSet: [],
    instancesSet: r.rows.map((row, i) => instanceXml(row, i)),
  }));
}
