import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A service on loopback that a server-side request forgery would reach; it counts who did. */
export interface Canary {
  /** The port it listens on, on 127.0.0.1 and (where the host has IPv6 loopback) on ::1. */
  port: number;
  /** The unique text every answer carries; it must show up nowhere a tenant can read. */
  secret: string;
  /** Every request it has had, as `METHOD host url`. */
  readonly requests: string[];
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the canary: an HTTP service on loopback that answers every request with a unique
 * secret (as a raw disk image would be read back, as a metadata service would answer). A test
 * submits hostile URLs aimed at it and then requires `requests` to be empty.
 */
export async function startCanary(): Promise<Canary> {
  const secret = `CANARY-${randomBytes(12).toString("hex")}`;
  const requests: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method ?? "?"} ${req.headers.host ?? ""} ${req.url ?? ""}`);
    res.writeHead(200, { "content-type": "application/octet-stream" }).end(secret.repeat(64));
  };
  const v4 = createServer(handler);
  const port = await listen(v4, 0, "127.0.0.1");
  const servers = [v4];
  const v6 = createServer(handler);
  // The same port on ::1, so that [::1] and its spellings would land here too.
  if (
    await listen(v6, port, "::1").then(
      () => true,
      () => false,
    )
  )
    servers.push(v6);
  return {
    port,
    secret,
    requests,
    async close() {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
    },
  };
}
