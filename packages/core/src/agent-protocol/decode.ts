import type { Static, TLiteral, TObject, TSchema, TUnion } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { TypeCheck } from "@sinclair/typebox/compiler";
import type { ValueError } from "@sinclair/typebox/errors";
import { AgentMessageSchema, ControllerMessageSchema } from "./messages.js";
import type { AgentMessage, ControllerMessage } from "./messages.js";

/** A frame checked against its schema: the message, or why it was refused. */
export type Decoded<T> = { ok: true; message: T } | { ok: false; error: string };

type MessageUnion = TUnion<TObject<{ type: TLiteral<string> }>[]>;

/** The most problems one refusal lists; the first is usually the cause of the rest. */
const MAX_REPORTED = 3;

/**
 * Checks frames against one direction's message union. Each message type gets its own
 * compiled checker, picked by `type`, so a refusal names the field that is wrong instead of
 * "matches no member of the union". Compiled on first use: each end only decodes one direction.
 */
class FrameDecoder<T extends TUnion> {
  private checkers: Map<string, TypeCheck<TSchema>> | undefined;

  constructor(private readonly schema: T) {}

  decode(text: string): Decoded<Static<T>> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: `not JSON (${(err as Error).message})` };
    }
    return this.check(value);
  }

  private check(value: unknown): Decoded<Static<T>> {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return { ok: false, error: "not a JSON object" };
    const checkers = this.compiled();
    const type = (value as { type?: unknown }).type;
    const checker = typeof type === "string" ? checkers.get(type) : undefined;
    if (typeof type !== "string" || !checker) {
      const known = [...checkers.keys()].join(", ");
      return {
        ok: false,
        error:
          type === undefined
            ? `type: missing; expected one of ${known}`
            : `type: unknown message type ${show(type)}; expected one of ${known}`,
      };
    }
    if (checker.Check(value)) return { ok: true, message: value };
    const problems = new Map<string, string>();
    for (const error of checker.Errors(value)) {
      const field = fieldOf(error.path);
      if (!problems.has(field)) problems.set(field, `${field}: ${describe(error)}`);
      if (problems.size === MAX_REPORTED) break;
    }
    return { ok: false, error: `${type} message: ${[...problems.values()].join("; ")}` };
  }

  private compiled(): Map<string, TypeCheck<TSchema>> {
    this.checkers ??= new Map(
      (this.schema as unknown as MessageUnion).anyOf.map((member) => [
        member.properties.type.const,
        TypeCompiler.Compile(member),
      ]),
    );
    return this.checkers;
  }
}

/** `/servers/0/state` → `servers[0].state`, the way a reader names a field. */
function fieldOf(path: string): string {
  const name = path
    .split("/")
    .slice(1)
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
  return name || "(the message)";
}

function describe(error: ValueError): string {
  const choices = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf?.map((s) => s.const);
  const expected =
    choices && choices.every((c): c is string => typeof c === "string")
      ? `expected one of ${choices.join(", ")}`
      : error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return error.value === undefined ? expected : `${expected}, got ${show(error.value)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const agentFrames = new FrameDecoder(AgentMessageSchema);
const controllerFrames = new FrameDecoder(ControllerMessageSchema);

/**
 * Parses one text frame from an agent and checks it against the protocol. A refusal names
 * the field that is wrong, e.g. `observed message: servers[0].state: expected one of …`.
 */
export function decodeAgentMessage(text: string): Decoded<AgentMessage> {
  return agentFrames.decode(text);
}

/** Parses one text frame from the controller and checks it against the protocol. */
export function decodeControllerMessage(text: string): Decoded<ControllerMessage> {
  return controllerFrames.decode(text);
}
