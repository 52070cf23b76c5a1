import { ConflictError, ForbiddenError } from "@layerboom/core";
import type { FastifyRequest } from "fastify";
import type { AgentHub } from "./agent-hub.js";
import { IdParam, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { getServer } from "../servers/servers.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The host of the server whose console is being opened. */
    consoleHostId?: string;
  }
}

/** The host of an Origin header, or undefined for `null`, opaque and malformed origins. */
function originHost(origin: string | undefined): string | undefined {
  if (!origin || !URL.canParse(origin)) return undefined;
  const url = new URL(origin);
  return url.protocol === "http:" || url.protocol === "https:" ? url.host : undefined;
}

/**
 * A browser may only open a console with the session cookie from a page of this controller.
 * `Origin: null` (sandboxed frames, file: pages) and any origin that is not an http(s) URL
 * are refused like a foreign one.
 */
export function requireSameOrigin(request: FastifyRequest): void {
  if (request.authMethod !== "session") return;
  const host = originHost(request.headers.origin);
  if (host === undefined || host !== request.headers.host) {
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
      // Reading it is typing into the server: a servers:read token may not open it.
      config: { tokenScope: { group: "servers", access: "write" } },
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
