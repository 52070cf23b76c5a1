import type { DesiredState, ServerObservedState } from "@layerboom/core";

/** EC2's instance states and their codes. */
export const INSTANCE_STATE_CODES = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
} as const;

export type InstanceStateName = keyof typeof INSTANCE_STATE_CODES;

export function isInstanceStateName(name: string): name is InstanceStateName {
  return Object.hasOwn(INSTANCE_STATE_CODES, name);
}

/** The EC2 state of a server: what it should be, and whether the agent has seen it get there. */
export function instanceStateName(server: {
  desired_state: DesiredState;
  observed_state: ServerObservedState;
  deleted_at: Date | null;
}): InstanceStateName {
  if (server.deleted_at !== null || server.observed_state === "deleted") return "terminated";
  switch (server.desired_state) {
    case "deleted":
      return "shutting-down";
    case "stopped":
      return server.observed_state === "stopped" ? "stopped" : "stopping";
    case "running":
      return server.observed_state === "running" || server.observed_state === "rebooting"
        ? "running"
        : "pending";
  }
}

type InstanceState = Readonly<{ code: number; name: InstanceStateName }>;

/** Each state's element, made once: a page of instances shares six objects. */
const INSTANCE_STATES = Object.fromEntries(
  Object.entries(INSTANCE_STATE_CODES).map(([name, code]) => [name, Object.freeze({ code, name })]),
) as Record<InstanceStateName, InstanceState>;

/** `<instanceState>`: `{ code, name }`. */
export function instanceState(name: InstanceStateName): InstanceState {
  return INSTANCE_STATES[name];
}
