import { describe, expect, it } from "vitest";
import { decideServerAction, desiredStatesAllowing } from "./server-actions.js";
import type { ServerActionSubject } from "./server-actions.js";
import { SUSPENDABLE_STATES } from "./servers.js";
import type { DesiredState } from "./servers.js";

const server = (desired_state: DesiredState, suspended_from_state: "running" | "stopped" | null = null) =>
  ({ id: "srv_1", desired_state, suspended_from_state }) satisfies ServerActionSubject;
const active = { suspended: false };
const suspended = { suspended: true };

describe("server action rules", () => {
  it("starts and stops from either power state", () => {
    for (const from of ["running", "stopped"] as const) {
      expect(decideServerAction("start", server(from), active)).toEqual({
        allowed: true,
        desired_state: "running",
        reboot: false,
      });
      expect(decideServerAction("stop", server(from), active)).toEqual({
        allowed: true,
        desired_state: "stopped",
        reboot: false,
      });
    }
  });

  it("reboots only a server meant to run, and asks the agent for one reset", () => {
    expect(decideServerAction("reboot", server("running"), active)).toEqual({
      allowed: true,
      desired_state: "running",
      reboot: true,
    });
    expect(decideServerAction("reboot", server("stopped"), active)).toMatchObject({
      allowed: false,
      reason: "not-running",
      message: "Server srv_1 is stopped; start it instead of rebooting.",
    });
  });

  it("takes nothing but a repeated delete once a server is being deleted", () => {
    for (const action of ["start", "stop", "reboot", "suspend"] as const) {
      expect(decideServerAction(action, server("deleted"), active)).toMatchObject({
        allowed: false,
        reason: "deleting",
        message: "Server srv_1 is being deleted.",
      });
    }
    expect(decideServerAction("delete", server("deleted"), active)).toMatchObject({
      allowed: true,
      desired_state: "deleted",
    });
  });

  it("deletes from any state, suspended or not", () => {
    for (const from of ["running", "stopped", "deleted"] as const)
      expect(decideServerAction("delete", server(from, null), suspended)).toEqual({
        allowed: true,
        desired_state: "deleted",
        reboot: false,
      });
  });

  it("lets a suspended account stop its servers but not start or reboot them", () => {
    expect(decideServerAction("stop", server("stopped", "running"), suspended).allowed).toBe(true);
    for (const action of ["start", "reboot"] as const)
      expect(decideServerAction(action, server("stopped", "running"), suspended)).toMatchObject({
        allowed: false,
        reason: "account-suspended",
      });
  });

  it("suspends a running or stopped server once, remembering the state it returns to", () => {
    expect(decideServerAction("suspend", server("running"), active)).toEqual({
      allowed: true,
      desired_state: "stopped",
      reboot: false,
      suspended_from_state: "running",
    });
    expect(decideServerAction("suspend", server("stopped"), active)).toMatchObject({
      suspended_from_state: "stopped",
    });
    expect(decideServerAction("suspend", server("stopped", "running"), suspended)).toMatchObject({
      allowed: false,
      reason: "already-suspended",
    });
  });

  it("names the desired states each action is allowed in, for updates chosen in SQL", () => {
    expect(desiredStatesAllowing("suspend")).toEqual([...SUSPENDABLE_STATES]);
    expect(desiredStatesAllowing("reboot")).toEqual(["running"]);
    expect(desiredStatesAllowing("delete")).toEqual(["running", "stopped", "deleted"]);
  });
});
