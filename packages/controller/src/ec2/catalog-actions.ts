import type { ImageRow } from "@layerboom/db";
import { listImages } from "../images/images.js";
import { requiredJurisdictionsOf, siteWithin } from "../accounts/residency.js";
import type { Ec2Action } from "./ec2-call.js";
import { Ec2Error } from "./errors.js";
import { IMAGE_ID, LAYERBOOM_ID } from "./ec2-ids.js";
import { xmlList } from "./xml.js";
import type { XmlObject } from "./xml.js";

/** The region: this controller. */
export const describeRegions: Ec2Action = {
  group: "catalog",
  access: "read",
  async run({ params, region }) {
    const names = params.list("RegionName");
    const regions = names.length === 0 || names.includes(region) ? [region] : [];
    return {
      regionInfo: xmlList(
        regions.map((name) => ({
          regionName: name,
          optInStatus: "opt-in-not-required",
        })),
      ),
    };
  },
};

/**
 * The zones: the sites, by name (their id is the zone id); only those within the caller's
 * required jurisdictions, as GET /sites lists them (docs/placement.md).
 */
export const describeAvailabilityZones: Ec2Action = {
  group: "catalog",
  access: "read",
  async run({ ctx, params, region }) {
    const names = params.list("ZoneName");
    const ids = params.list("ZoneId");
    const required = await requiredJurisdictionsOf(ctx.database.db, ctx.principal.accountId);
    let q = ctx.database.db.selectFrom("sites").select(["id", "name"]).where(siteWithin(required));
    if (names.length > 0) q = q.where("name", "in", names);
    if (ids.length > 0) q = q.where("id", "in", ids);
    const sites = await q.orderBy("name").execute();
    const missing = names.find((n) => !sites.some((s) => s.name === n));
    if (missing !== undefined)
      throw new Ec2Error(
        "InvalidParameterValue",
        `The availability zone '${missing.slice(0, 64)}' is not valid in region ${region}.`,
      );
    return {
      availabilityZoneInfo: xmlList(
        sites.map((s) => ({
          zoneName: s.name,
          zoneState: "available",
          regionName: region,
          zoneId: s.id,
          zoneType: "availability-zone",
          optInStatus: "opt-in-not-required",
          groupName: region,
          networkBorderGroup: region,
        })),
      ),
    };
  },
};

/** Instance types: the plans on sale, with their vCPUs, memory and disk. */
export const describeInstanceTypes: Ec2Action = {
  group: "catalog",
  access: "read",
  async run({ ctx, params }) {
    const wanted = params.list("InstanceType");
    let q = ctx.database.db.selectFrom("plans").selectAll().where("active", "=", true);
    if (wanted.length > 0) q = q.where("name", "in", wanted);
    const plans = await q.orderBy("name").execute();
    const missing = wanted.find((w) => !plans.some((p) => p.name === w));
    if (missing !== undefined)
      throw new Ec2Error(
        "InvalidInstanceType",
        `The following supplied instance types do not exist: [${missing.slice(0, 64)}]`,
      );
    return {
      instanceTypeSet: xmlList(
        plans.map((p) => ({
          instanceType: p.name,
          currentGeneration: true,
          supportedUsageClasses: xmlList(["on-demand"]),
          processorInfo: { supportedArchitectures: xmlList(["x86_64"]) },
          vCpuInfo: { defaultVCpus: p.vcpus },
          memoryInfo: { sizeInMiB: p.memory_mib },
          instanceStorageSupported: true,
          instanceStorageInfo: {
            totalSizeInGB: p.disk_gib,
            disks: xmlList([{ sizeInGB: p.disk_gib, count: 1, type: "ssd" }]),
          },
        })),
      ),
    };
  },
};

function imageXml(image: ImageRow, tags: { key: string; value: string }[]): XmlObject {
  return {
    imageId: image.ec2_id,
    imageLocation: `${image.account_id}/${image.name}`,
    imageState:
      image.status === "available" ? "available" : image.status === "pending" ? "pending" : "failed",
    imageOwnerId: image.account_id,
    creationDate: image.created_at,
    isPublic: image.visibility === "public",
    architecture: image.arch,
    imageType: "machine",
    platformDetails: "Linux/UNIX",
    name: image.name,
    description: image.os ? `${image.os} (${image.id})` : image.id,
    rootDeviceType: "ebs",
    rootDeviceName: "/dev/vda",
    virtualizationType: "hvm",
    tagSet: tags.length > 0 ? xmlList(tags) : undefined,
  };
}

/** The images the caller may launch, by `ImageId.N` and `Owner.N` (`self` or an account id). */
export const describeImages: Ec2Action = {
  group: "images",
  access: "read",
  async run({ ctx, params }) {
    const ids = params.list("ImageId");
    for (const id of ids)
      if (!IMAGE_ID.test(id) && !LAYERBOOM_ID.test(id))
        throw new Ec2Error(
          "InvalidAMIID.Malformed",
          `Invalid id: "${id.slice(0, 64)}" (expecting "ami-...")`,
        );
    const owners = params.list("Owner").map((o) => (o === "self" ? ctx.principal.accountId : o));
    const images: ImageRow[] = [];
    for (let after: string | undefined; ;) {
      const page = await listImages(ctx, {}, { limit: 200, after });
      images.push(...page.items);
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    const chosen = images.filter(
      (i) =>
        (ids.length === 0 || ids.includes(i.ec2_id) || ids.includes(i.id)) &&
        (owners.length === 0 || owners.includes(i.account_id)),
    );
    const missing = ids.filter((id) => !images.some((i) => i.ec2_id === id || i.id === id));
    if (missing.length > 0)
      throw new Ec2Error("InvalidAMIID.NotFound", `The image id '[${missing.join(", ")}]' does not exist`);
    const tags =
      chosen.length === 0
        ? []
        : await ctx.database.db
            .selectFrom("ec2_tags")
            .select(["resource_id", "key", "value"])
            .where(
              "resource_id",
              "in",
              chosen.map((i) => i.ec2_id),
            )
            .where("account_id", "in", [...new Set(chosen.map((i) => i.account_id))])
            .orderBy("key")
            .execute();
    return {
      imagesSet: xmlList(
        chosen.map((i) =>
          imageXml(
            i,
            tags.filter((t) => t.resource_id === i.ec2_id).map((t) => ({ key: t.key, value: t.value })),
          ),
        ),
      ),
    };
  },
};
