import { DomainError, ThrottledError } from "@layerboom/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const DOMAIN_STATUS: Record<string, number> = {
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  insufficient_capacity: 409,
  idempotency_key_conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  too_many_attempts: 429,
  // A portal domain's DNS record or HTTP file was missing or wrong (docs/security.md, "Portal domains").
  domain_not_proven: 422,
  quota_exceeded: 409,
  // A site outside the account's required jurisdictions: a rule, not a shortage (docs/placement.md).
  outside_residency: 422,
  // A partner's refusals of a remote server's create (docs/federation.md, "Remote servers").
  offer_version_stale: 409,
  not_offered: 422,
  image_not_ready: 409,
  offer_capacity: 409,
  idempotency_mismatch: 409,
  // The controller's data volume is below its free-space reserve (docs/security.md).
  insufficient_storage: 507,
};

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns the first schema violation into a sentence that names the field. */
function describeValidation(context: string, issue: AjvIssue): { message: string; field: string } {
  const path = issue.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (issue.keyword === "additionalProperties") {
    const field = [path, String(issue.params["additionalProperty"])].filter(Boolean).join(".");
    return { field, message: `${context} has an unknown field "${field}".` };
  }
  if (issue.keyword === "required") {
    const field = [path, String(issue.params["missingProperty"])].filter(Boolean).join(".");
    return { field, message: `${context} is missing the required field "${field}".` };
  }
  const field = path || context;
  return { field, message: `${context} field "${field}" ${issue.message ?? "is invalid"}.` };
}

function send(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.status(status).type("application/json").send(body);
}

/** Maps a thrown value to the one error shape. This is the only place errors become HTTP. */
export function handleError(
  this: FastifyInstance,
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error.validation && error.validation.length > 0) {
    const context =
      error.validationContext === "querystring" ? "query" : (error.validationContext ?? "request");
    const { message, field } = describeValidation(context, error.validation[0] as AjvIssue);
    return send(reply, 400, {
      error: { code: "invalid_request", message, details: { field, location: context } },
    });
  }
  if (error instanceof DomainError) {
    if (error instanceof ThrottledError) void reply.header("retry-after", String(error.retryAfterSeconds));
    const status = DOMAIN_STATUS[error.code] ?? 400;
    return send(reply, status, {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    });
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return send(reply, 413, {
        error: { code: "body_too_large", message: "The request body is too large." },
      });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return send(reply, 415, {
        error: { code: "unsupported_media_type", message: "Send the body as application/json." },
      });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return send(reply, 400, { error: { code: "invalid_request", message: "The JSON body is empty." } });
  }
  if (error instanceof SyntaxError || error.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
    return send(reply, 400, { error: { code: "malformed_json", message: "The body is not valid JSON." } });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return send(reply, error.statusCode, { error: { code: "bad_request", message: error.message } });
  }
  // Never leak internals: the log has the stack, the client gets the request id.
  request.log.error({ err: error }, "unhandled error");
  return send(reply, 500, {
    error: { code: "internal", message: `Internal error. Quote request id ${request.id} to support.` },
  });
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, 404, {
    error: { code: "route_not_found", message: `No route ${request.method} ${request.url.split("?")[0]}.` },
  });
}
