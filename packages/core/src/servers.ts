/** What the API asks for. `deleted` is terminal. */
export type DesiredState = "running" | "stopped" | "deleted";
export const DESIRED_STATES: readonly DesiredState[] = ["running", "stopped", "deleted"];

/** What the agent last reported, or what the controller knows before any report. */
export type ObservedState =
  | "pending"
  | "provisioning"
  | "running"
  | "stopping"
  | "stopped"
  | "rebooting"
  | "deleting"
  | "deleted"
  | "error";

export type ServerAction = "start" | "stop" | "reboot";

/** The desired state after a power action, from the current one. Deleted servers accept no action. */
export function desiredAfterAction(action: ServerAction): DesiredState {
  return action === "stop" ? "stopped" : "running";
}

const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Server names double as guest hostnames, so they follow RFC 1123 labels. */
export function isValidServerName(name: string): boolean {
  return HOSTNAME_LABEL.test(name);
}
