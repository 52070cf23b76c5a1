import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { ControllerMessage, DesiredServer, HostFacts } from "@layerboom/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import type { Logger } from "../qemu/logger.js";
import { ControllerLink } from "./controller-link.js";

const HOST: HostFacts = {
  hostname: "hv1",
  agent_version: "0.1.0",
  protocol_version: 1,
  accelerator: "tcg",
  cores: 2,
  memory_mib: 2048,
  disk_gib: 20,
};

const web1: DesiredServer = {
  server_id: "srv_01jz0000000000000000000000",
  generation: 1,
  desired_state: "running",
  reboot_seq: 0,
  backups: [],
  vcpus: 1,
  memory_mib: 256,
  disk_gib: 1,
  hostname: "web1",
  ssh_authorized_keys: [],
  image: { id: "img_1", disk: { sha256: "a".repeat(64), size_bytes: 1, format: "qcow2" } },
};
const desired: ControllerMessage = { type: "desired", servers: [web1] };

function recordingLogger() {
  const warnings: { obj: object; msg: string | undefined }[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (obj, msg) => warnings.push({ obj, msg }),
    error: () => undefined,
  };
  return { warnings, logger };
}

describe("the agent's controller link", () => {
  let server: WebSocketServer | undefined;
  let link: ControllerLink | undefined;
  afterEach(async () => {
    await link?.stop();
    server?.close();
  });

  it("ignores a malformed controller message, saying which field is wrong, and acts on the good ones", async () => {
    server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await once(server, "listening");
    server.on("connection", (socket) => {
      socket.once("message", () => {
        socket.send(JSON.stringify({ type: "welcome", host_id: "hst_1", heartbeat_interval_ms: 60_000 }));
        socket.send(JSON.stringify({ type: "desired", servers: [{ ...web1, desired_state: "paused" }] }));
        socket.send(JSON.stringify({ type: "wipe-host" }));
        socket.send("not json");
        socket.send(JSON.stringify(desired));
      });
    });
    const { warnings, logger } = recordingLogger();
    link = new ControllerLink({
      controllerUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credential: "lbh_host_test",
      hostFacts: async () => HOST,
      logger,
    });
    const received: ControllerMessage[] = [];
    const done = new Promise<void>((resolve) =>
      link!.on("message", (message) => {
        received.push(message);
        resolve();
      }),
    );
    link.start();
    await done;
    expect(received).toEqual([desired]);
    expect(link.connected).toBe(true);
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringMatching(
        /^ignored a malformed message from the controller: desired message: servers\[0\]\.desired_state: expected one of running, stopped, deleted, got "paused"$/,
      ),
      expect.stringContaining('unknown message type "wipe-host"'),
      expect.stringContaining("not JSON"),
    ]);
    expect(warnings[0]?.obj).toEqual({ refused: expect.stringContaining("servers[0].desired_state") });
  });
});
