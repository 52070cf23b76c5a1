import { Type } from "@sinclair/typebox";
import { IdParam, NullableTimestamp, Password, Strict, errorResponses } from "../http/schemas.js";
import type { App } from "../http/types.js";
import { contextOf } from "../http/types.js";
import {
  confirmEnrolment,
  disableTwoFactor,
  getTwoFactorPolicy,
  regenerateRecoveryCodes,
  resetUserTwoFactor,
  setTwoFactorRequired,
  startEnrolment,
  twoFactorStatus,
} from "./two-factor.js";
import type { AuthRouteDeps } from "./auth-deps.js";
import { currentSessionId } from "./auth-deps.js";

const Code = Type.String({
  minLength: 1,
  maxLength: 40,
  description: "The 6-digit code from the authenticator app (or, where said, an unused recovery code)",
});

const Status = Type.Object({
  enabled: Type.Boolean(),
  enabled_at: NullableTimestamp,
  enrolment_pending: Type.Boolean(),
  recovery_codes_left: Type.Integer(),
  required_by_account: Type.Boolean(),
});

const RecoveryCodes = Type.Object({
  recovery_codes: Type.Array(Type.String(), {
    description: "Ten single-use codes, each good for one login without the app. Shown once.",
  }),
});

const Policy = Type.Object({ account_id: Type.String(), required: Type.Boolean() });

/** Two-factor login (TOTP, RFC 6238): enrolment, recovery codes, and an account's requirement. */
export function registerTwoFactorRoutes(app: App, deps: AuthRouteDeps): void {
  const enrolment = { duringTwoFactorEnrolment: true } as const;

  app.get(
    "/me/two-factor",
    {
      config: enrolment,
      schema: {
        tags: ["two-factor"],
        summary: "Whether your two-factor login is on, and whether your account requires it",
        response: { 200: Status, ...errorResponses },
      },
    },
    async (request) => twoFactorStatus(contextOf(deps, request)),
  );

  app.post(
    "/me/two-factor/enrolment",
    {
      config: enrolment,
      schema: {
        tags: ["two-factor"],
        summary: "Start enrolment: a new secret, shown once as base32 and as an otpauth:// URI",
        description:
          "Nothing changes for your logins until POST /me/two-factor/enrolment/confirm accepts a first code. Starting again replaces a secret that was never confirmed.",
        response: {
          201: Type.Object({ secret: Type.String(), otpauth_uri: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await startEnrolment(contextOf(deps, request), deps.secretBox)),
  );

  app.post(
    "/me/two-factor/enrolment/confirm",
    {
      config: enrolment,
      schema: {
        tags: ["two-factor"],
        summary:
          "Confirm enrolment with a first code: turns two-factor on and returns ten recovery codes, once",
        description: "Also ends every other session of yours: from now on each login needs the code.",
        body: Strict({ code: Code }),
        response: {
          200: Type.Composite([RecoveryCodes, Type.Object({ sessions_revoked: Type.Integer() })]),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      confirmEnrolment(
        contextOf(deps, request),
        deps.secretBox,
        request.body.code,
        currentSessionId(request),
      ),
  );

  app.delete(
    "/me/two-factor",
    {
      schema: {
        tags: ["two-factor"],
        summary: "Turn your two-factor login off (needs a current code, a recovery code, or your password)",
        body: Strict({ code: Type.Optional(Code), password: Type.Optional(Password) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await disableTwoFactor(contextOf(deps, request), deps.secretBox, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/me/two-factor/recovery-codes",
    {
      schema: {
        tags: ["two-factor"],
        summary: "Replace your recovery codes (needs a current code); the old ones stop working",
        body: Strict({ code: Code }),
        response: { 200: RecoveryCodes, ...errorResponses },
      },
    },
    async (request) => regenerateRecoveryCodes(contextOf(deps, request), deps.secretBox, request.body.code),
  );

  app.delete(
    "/users/:id/two-factor",
    {
      schema: {
        tags: ["two-factor"],
        summary:
          "Turn off another user's two-factor login (admins, for a user who lost the device and the codes)",
        params: IdParam,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await resetUserTwoFactor(contextOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/accounts/:id/two-factor",
    {
      schema: {
        tags: ["two-factor"],
        summary: "Whether the account requires two-factor login of its users",
        params: IdParam,
        response: { 200: Policy, ...errorResponses },
      },
    },
    async (request) => getTwoFactorPolicy(contextOf(deps, request), request.params.id),
  );

  app.put(
    "/accounts/:id/two-factor",
    {
      schema: {
        tags: ["two-factor"],
        summary: "Require (or stop requiring) two-factor login of the account's users (account admins)",
        description:
          "Users without it then reach only the enrolment routes, and cannot get API tokens with a password, until they enrol. Existing API tokens keep working. Requiring it for your own account needs it on for yourself first.",
        params: IdParam,
        body: Strict({ required: Type.Boolean() }),
        response: { 200: Policy, ...errorResponses },
      },
    },
    async (request) =>
      setTwoFactorRequired(contextOf(deps, request), request.params.id, request.body.required),
  );
}
