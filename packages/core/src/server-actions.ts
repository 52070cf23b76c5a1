import { DESIRED_STATES, SUSPENDABLE_STATES } from "./servers.js";
import type { DesiredState, ServerAction, SuspendableState } from "./servers.js";

/** What {@link decideServerAction} needs to know of a server; a server row fits as it is. */
export interface ServerActionSubject {
  id: string;
  desired_state: DesiredState;
  /** Set while a suspension holds the server stopped: the state it returns to on payment. */
  suspended_from_state: SuspendableState | null;
}

/** Why an action is refused. */
export type ServerActionRefusal = "deleting" | "account-suspended" | "not-running" | "already-suspended";

/** An allowed action's effect on the server row. */
export interface ServerActionChange {
  allowed: true;
  desired_state: DesiredState;
  /** Whether the agent must reset the guest once more (`reboot_seq` + 1). */
  reboot: boolean;
  /** For a suspension: the state the server returns to when its account pays. */
  suspended_from_state?: SuspendableState;
}

/** A refused action, with the sentence the API answers (409). */
export interface ServerActionRefused {
  allowed: false;
  reason: ServerActionRefusal;
  message: string;
}

/** The outcome of {@link decideServerAction}. */
export type ServerActionDecision = ServerActionChange | ServerActionRefused;

function refuse(reason: ServerActionRefusal, message: string): ServerActionRefused {
  return { allowed: false, reason, message };
}

function isSuspendable(state: DesiredState): state is SuspendableState {
  return (SUSPENDABLE_STATES as readonly DesiredState[]).includes(state);
}

/**
 * Every rule on what may be done to a server, in one place: whether `action` is allowed in
 * the server's current state and, if so, the desired state it leads to. A suspended account
 * may stop and delete its servers but not start or reboot them; a server being deleted takes
 * nothing but a repeated delete (a retried `DELETE` gets the same answer).
 */
export function decideServerAction(
  action: ServerAction,
  server: ServerActionSubject,
  account: { suspended: boolean },
): ServerActionDecision {
  const id = server.id;
  if (action === "delete") return { allowed: true, desired_state: "deleted", reboot: false };
  if (server.desired_state === "deleted") return refuse("deleting", `Server ${id} is being deleted.`);
  switch (action) {
    case "stop":
      return { allowed: true, desired_state: "stopped", reboot: false };
    case "start":
    case "reboot":
      if (account.suspended)
        return refuse(
          "account-suspended",
          `Server ${id} is stopped because its account is suspended for an unpaid invoice; pay it to start the server.`,
        );
      if (action === "reboot" && server.desired_state !== "running")
        return refuse(
          "not-running",
          `Server ${id} is ${server.desired_state}; start it instead of rebooting.`,
        );
      return { allowed: true, desired_state: "running", reboot: action === "reboot" };
    case "suspend":
      if (server.suspended_from_state !== null || !isSuspendable(server.desired_state))
        return refuse("already-suspended", `Server ${id} is already suspended.`);
      return {
        allowed: true,
        desired_state: "stopped",
        reboot: false,
        suspended_from_state: server.desired_state,
      };
  }
}

/**
 * The desired states in which `action` is allowed for a server that is not suspended, for
 * bulk updates that select their servers in SQL (the suspension sweep).
 */
export function desiredStatesAllowing(action: ServerAction): DesiredState[] {
  return DESIRED_STATES.filter(
    (desired_state) =>
      decideServerAction(action, { id: "", desired_state, suspended_from_state: null }, { suspended: false })
        .allowed,
  );
}
