import { decodeAgentMessage } from "@layerboom/core/schemas";
import type { AgentMessage, Decoded } from "@layerboom/core";
import type { RawData } from "ws";

/**
 * Decodes one WebSocket frame from an agent against the protocol's schemas in core. Only
 * text frames carry messages; a refusal says what was wrong, naming the field.
 */
export function decodeAgentFrame(raw: RawData, isBinary: boolean): Decoded<AgentMessage> {
  if (isBinary) return { ok: false, error: "a binary frame; messages are JSON text frames" };
  const text = Array.isArray(raw)
    ? Buffer.concat(raw).toString()
    : Buffer.isBuffer(raw)
      ? raw.toString()
      : Buffer.from(raw).toString();
  return decodeAgentMessage(text);
}

/** The longest close reason a WebSocket allows, in bytes (RFC 6455, section 5.5). */
const MAX_CLOSE_REASON_BYTES = 123;

/** A close reason cut to what a WebSocket close frame can carry, on a character boundary. */
export function closeReason(text: string): string {
  const chars = [...text].slice(0, MAX_CLOSE_REASON_BYTES);
  while (Buffer.byteLength(chars.join("")) > MAX_CLOSE_REASON_BYTES) chars.pop();
  return chars.join("");
}
