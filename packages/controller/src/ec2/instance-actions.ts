import { ConflictError, decideServerAction } from "@layerboom/core";
import type { PowerAction } from "@layerboom/core";
import type { AgentHub } from "../agents/agent-hub.js";
import { accountSuspended } from "../metering/suspension.js";
import { deleteServer, getServer, serverAction } from "../servers/servers.js";
import type { Ec2Action } from "./ec2-call.js";
import { decodeNextToken, encodeNextToken } from "./ec2-call.js";
import { Ec2Error, invalidParameterValue, missingParameter } from "./errors.js";
import { INSTANCE_FILTERS, checkInstanceIds, findInstances, instancesByIds } from "./instance-queries.js";
import type { InstanceRow } from "./instance-queries.js";
import { instanceState, instanceStateName } from "./instance-states.js";
import type { InstanceStateName } from "./instance-states.js";
import { reservationsXml } from "./instance-view.js";
import { checkFilters } from "./query-params.js";
import type { Ec2Params } from "./query-params.js";
import { xmlList } from "./xml.js";

/** `MaxResults` 5–1000 with `NextToken`; EC2 refuses MaxResults together with instance ids. */
function pageOf(params: Ec2Params, ids: string[]): { limit: number; after: string | undefined } {
  const max = params.integer("MaxResults", { min: 5, max: 1000 });
  if (max !== undefined && ids.length > 0)
    throw new Ec2Error(
      "InvalidParameterCombination",
      "The parameter instancesSet cannot be used with the parameter maxResults",
    );
  return { limit: max ?? 1000, after: decodeNextToken(params.string("NextToken")) };
}

export const describeInstances: Ec2Action = {
  group: "servers",
  access: "read",
  async run({ ctx, params }) {
    const ids = params.list("InstanceId");
    const filters = params.filters();
    checkFilters(filters, INSTANCE_FILTERS);
    const page = pageOf(params, ids);
    if (ids.length > 0) {
      // Named ids must all exist (for this caller): the waiters rely on the NotFound.
      await instancesByIds(ctx, ids);
    }
    const { rows, nextAfter } = await findInstances(ctx, { ids, filters, ...page });
    return { reservationSet: xmlList(reservationsXml(rows)), nextToken: encodeNextToken(nextAfter) };
  },
};

export const describeInstanceStatus: Ec2Action = {
  group: "servers",
  access: "read",
  async run({ ctx, params }) {
    const ids = params.list("InstanceId");
    checkInstanceIds(ids);
    const filters = params.filters();
    checkFilters(filters, ["instance-state-name", "availability-zone"]);
    const includeAll = params.boolean("IncludeAllInstances");
    const page = pageOf(params, ids);
    if (ids.length > 0) await instancesByIds(ctx, ids);
    const { rows, nextAfter } = await findInstances(ctx, {
      ids,
      filters: includeAll ? filters : [...filters, { name: "instance-state-name", values: ["running"] }],
      ...page,
    });
    return {
      instanceStatusSet: xmlList(
        rows.map((row) => {
          const state = instanceStateName(row);
          const status = state === "running" ? "ok" : state === "pending" ? "initializing" : "not-applicable";
          return {
            instanceId: row.ec2_id,
            availabilityZone: row.zone,
            instanceState: instanceState(state),
            systemStatus: {
              status,
              details: xmlList([
                { name: "reachability", status: status === "ok" ? "passed" : "initializing" },
              ]),
            },
            instanceStatus: {
              status,
              details: xmlList([
                { name: "reachability", status: status === "ok" ? "passed" : "initializing" },
              ]),
            },
          };
        }),
      ),
      nextToken: encodeNextToken(nextAfter),
    };
  },
};

function idsOf(params: Ec2Params): string[] {
  const ids = params.list("InstanceId");
  if (ids.length === 0) throw missingParameter("InstanceId");
  if (ids.length > 1000) throw invalidParameterValue("InstanceId", "at most 1000 instances.");
  return ids;
}

function incorrectState(row: InstanceRow, state: InstanceStateName, action: string): Ec2Error {
  return new Ec2Error(
    "IncorrectInstanceState",
    `The instance '${row.ec2_id}' is not in a state from which it can be ${action} (it is ${state}).`,
  );
}

/** Runs a power action through the REST API's own service (core's rules decide), in EC2's words. */
async function power(
  call: Parameters<Ec2Action["run"]>[0],
  action: PowerAction,
  done: string,
): Promise<{ row: InstanceRow; previous: InstanceStateName; current: InstanceStateName }[]> {
  const rows = await instancesByIds(call.ctx, idsOf(call.params));
  // Every instance is checked before any is changed: a refused one leaves the others as they were.
  for (const row of rows) {
    const previous = instanceStateName(row);
    if (previous === "terminated" || previous === "shutting-down") throw incorrectState(row, previous, done);
    const server = await getServer(call.ctx, row.id);
    const suspended = await accountSuspended(call.ctx.database.db, server.account_id);
    if (!decideServerAction(action, server, { suspended }).allowed) throw incorrectState(row, previous, done);
  }
  const changes = [];
  for (const row of rows) {
    const previous = instanceStateName(row);
    try {
      const server = await serverAction(call.ctx, row.id, action);
      changes.push({ row, previous, current: instanceStateName(server) });
    } catch (err) {
      if (err instanceof ConflictError) throw incorrectState(row, previous, done);
      throw err;
    }
  }
  return changes;
}

function stateChanges(
  changes: { row: InstanceRow; previous: InstanceStateName; current: InstanceStateName }[],
) {
  return {
    instancesSet: xmlList(
      changes.map((c) => ({
        instanceId: c.row.ec2_id,
        currentState: instanceState(c.current),
        previousState: instanceState(c.previous),
      })),
    ),
  };
}

export const startInstances: Ec2Action = {
  group: "servers",
  access: "write",
  async run(call) {
    return stateChanges(await power(call, "start", "started"));
  },
};

export const stopInstances: Ec2Action = {
  group: "servers",
  access: "write",
  async run(call) {
    return stateChanges(await power(call, "stop", "stopped"));
  },
};

export const rebootInstances: Ec2Action = {
  group: "servers",
  access: "write",
  async run(call) {
    await power(call, "reboot", "rebooted");
    return { return: true };
  },
};

/** Deletes servers; a terminated instance stays terminated, with no error (EC2's rule). */
export const terminateInstances: Ec2Action = {
  group: "servers",
  access: "write",
  async run({ ctx, params }) {
    const rows = await instancesByIds(ctx, idsOf(params));
    const changes = [];
    for (const row of rows) {
      const previous = instanceStateName(row);
      if (previous === "terminated") {
        changes.push({ row, previous, current: previous });
        continue;
      }
      const server = await deleteServer(ctx, row.id);
      changes.push({ row, previous, current: instanceStateName(server) });
    }
    return stateChanges(changes);
  },
};

const QUIET_MS = 300;
const AT_MOST_MS = 3_000;

/** The scrollback of a server's serial console: read until the stream is quiet, then closed. */
async function consoleScrollback(hub: AgentHub, hostId: string, serverId: string): Promise<Buffer> {
  let stream;
  try {
    stream = hub.openConsole(hostId, serverId);
  } catch (err) {
    // The host is not connected to this controller: nothing to read now.
    if (err instanceof ConflictError) return Buffer.alloc(0);
    throw err;
  }
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    let quiet = setTimeout(resolve, QUIET_MS * 3);
    const deadline = setTimeout(resolve, AT_MOST_MS);
    stream.on("data", (data) => {
      chunks.push(data);
      clearTimeout(quiet);
      quiet = setTimeout(resolve, QUIET_MS);
    });
    stream.on("closed", () => resolve());
    const done = () => {
      clearTimeout(quiet);
      clearTimeout(deadline);
    };
    stream.once("closed", done);
  }).finally(() => stream.close());
  return Buffer.concat(chunks);
}

export const getConsoleOutput: Ec2Action = {
  group: "servers",
  access: "read",
  async run({ ctx, params, hub }) {
    const id = params.required("InstanceId");
    const [row] = await instancesByIds(ctx, [id]);
    const state = instanceStateName(row!);
    const output =
      row!.host_id === null || state === "terminated"
        ? Buffer.alloc(0)
        : await consoleScrollback(hub, row!.host_id, row!.id);
    return {
      instanceId: row!.ec2_id,
      timestamp: new Date(),
      output: output.length > 0 ? output.toString("base64") : undefined,
    };
  },
};
