import type { ScopeAccess, ScopeGroup } from "@layerboom/core";
import type { AgentHub } from "../agents/agent-hub.js";
import type { ServiceContext } from "../base/context.js";
import { Ec2Error } from "./errors.js";
import type { Ec2Params } from "./query-params.js";
import type { XmlObject } from "./xml.js";

/** What the EC2 feature needs from the controller. */
export interface Ec2Options {
  /** The region name this controller answers for: the credential scope must name it (docs/ec2.md). */
  region: string;
}

/** One authenticated call of an action. */
export interface Ec2Call {
  ctx: ServiceContext;
  params: Ec2Params;
  region: string;
  hub: AgentHub;
}

/** An action: the token scope group and access it needs, and what it does. */
export interface Ec2Action {
  group: ScopeGroup;
  access: ScopeAccess;
  run(call: Ec2Call): Promise<XmlObject>;
}

/** Reads a NextToken (the base64url of the last id seen), or InvalidNextToken. */
export function decodeNextToken(token: string | undefined): string | undefined {
  if (token === undefined || token === "") return undefined;
  const after = Buffer.from(token, "base64url").toString("utf8");
  // The token is the last server id seen (the page order); anything else was not ours.
  if (!/^[a-z]+_[0-9a-z]{26}$/.test(after))
    throw new Ec2Error("InvalidNextToken", "The specified NextToken is not valid.");
  return after;
}

export function encodeNextToken(after: string | null): string | undefined {
  return after === null ? undefined : Buffer.from(after, "utf8").toString("base64url");
}
