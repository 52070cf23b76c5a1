import { createHash } from "node:crypto";
import { InsufficientCapacityError, InvalidInputError, describeResidency, newId } from "@layerboom/core";
import type { ServiceContext } from "../base/context.js";
import { requiredJurisdictionsOf, siteWithin } from "../accounts/residency.js";
import { MAX_USER_DATA_BYTES, insertServer, prepareServerCreate } from "../servers/servers.js";
import type { Ec2Action } from "./ec2-call.js";
import { Ec2Error, invalidParameterValue } from "./errors.js";
import { newInstanceId, newReservationId } from "./ec2-ids.js";
import { findInstances } from "./instance-queries.js";
import { reservationsXml } from "./instance-view.js";
import { keyPairByName } from "./key-pair-actions.js";
import type { Ec2Params } from "./query-params.js";
import { putTags, tagSpecifications } from "./tags.js";
import { xmlList } from "./xml.js";
import type { XmlObject } from "./xml.js";

/** At most this many instances per call: a typo in MaxCount should not fill a site. */
const MAX_COUNT = 20;
const CLIENT_TOKEN = /^[\x21-\x7e]{1,64}$/;

/** A ClientToken already claimed by a concurrent call: roll back and answer what it made. */
class ClientTokenTaken extends Error {}

/** SHA-256 of every parameter but the token: the same token with other parameters is a mismatch. */
function parametersHash(params: Ec2Params): string {
  const entries = params.entries().filter(([name]) => name !== "ClientToken");
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
}

/** The reservation a ClientToken made, or IdempotentParameterMismatch, or undefined for a new token. */
async function earlierReservation(
  ctx: ServiceContext,
  token: string,
  hash: string,
): Promise<XmlObject | undefined> {
  const claimed = await ctx.database.db
    .selectFrom("ec2_client_tokens")
    .select(["reservation_id", "parameters_hash"])
    .where("account_id", "=", ctx.principal.accountId)
    .where("client_token", "=", token)
    .executeTakeFirst();
  if (!claimed) return undefined;
  if (claimed.parameters_hash !== hash)
    throw new Ec2Error(
      "IdempotentParameterMismatch",
      `The client token '${token}' was already used with other parameters; use a new token for a different request.`,
    );
  return reservationAnswer(ctx, claimed.reservation_id);
}

async function reservationAnswer(ctx: ServiceContext, reservationId: string): Promise<XmlObject> {
  const { rows } = await findInstances(ctx, {
    ids: [],
    filters: [{ name: "reservation-id", values: [reservationId] }],
    limit: MAX_COUNT,
  });
  const [reservation] = reservationsXml(rows);
  return (
    reservation ?? {
      reservationId,
      ownerId: ctx.principal.accountId,
      groupSet: xmlList([]),
      instancesSet: xmlList([]),
    }
  );
}

/** `UserData`: base64 of at most 16 KiB, kept in its canonical spelling. */
function userDataOf(params: Ec2Params): string | undefined {
  const text = params.string("UserData");
  if (text === undefined || text === "") return undefined;
  const bytes = Buffer.from(text, "base64");
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(text) || bytes.length === 0)
    throw new Ec2Error("InvalidUserData.Malformed", "User data must be base64 encoded.");
  if (bytes.length > MAX_USER_DATA_BYTES)
    throw new Ec2Error("InvalidParameterValue", `User data is limited to ${MAX_USER_DATA_BYTES} bytes.`);
  return bytes.toString("base64");
}

async function lookupId(
  ctx: ServiceContext,
  table: "images" | "plans" | "sites",
  column: "ec2_id" | "name",
  value: string,
): Promise<string | undefined> {
  const row = await ctx.database.db
    .selectFrom(table)
    .select("id")
    .where((eb) => eb.or([eb(column, "=", value), eb("id", "=", value)]))
    .executeTakeFirst();
  return row?.id;
}

export const runInstances: Ec2Action = {
  group: "servers",
  access: "write",
  async run({ ctx, params }) {
    const imageRef = params.required("ImageId");
    const typeRef = params.required("InstanceType");
    const minCount = params.integer("MinCount", { min: 1, max: MAX_COUNT });
    const maxCount = params.integer("MaxCount", { min: 1, max: MAX_COUNT });
    if (minCount === undefined)
      throw new Ec2Error("MissingParameter", "The request must contain the parameter MinCount.");
    if (maxCount === undefined)
      throw new Ec2Error("MissingParameter", "The request must contain the parameter MaxCount.");
    if (minCount > maxCount)
      throw new Ec2Error("InvalidParameterValue", "MinCount must be less than or equal to MaxCount.");
    const token = params.string("ClientToken");
    if (token !== undefined && !CLIENT_TOKEN.test(token))
      throw invalidParameterValue("ClientToken", "1 to 64 printable ASCII characters.");
    const hash = parametersHash(params);
    // The hot path (awscli sends a fresh token each time): one primary-key lookup.
    if (token !== undefined) {
      const earlier = await earlierReservation(ctx, token, hash);
      if (earlier) return earlier;
    }
    const tags = tagSpecifications(params, "instance");
    const userData = userDataOf(params);
    const imageId = await lookupId(ctx, "images", "ec2_id", imageRef);
    if (!imageId)
      throw new Ec2Error("InvalidAMIID.NotFound", `The image id '[${imageRef.slice(0, 64)}]' does not exist`);
    const planId = await lookupId(ctx, "plans", "name", typeRef);
    if (!planId)
      throw invalidParameterValue(
        "InstanceType",
        `'${typeRef.slice(0, 64)}' is not an instance type here (DescribeInstanceTypes lists them).`,
      );
    const zone = params.struct("Placement")?.string("AvailabilityZone");
    const siteId = zone === undefined ? undefined : await lookupId(ctx, "sites", "name", zone);
    if (zone !== undefined && !siteId)
      throw new Ec2Error("InvalidParameterValue", `Invalid availability zone: [${zone.slice(0, 64)}]`);
    const keyName = params.string("KeyName");
    const key = keyName === undefined ? undefined : await keyPairByName(ctx, keyName);
    const input = {
      plan_id: planId,
      image_id: imageId,
      ...(key ? { ssh_key_ids: [key.id] } : {}),
      ...(userData ? { user_data_base64: userData } : {}),
    };
    let prepared;
    try {
      prepared = await prepareServerCreate(ctx, { ...input, ...(siteId ? { site_id: siteId } : {}) });
    } catch (err) {
      // The image exists but the caller may not use it: the same answer as one that does not exist.
      if (err instanceof InvalidInputError && err.field === "image_id")
        throw new Ec2Error(
          "InvalidAMIID.NotFound",
          `The image id '[${imageRef.slice(0, 64)}]' does not exist`,
        );
      // No zone named and none ranked by energy: any zone with room, as EC2 picks one, among
      // those within the account's required jurisdictions (docs/placement.md).
      if (!(err instanceof InvalidInputError && err.field === "site_id" && siteId === undefined)) throw err;
      const required = await requiredJurisdictionsOf(ctx.database.db, ctx.principal.accountId);
      const sites = await ctx.database.db
        .selectFrom("sites")
        .select("id")
        .where(siteWithin(required))
        .orderBy("name")
        .execute();
      if (sites.length === 0 && required.length > 0)
        throw new Ec2Error(
          "InvalidParameterValue",
          `No availability zone lies within your account's required jurisdictions (${describeResidency(required)}).`,
        );
      if (sites.length === 0)
        throw new Ec2Error("InsufficientInstanceCapacity", "This region has no availability zone yet.", 500);
      prepared = {
        ...(await prepareServerCreate(ctx, { ...input, site_id: sites[0]!.id })),
        siteIds: sites.map((s) => s.id),
      };
    }
    const reservationId = newReservationId();
    let hosts: string[];
    try {
      hosts = await ctx.database.db.transaction().execute(async (trx) => {
        if (token !== undefined) {
          const claimed = await trx
            .insertInto("ec2_client_tokens")
            .values({
              account_id: ctx.principal.accountId,
              client_token: token,
              reservation_id: reservationId,
              parameters_hash: hash,
            })
            .onConflict((oc) => oc.columns(["account_id", "client_token"]).doNothing())
            .returning("reservation_id")
            .executeTakeFirst();
          if (!claimed) throw new ClientTokenTaken();
        }
        const placed: string[] = [];
        for (let i = 0; i < maxCount; i++) {
          const ec2Id = newInstanceId();
          try {
            const server = await insertServer(trx, ctx, prepared, {
              id: newId("server"),
              name: ec2Id,
              ec2Id,
              ec2ReservationId: reservationId,
            });
            await putTags(trx, server.account_id, ec2Id, tags);
            if (server.host_id) placed.push(server.host_id);
          } catch (err) {
            // As many as fit, down to MinCount; below it, none at all.
            if (err instanceof InsufficientCapacityError && i >= minCount) break;
            throw err;
          }
        }
        return placed;
      });
    } catch (err) {
      if (err instanceof ClientTokenTaken && token !== undefined) {
        const earlier = await earlierReservation(ctx, token, hash);
        if (earlier) return earlier;
      }
      throw err;
    }
    for (const host of new Set(hosts)) ctx.hostChanged?.(host);
    return reservationAnswer(ctx, reservationId);
  },
};
