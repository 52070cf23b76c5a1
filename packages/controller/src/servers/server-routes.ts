import { Type } from "@sinclair/typebox";
import { POWER_ACTIONS } from "@layerboom/core";
import { ServerObservedStateSchema } from "@layerboom/core/schemas";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  Backup,
  DesiredStateSchema,
  IdParam,
  PageOf,
  PageQuery,
  Server,
  Strict,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import {
  MAX_USER_DATA_BYTES,
  createServer,
  deleteServer,
  getServer,
  listServers,
  serverAction,
} from "./servers.js";
import { createBackup, deleteBackup, listBackups, restoreBackup, setBackupsEnabled } from "./backups.js";

const BackupIdPattern = { minLength: 1, maxLength: 64, pattern: "^[a-z]+_[0-9a-z]+$" };

export function registerServerRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/servers",
    {
      schema: {
        tags: ["servers"],
        summary: "List servers",
        querystring: Strict({
          ...PageQuery,
          account_id: Type.Optional(Type.String()),
          site_id: Type.Optional(Type.String()),
          host_id: Type.Optional(Type.String()),
          desired_state: Type.Optional(DesiredStateSchema),
          observed_state: Type.Optional(ServerObservedStateSchema),
          name: Type.Optional(Type.String()),
        }),
        response: { 200: PageOf(Server), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const filter = {
        accountId: q.account_id,
        siteId: q.site_id,
        hostId: q.host_id,
        desiredState: q.desired_state,
        observedState: q.observed_state,
        name: q.name,
      };
      return pageResponse(await listServers(contextOf(deps, request), filter, pageRequest(q)));
    },
  );

  app.post(
    "/servers",
    {
      config: { idempotent: true },
      schema: {
        tags: ["servers"],
        summary: "Create a server; it starts as soon as a host takes it",
        body: Strict({
          name: Type.String({ minLength: 1, maxLength: 63 }),
          site_id: Type.Optional(
            Type.String({
              description:
                "Omit to let Layerboom pick, among the sites that offer energy-aware placement, the one with the cheapest and cleanest electricity now",
            }),
          ),
          plan_id: Type.String(),
          image_id: Type.String(),
          ssh_key_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
          account_id: Type.Optional(Type.String({ description: "The customer account; defaults to yours" })),
          backups_enabled: Type.Optional(
            Type.Boolean({ description: "Daily backups from the start (a plan add-on, docs/backups.md)" }),
          ),
          extra_ipv4: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 16,
              description:
                "Public IPv4 addresses besides the primary one, in a site with an IPv4 pool (a plan add-on, docs/networking.md)",
            }),
          ),
          user_data: Type.Optional(
            Type.String({
              maxLength: MAX_USER_DATA_BYTES,
              description:
                "Custom user-data for cloud-init (a #cloud-config document, a #! script, …), at most 16 KiB; never shown again (docs/ec2.md)",
            }),
          ),
        }),
        response: { 201: Server, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user_data: userData, ...input } = request.body;
      return reply.status(201).send(
        await createServer(contextOf(deps, request), {
          ...input,
          ...(userData !== undefined
            ? { user_data_base64: Buffer.from(userData, "utf8").toString("base64") }
            : {}),
        }),
      );
    },
  );

  app.get(
    "/servers/:id",
    {
      schema: {
        tags: ["servers"],
        summary: "Show a server",
        params: IdParam,
        response: { 200: Server, ...errorResponses },
      },
    },
    async (request) => getServer(contextOf(deps, request), request.params.id),
  );

  for (const action of POWER_ACTIONS) {
    app.post(
      `/servers/:id/${action}`,
      {
        schema: {
          tags: ["servers"],
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} a server`,
          params: IdParam,
          response: { 200: Server, ...errorResponses },
        },
      },
      async (request) => serverAction(contextOf(deps, request), request.params.id, action),
    );
  }

  app.delete(
    "/servers/:id",
    {
      schema: {
        tags: ["servers"],
        summary: "Delete a server and its disk",
        params: IdParam,
        response: { 200: Server, ...errorResponses },
      },
    },
    async (request) => deleteServer(contextOf(deps, request), request.params.id),
  );

  app.put(
    "/servers/:id/backups-enabled",
    {
      schema: {
        tags: ["servers"],
        summary:
          "Turn daily backups on or off (a paid add-on: a percentage of the server's charge, billed while on)",
        params: IdParam,
        body: Strict({ enabled: Type.Boolean() }),
        response: { 200: Server, ...errorResponses },
      },
    },
    async (request) => setBackupsEnabled(contextOf(deps, request), request.params.id, request.body.enabled),
  );

  app.get(
    "/servers/:id/backups",
    {
      schema: {
        tags: ["servers"],
        summary: "List a server's backups, newest first",
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(Backup) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listBackups(contextOf(deps, request), request.params.id) }),
  );

  app.post(
    "/servers/:id/backups",
    {
      schema: {
        tags: ["servers"],
        summary: "Take a backup now (409 while another backup of the server is pending)",
        params: IdParam,
        response: { 201: Backup, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createBackup(contextOf(deps, request), request.params.id)),
  );

  app.post(
    "/servers/:id/restore",
    {
      schema: {
        tags: ["servers"],
        summary: "Restore the server's disk from one of its backups; the server reboots from it",
        params: IdParam,
        body: Strict({ backup_id: Type.String(BackupIdPattern) }),
        response: { 200: Server, ...errorResponses },
      },
    },
    async (request) => restoreBackup(contextOf(deps, request), request.params.id, request.body.backup_id),
  );

  app.delete(
    "/servers/:id/backups/:backup_id",
    {
      schema: {
        tags: ["servers"],
        summary: "Delete a backup (it is removed from the host, then from the list)",
        params: Strict({ id: IdParam.properties.id, backup_id: Type.String(BackupIdPattern) }),
        response: { 200: Backup, ...errorResponses },
      },
    },
    async (request) => deleteBackup(contextOf(deps, request), request.params.id, request.params.backup_id),
  );
}
