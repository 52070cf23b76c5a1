import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import { AuditEntry, PageOf, PageQuery, Strict, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { listAudit } from "../base/audit.js";

export function registerAuditRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/audit-log",
    {
      schema: {
        tags: ["audit"],
        summary: "Read the audit log of your subtree, newest first (admins)",
        querystring: Strict({
          ...PageQuery,
          action: Type.Optional(Type.String()),
          resource_type: Type.Optional(Type.String()),
          resource_id: Type.Optional(Type.String()),
          actor_user_id: Type.Optional(Type.String()),
        }),
        response: { 200: PageOf(AuditEntry), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const filter = {
        action: q.action,
        resourceType: q.resource_type,
        resourceId: q.resource_id,
        actorUserId: q.actor_user_id,
      };
      return pageResponse(await listAudit(contextOf(deps, request), filter, pageRequest(q)));
    },
  );
}
