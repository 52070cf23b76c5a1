// The server lifecycle's vocabulary, declared once. The database rows, the HTTP schemas, the
// CLI and the agent protocol take their types from these lists, and their TypeBox schemas from
// server-schemas.ts, which builds them from the same lists (docs/agent-protocol.md). The lists
// stay free of TypeBox so that loading core (as every CLI command does) does not load it.

/** What the API asks for. `deleted` is terminal. */
export const DESIRED_STATES = ["running", "stopped", "deleted"] as const;
/** What the API asks a server to be. */
export type DesiredState = (typeof DESIRED_STATES)[number];

/** What an agent can report of a server, in `observed` messages. */
export const OBSERVED_STATES = [
  "provisioning",
  "running",
  "stopping",
  "stopped",
  "rebooting",
  "deleting",
  "deleted",
  "error",
] as const;
/** What an agent saw a server do. */
export type ObservedState = (typeof OBSERVED_STATES)[number];

/**
 * A server's `observed_state` as stored and shown: the last thing its agent reported, or
 * `pending` (the column's default) before any report. An agent never reports `pending`.
 */
export const SERVER_OBSERVED_STATES = ["pending", ...OBSERVED_STATES] as const;
/** The `observed_state` of a server row. */
export type ServerObservedState = (typeof SERVER_OBSERVED_STATES)[number];

/**
 * The desired states a suspension for an unpaid invoice can hold stopped; the server
 * remembers which (`suspended_from_state`) and returns to it on payment.
 */
export const SUSPENDABLE_STATES = ["running", "stopped"] as const satisfies readonly DesiredState[];
/** The desired state a suspended server returns to. */
export type SuspendableState = (typeof SUSPENDABLE_STATES)[number];

/** The actions a user asks for with `POST /servers/{id}/<action>`. */
export const POWER_ACTIONS = ["start", "stop", "reboot"] as const;
/** A power action on a server. */
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** Everything that changes a server's desired state; `decideServerAction` rules on each. */
export const SERVER_ACTIONS = [...POWER_ACTIONS, "delete", "suspend"] as const;
/** An action on a server. */
export type ServerAction = (typeof SERVER_ACTIONS)[number];

const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Server names double as guest hostnames, so they follow RFC 1123 labels. */
export function isValidServerName(name: string): boolean {
  return HOSTNAME_LABEL.test(name);
}
