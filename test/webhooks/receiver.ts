import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "@layerboom/controller";
import type { SignatureProblem } from "@layerboom/controller";

/** One request as a receiver saw it, with the verdict on its signature. */
export interface Received {
  path: string;
  event: string;
  delivery: string;
  signature: string;
  body: string;
  json: { id: string; type: string; created_at: string; account_id: string; data: Record<string, unknown> };
  verdict: SignatureProblem | undefined;
}

/** How the receiver answers: a status code, or "hang" (never answer). */
export type Behaviour = (r: Received, seen: number) => number | "hang";

/** A webhook receiver on 127.0.0.1 that verifies every signature, as a billing system would. */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Secrets by path, for the signature check. */
  secrets: Map<string, string>;
  behaviour: Behaviour;
  waitFor(match: (r: Received) => boolean, count?: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0, behaviour: Behaviour = () => 204): Promise<Receiver> {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  const receiver: Receiver = {
    url: "",
    port: 0,
    received,
    secrets,
    behaviour,
    async waitFor(match, count = 1, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = received.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > until) {
          throw new Error(`expected ${count} matching request(s) in ${timeoutMs} ms; got ${received.length}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const signature = String(req.headers["layerboom-signature"] ?? "");
      const secret = secrets.get(path) ?? "";
      const r: Received = {
        path,
        event: String(req.headers["layerboom-event"] ?? ""),
        delivery: String(req.headers["layerboom-delivery"] ?? ""),
        signature,
        body,
        json: JSON.parse(body) as Received["json"],
        verdict: verifyWebhookSignature(secret, signature, body),
      };
      received.push(r);
      const answer = receiver.behaviour(r, received.filter((x) => x.delivery === r.delivery).length);
      if (answer === "hang") return;
      res.writeHead(r.verdict ? 400 : answer).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}

/** A port nothing listens on (yet): connections to it are refused. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
