import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InsufficientCapacityError,
  InvalidInputError,
  NotFoundError,
  QuotaExceededError,
  ResidencyViolationError,
  scopesAllow,
} from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AgentHub } from "../agents/agent-hub.js";
import type { SecretBox } from "../base/secret-box.js";
import { SealedSecretError } from "../base/secret-box.js";
import type { App } from "../http/types.js";
import { accessKeyHolder } from "./access-keys.js";
import { EC2_ACTIONS } from "./actions.js";
import type { Ec2Options } from "./ec2-call.js";
import { Ec2Error, authFailure, invalidParameterValue, missingParameter } from "./errors.js";
import { Ec2Params } from "./query-params.js";
import { checkSignatureScope, parseAuthorization, verifySignature } from "./sigv4.js";
import { EC2_VERSION, ec2ErrorXml, ec2ResponseXml } from "./xml.js";

export interface Ec2RouteDeps extends Ec2Options {
  database: Database;
  secretBox: SecretBox;
  hub: AgentHub;
  hostChanged?: ((hostId: string) => void) | undefined;
}

/** The default region name (`layerboom up`, tests). */
export const DEFAULT_EC2_REGION = "local-1";

/** A largest body: 16 KiB of user-data is 22 KiB of base64, plus the rest of RunInstances. */
const BODY_LIMIT_BYTES = 64 * 1024;
const XML = "text/xml;charset=UTF-8";

/** Translates what the services below throw into EC2's error codes, in one place. */
export function ec2ErrorOf(err: unknown, requestId: string): Ec2Error | undefined {
  if (err instanceof Ec2Error) return err;
  if (err instanceof SealedSecretError)
    return authFailure("The access key cannot be used: the controller's secret key changed.");
  if (err instanceof AuthenticationError) return authFailure(err.message);
  if (err instanceof ForbiddenError) return new Ec2Error("UnauthorizedOperation", err.message, 403);
  if (err instanceof NotFoundError) {
    if (err.resource === "server")
      return new Ec2Error("InvalidInstanceID.NotFound", `The instance ID '${err.id}' does not exist`);
    if (err.resource === "image")
      return new Ec2Error("InvalidAMIID.NotFound", `The image id '[${err.id}]' does not exist`);
    if (err.resource === "ssh_key")
      return new Ec2Error("InvalidKeyPair.NotFound", `The key pair '${err.id}' does not exist`);
    return new Ec2Error("InvalidParameterValue", err.message);
  }
  if (err instanceof InsufficientCapacityError)
    return new Ec2Error(
      "InsufficientInstanceCapacity",
      `There is not enough capacity to fulfil the request: ${err.message}`,
      500,
    );
  if (err instanceof QuotaExceededError) return new Ec2Error("InstanceLimitExceeded", err.message);
  // A zone outside the account's required jurisdictions: a value this caller may not use (docs/ec2.md).
  if (err instanceof ResidencyViolationError) return new Ec2Error("InvalidParameterValue", err.message);
  if (err instanceof InvalidInputError) return invalidParameterValue(err.field, err.message);
  if (err instanceof ConflictError) return new Ec2Error("IncorrectState", err.message);
  const status = (err as { statusCode?: unknown }).statusCode;
  // Fastify's own refusals (a body too large, an unknown content type) are the client's doing.
  if (typeof status === "number" && status >= 400 && status < 500)
    return new Ec2Error(
      "InvalidParameterValue",
      err instanceof Error ? err.message : "The request is malformed.",
    );
  void requestId;
  return undefined;
}

function sendError(reply: FastifyReply, err: Ec2Error): FastifyReply {
  return reply
    .status(err.status)
    .type(XML)
    .send(ec2ErrorXml(err.code, err.message, reply.request.id));
}

function rawQuery(request: FastifyRequest): string {
  const url = request.raw.url ?? "";
  const q = url.indexOf("?");
  return q < 0 ? "" : url.slice(q + 1);
}

function rawPath(request: FastifyRequest): string {
  const url = request.raw.url ?? "";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

/**
 * `/ec2`: EC2's Query API (docs/ec2.md). Its own plugin: form bodies, SigV4 instead of bearer
 * tokens, and every failure, unexpected ones included, answered as EC2's error XML.
 */
export async function registerEc2Routes(app: App, deps: Ec2RouteDeps): Promise<void> {
  await app.register(
    async (ec2) => {
      ec2.addContentTypeParser(
        "application/x-www-form-urlencoded",
        { parseAs: "string", bodyLimit: BODY_LIMIT_BYTES },
        (_request, body, done) => done(null, body),
      );
      ec2.setErrorHandler((err, request, reply) => {
        const known = ec2ErrorOf(err, request.id);
        if (known) return sendError(reply, known);
        request.log.error({ err }, "EC2 request failed");
        return sendError(
          reply,
          new Ec2Error("InternalError", `An internal error has occurred (request ${request.id}).`, 500),
        );
      });
      ec2.setNotFoundHandler((request, reply) =>
        sendError(
          reply,
          new Ec2Error(
            "InvalidAction",
            `There is no EC2 endpoint at ${rawPath(request).slice(0, 100)}; use /ec2.`,
          ),
        ),
      );

      const handler = async (request: FastifyRequest, reply: FastifyReply) => {
        const body = typeof request.body === "string" ? request.body : "";
        const query = rawQuery(request);
        const params = Ec2Params.parse([query, body].filter((p) => p !== "").join("&"));
        const auth = parseAuthorization(
          typeof request.headers.authorization === "string" ? request.headers.authorization : undefined,
        );
        if (request.headers["x-amz-security-token"] !== undefined)
          throw authFailure("Temporary credentials (session tokens) are not supported; use an access key.");
        const signed = {
          method: request.method,
          path: rawPath(request),
          query,
          headers: request.headers,
          body,
        };
        const amzDate = checkSignatureScope(signed, auth, {
          region: deps.region,
          service: "ec2",
          now: new Date(),
        });
        const holder = await accessKeyHolder(deps.database, deps.secretBox, auth.accessKeyId);
        verifySignature(signed, auth, amzDate, holder.signingKey);

        const name = params.required("Action");
        const version = params.string("Version");
        if (version === undefined) throw missingParameter("Version");
        if (version !== EC2_VERSION)
          throw invalidParameterValue(
            "Version",
            `this endpoint speaks ${EC2_VERSION}, not ${version.slice(0, 20)}.`,
          );
        const action = Object.hasOwn(EC2_ACTIONS, name) ? EC2_ACTIONS[name] : undefined;
        if (!action)
          throw new Ec2Error(
            "UnsupportedOperation",
            `The action ${name.slice(0, 80)} is not supported by this endpoint (docs/ec2.md lists those that are).`,
          );
        const scopes = holder.principal.scopes;
        if (scopes && !scopesAllow(scopes, { group: action.group, access: action.access }))
          throw new Ec2Error(
            "UnauthorizedOperation",
            `This access key's scopes (${scopes.join(", ")}) do not allow ${name}: it needs "${action.access === "read" ? `${action.group}:read` : action.group}".`,
            403,
          );
        if (params.boolean("DryRun"))
          throw new Ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
        const ctx = {
          database: deps.database,
          principal: holder.principal,
          requestId: request.id,
          hostChanged: deps.hostChanged,
        };
        const result = await action.run({ ctx, params, region: deps.region, hub: deps.hub });
        return reply.type(XML).send(ec2ResponseXml(name, request.id, result));
      };
      // Under the /ec2 prefix, "/" answers both /ec2 and /ec2/.
      ec2.route({
        method: ["GET", "POST"],
        url: "/",
        config: { public: true },
        schema: { hide: true },
        handler,
      });
    },
    { prefix: "/ec2" },
  );
}
