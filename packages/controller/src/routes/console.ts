import { ConflictError, ForbiddenError } from "@layerboom/core";
import type { FastifyRequest } from "fastify";
import type { AgentHub } from "../agents/agent-hub.js";
import { IdParam, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { getServer } from "../services/servers.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The host of the server whose console is being opened. */
    consoleHostId?: string;
  }
}

/** A browser may only open a console with the session cookie from a page of this controller. */
function requireSameOrigin(request: FastifyRequest): void {
  if (request.authMethod !== "session") return;
  const origin = request.headers.origin;
  if (!origin || new URL(origin).host !== request.headers.host) {
    throw new ForbiddenError(
      "A console opened with a session cookie must come from this controller's own pages.",
    );
  }
}

/**
 * `GET /servers/{id}/console` upgrades to a WebSocket carrying the serial console: binary
 * frames of guest output (scrollback first, then live) one way, keystrokes the other. The
 * agent relays it, so the host never has to be reachable by customers.
 */
export function registerConsoleRoutes(app: App, deps: RouteDeps & { hub: AgentHub }): void {
  app.get(
    "/servers/:id/console",
    {
      websocket: true,
      schema: {
        tags: ["servers"],
        summary: "Serial console (WebSocket: binary frames, output from the guest and input to it)",
        params: IdParam,
        response: errorResponses,
      },
      preHandler: async (request) => {
        requireSameOrigin(request);
        const { id } = request.params;
        const server = await getServer(contextOf(deps, request), id);
        if (server.host_id === null || server.observed_state === "deleted") {
          throw new ConflictError(
            `Server ${id} is not on a host yet; its console opens once it is provisioning.`,
          );
        }
        request.consoleHostId = server.host_id;
      },
    },
    (socket, request) => {
      const { id } = request.params;
      let stream;
      try {
        stream = deps.hub.openConsole(request.consoleHostId ?? "", id);
      } catch (err) {
        socket.close(4409, err instanceof Error ? err.message.slice(0, 120) : "console unavailable");
        return;
      }
      stream.on("data", (data) => {
        if (socket.readyState === socket.OPEN) socket.send(data, { binary: true });
      });
      stream.on("closed", (reason) => socket.close(1000, reason.slice(0, 120)));
      socket.on("message", (data: Buffer) => stream.write(Buffer.from(data)));
      socket.on("close", () => stream.close());
    },
  );
}
