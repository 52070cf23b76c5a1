// `@layerboom/core/schemas`: the TypeBox schemas of core's vocabularies and the checkers built
// from them, for the two programs that validate (the controller and the agent). Kept out of the
// main entry because TypeBox takes longer to load than the rest of core together.
export * from "./literal-union.js";
export * from "./server-schemas.js";
export * from "./agent-protocol/messages.js";
export * from "./agent-protocol/decode.js";
