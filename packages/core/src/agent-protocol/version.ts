/** Bumped when a message changes incompatibly; the controller refuses other versions. */
export const AGENT_PROTOCOL_VERSION = 1;
