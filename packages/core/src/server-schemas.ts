import type { Static } from "@sinclair/typebox";
import { LiteralUnion } from "./literal-union.js";
import {
  DESIRED_STATES,
  OBSERVED_STATES,
  POWER_ACTIONS,
  SERVER_ACTIONS,
  SERVER_OBSERVED_STATES,
  SUSPENDABLE_STATES,
} from "./servers.js";
import type {
  DesiredState,
  ObservedState,
  PowerAction,
  ServerAction,
  ServerObservedState,
  SuspendableState,
} from "./servers.js";

// TypeBox schemas of the server lifecycle's vocabulary, built from the lists in servers.ts, for
// the HTTP API (validation and OpenAPI) and the agent protocol.

/** Schema of {@link DesiredState}. */
export const DesiredStateSchema = LiteralUnion(DESIRED_STATES);
/** Schema of {@link ObservedState}: what an agent may report. */
export const ObservedStateSchema = LiteralUnion(OBSERVED_STATES);
/** Schema of {@link ServerObservedState}: a server's `observed_state`, `pending` included. */
export const ServerObservedStateSchema = LiteralUnion(SERVER_OBSERVED_STATES);
/** Schema of {@link SuspendableState}. */
export const SuspendableStateSchema = LiteralUnion(SUSPENDABLE_STATES);
/** Schema of {@link PowerAction}. */
export const PowerActionSchema = LiteralUnion(POWER_ACTIONS);
/** Schema of {@link ServerAction}. */
export const ServerActionSchema = LiteralUnion(SERVER_ACTIONS);

// Each schema checks exactly the values of its list's type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _inStep: [
  Same<Static<typeof DesiredStateSchema>, DesiredState>,
  Same<Static<typeof ObservedStateSchema>, ObservedState>,
  Same<Static<typeof ServerObservedStateSchema>, ServerObservedState>,
  Same<Static<typeof SuspendableStateSchema>, SuspendableState>,
  Same<Static<typeof PowerActionSchema>, PowerAction>,
  Same<Static<typeof ServerActionSchema>, ServerAction>,
] = [true, true, true, true, true, true];
void _inStep;
