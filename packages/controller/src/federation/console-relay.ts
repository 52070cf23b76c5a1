import { isIPv6 } from "node:net";
import type { LookupFunction } from "node:net";
import { ConflictError, NotFoundError } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { accountInSubtree } from "@layerboom/db";
import WebSocket from "ws";
import type { SecretBox } from "../base/secret-box.js";
import type { AgentHub } from "../agents/agent-hub.js";
import { requireSameOrigin } from "../agents/console-routes.js";
import { IdParam, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import type { OutboundGuard } from "../outbound/guard.js";
import { OutboundRefusedError } from "../outbound/guard.js";
import { loadSigningIdentity } from "./identity.js";
import { signRequest } from "./message-signatures.js";
import type { SigningIdentity } from "./message-signatures.js";
import { PROTOCOL_PREFIX, allowanceFor } from "./peer-client.js";
import type { ProtocolRouteKit } from "./image-transfer-routes.js";
import { verifyPeerRequest } from "./signed-requests.js";

/** The largest frame either side relays, as the local console's WebSocket allows. */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;
const HANDSHAKE_TIMEOUT_MS = 15_000;
/** Keystrokes typed before B's side is open are kept, up to this much, then the console closes. */
const MAX_PENDING_BYTES = 64 * 1024;

declare module "fastify" {
  interface FastifyRequest {
    /** The host of the server a peer opens the console of (B's side). */
    peerConsoleHostId?: string;
    /** The partner and its server id, for a remote server's console (A's side). */
    remoteConsole?: { peerUrl: string; remoteServerId: string };
  }
}

/** A WebSocket close reason fits in 123 bytes. */
function reasonOf(text: string): string {
  return Buffer.from(text, "utf8")
    .subarray(0, 120)
    .toString("utf8")
    .replace(/\uFFFD+$/, "");
}

// ---------------------------------------------------------------------------------------------
// B's side: a peer opens the console of a server this installation runs for it.

/**
 * `GET /federation/v1/servers/{id}/console` (inside the protocol routes): a WebSocket whose upgrade
 * request is signed like every protocol request (its body, empty, digested), from an active peer,
 * for a server this installation runs for that peer (federation_served_servers); another peer's
 * or an unknown id is 404. Then it is the local console: the agent relays the serial port.
 */
export function registerPeerConsoleRoute(
  fed: App,
  deps: { database: Database; hub: AgentHub },
  kit: Pick<ProtocolRouteKit, "raw" | "signedDeps">,
): void {
  fed.get(
    "/servers/:id/console",
    {
      websocket: true,
      config: { public: true },
      schema: { hide: true, params: IdParam },
      preHandler: async (request) => {
        const peer = await verifyPeerRequest(kit.signedDeps(), kit.raw(request));
        const { id } = request.params;
        const server = await deps.database.db
          .selectFrom("federation_served_servers as f")
          .innerJoin("servers as s", "s.id", "f.server_id")
          .select(["s.host_id", "s.observed_state", "s.deleted_at"])
          .where("f.server_id", "=", id)
          .where("f.peer_id", "=", peer.id)
          .executeTakeFirst();
        if (!server || server.deleted_at !== null) throw new NotFoundError("server", id);
        if (server.host_id === null || server.observed_state === "deleted")
          throw new ConflictError(
            `Server ${id} is not on a host yet; its console opens once it is provisioning.`,
          );
        request.peerConsoleHostId = server.host_id;
      },
    },
    (socket, request) => {
      const { id } = request.params;
      let stream;
      try {
        stream = deps.hub.openConsole(request.peerConsoleHostId ?? "", id);
      } catch (err) {
        socket.close(4409, reasonOf(err instanceof Error ? err.message : "console unavailable"));
        return;
      }
      stream.on("data", (data) => {
        if (socket.readyState === socket.OPEN) socket.send(data, { binary: true });
      });
      stream.on("closed", (reason) => socket.close(1000, reasonOf(reason)));
      socket.on("message", (data: Buffer) => stream.write(Buffer.from(data)));
      socket.on("close", () => stream.close());
    },
  );
}

// ---------------------------------------------------------------------------------------------
// A's side: a customer opens the console of its server at a partner's site.

/** Why the partner's side of a console did not open; the message is safe to show the customer. */
export class PeerConsoleError extends Error {
  constructor(
    message: string,
    /** The partner's HTTP status, when it answered the upgrade with one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "PeerConsoleError";
  }
}

/**
 * Opens the console of `remoteServerId` at the peer: a WebSocket to the peer's recorded address,
 * through the outbound guard with the peer's allowance (resolved once, judged, and connected to
 * at the address judged), its upgrade request signed with this installation's key.
 */
export async function openPeerConsole(
  guard: OutboundGuard,
  signing: SigningIdentity,
  peerUrl: string,
  remoteServerId: string,
): Promise<WebSocket> {
  const httpUrl = `${peerUrl}${PROTOCOL_PREFIX}/servers/${encodeURIComponent(remoteServerId)}/console`;
  const allowed = guard.allowing([allowanceFor(peerUrl)]);
  let address: string;
  try {
    address = (await allowed.resolveTarget(allowed.checkWithoutResolving(httpUrl))).address;
  } catch (err) {
    if (err instanceof OutboundRefusedError)
      throw new PeerConsoleError(`Could not reach ${peerUrl}: ${err.message}.`);
    throw err;
  }
  const family = isIPv6(address) ? 6 : 4;
  // Every connection goes to the address the guard judged, never to a second DNS answer.
  const pinned = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  const headers = await signRequest(signing, { method: "GET", url: httpUrl, body: "" });
  const wsUrl = new URL(httpUrl);
  wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
  const upstream = new WebSocket(wsUrl, {
    headers,
    lookup: pinned,
    followRedirects: false,
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    maxPayload: MAX_FRAME_BYTES,
  });
  await new Promise<void>((resolve, reject) => {
    upstream.once("open", () => resolve());
    upstream.once("unexpected-response", (req, res) => {
      res.resume();
      req.destroy();
      reject(
        new PeerConsoleError(`${peerUrl} refused the console (HTTP ${res.statusCode}).`, res.statusCode),
      );
    });
    upstream.once("error", () => reject(new PeerConsoleError(`Could not open the console at ${peerUrl}.`)));
  });
  return upstream;
}

/** Close codes a WebSocket may send (1005, 1006 and 1015 are only ever reported, never sent). */
function sendableCode(code: number): number {
  return code === 1000 ||
    (code >= 3000 && code <= 4999) ||
    (code >= 1001 && code <= 1014 && ![1005, 1006].includes(code))
    ? code
    : 1011;
}

/**
 * `GET /api/v1/remote-servers/{id}/console`: the console of a customer's server at a partner's
 * site, with the local console's rules (a `servers` write token, or a session cookie from this
 * controller's own pages). The customer's socket is piped to a signed WebSocket to the partner,
 * frames both ways, and each side closes when the other does. A partner that refuses or cannot be
 * reached closes the customer's socket with 4502 and the reason.
 */
export function registerRemoteConsoleRoute(
  app: App,
  deps: RouteDeps & { secretBox: SecretBox; outbound: OutboundGuard },
): void {
  app.get(
    "/remote-servers/:id/console",
    {
      websocket: true,
      config: { tokenScope: { group: "servers", access: "write" } },
      schema: {
        tags: ["servers"],
        summary:
          "Serial console of a server at a partner's site (WebSocket: binary frames, relayed to the partner)",
        params: IdParam,
        response: errorResponses,
      },
      preHandler: async (request) => {
        requireSameOrigin(request);
        const ctx = contextOf(deps, request);
        const { id } = request.params;
        const row = await deps.database.db
          .selectFrom("remote_servers as r")
          .innerJoin("accounts", "accounts.id", "r.account_id")
          .innerJoin("federation_peers as p", "p.id", "r.peer_id")
          .select(["r.remote_server_id", "r.deleted_at", "p.url", "p.state"])
          .where("r.id", "=", id)
          .where(accountInSubtree(ctx.principal.accountPath))
          .executeTakeFirst();
        if (!row || row.deleted_at !== null) throw new NotFoundError("remote server", id);
        if (row.remote_server_id === null)
          throw new ConflictError(
            `Server ${id} is not created at the partner yet; its console opens once it is.`,
          );
        if (row.state !== "active")
          throw new ConflictError(
            `The peering with this server's partner is ${row.state}: its console cannot open.`,
          );
        request.remoteConsole = { peerUrl: row.url, remoteServerId: row.remote_server_id };
      },
    },
    (socket, request) => {
      const target = request.remoteConsole;
      if (!target) {
        socket.close(1011, "console unavailable");
        return;
      }
      let upstream: WebSocket | undefined;
      let closed = false;
      const pending: Buffer[] = [];
      let pendingBytes = 0;
      socket.on("message", (data: Buffer) => {
        const frame = Buffer.from(data);
        if (upstream) {
          upstream.send(frame, { binary: true });
          return;
        }
        pendingBytes += frame.length;
        if (pendingBytes > MAX_PENDING_BYTES) socket.close(1009, "too much input before the console opened");
        else pending.push(frame);
      });
      socket.on("close", () => {
        closed = true;
        upstream?.close();
      });
      void (async () => {
        const { signing } = await loadSigningIdentity(deps.database.db, deps.secretBox);
        return openPeerConsole(deps.outbound, signing, target.peerUrl, target.remoteServerId);
      })().then(
        (opened) => {
          if (closed) {
            opened.close();
            return;
          }
          upstream = opened;
          for (const frame of pending.splice(0)) opened.send(frame, { binary: true });
          opened.on("message", (data: Buffer) => {
            if (socket.readyState === socket.OPEN) socket.send(data, { binary: true });
          });
          opened.on("close", (code, reason) => {
            if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING)
              socket.close(sendableCode(code), reasonOf(reason.toString("utf8")));
          });
          opened.on("error", () => socket.close(1011, "the partner's console broke off"));
        },
        (err: unknown) => {
          request.log.warn({ err, remoteServerId: target.remoteServerId }, "partner console refused");
          socket.close(4502, reasonOf(err instanceof PeerConsoleError ? err.message : "console unavailable"));
        },
      );
    },
  );
}
