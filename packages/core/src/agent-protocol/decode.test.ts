import { describe, expect, it } from "vitest";
import { decodeAgentMessage, decodeControllerMessage } from "./decode.js";
import type { AgentMessage, ControllerMessage, DesiredServer } from "./messages.js";

const SERVER_ID = "srv_01jz0000000000000000000000";

const desiredServer: DesiredServer = {
  server_id: SERVER_ID,
  generation: 3,
  desired_state: "running",
  reboot_seq: 1,
  backups: ["bkp_01jz0000000000000000000000"],
  captures: ["job_01jz0000000000000000000000"],
  restore: { backup_id: "bkp_01jz0000000000000000000000", seq: 1 },
  vcpus: 1,
  memory_mib: 512,
  disk_gib: 4,
  hostname: "web1",
  ssh_authorized_keys: ["ssh-ed25519 AAAA test"],
  image: {
    id: "img_01jz0000000000000000000000",
    disk: { sha256: "a".repeat(64), size_bytes: 1_000_000, format: "qcow2" },
    kernel: { sha256: "b".repeat(64), size_bytes: 10_000 },
    kernel_append: "console=ttyS0",
  },
  network: {
    bridge: "br0",
    tap: "lb0000000000000",
    ipv4: ["203.0.113.10/24"],
    gateway4: "203.0.113.1",
    nameservers: [],
  },
};

const observed: AgentMessage = {
  type: "observed",
  servers: [
    {
      server_id: SERVER_ID,
      state: "running",
      generation: 3,
      ssh_host_port: 2222,
      accelerator: "kvm",
      backups: [{ backup_id: "bkp_01jz0000000000000000000000", state: "available", size_bytes: 10 }],
      captures: [{ capture_id: "job_01jz0000000000000000000000", state: "failed", error: "no disk yet" }],
    },
  ],
  orphans: [{ vm_id: "srv-01jz0000000000000000000001", action: "reported" }],
};

function refusal(result: { ok: boolean; error?: string }): string {
  expect(result.ok).toBe(false);
  return result.error ?? "";
}

describe("agent messages, as the controller decodes them", () => {
  it("accepts every well-formed message", () => {
    const good: AgentMessage[] = [
      {
        type: "hello",
        host: {
          hostname: "hv1",
          agent_version: "0.1.0",
          protocol_version: 1,
          accelerator: "tcg",
          cores: 4,
          memory_mib: 8192,
          disk_gib: 100,
          bridges: ["br0"],
        },
      },
      { type: "heartbeat" },
      observed,
      { type: "console.data", stream_id: "s1", data: "aGk=" },
      { type: "console.closed", stream_id: "s1" },
      { type: "energy", boot_id: "boot-1", dropped: 0, samples: [] },
    ];
    for (const message of good)
      expect(decodeAgentMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it("accepts fields it does not know, so a newer agent may add optional ones", () => {
    expect(decodeAgentMessage(JSON.stringify({ type: "heartbeat", uptime_s: 5 })).ok).toBe(true);
  });

  it("refuses a state outside the vocabulary and names the field, the choices and the value", () => {
    const bad = { ...observed, servers: [{ ...observed.servers[0], state: "exploded" }] };
    const error = refusal(decodeAgentMessage(JSON.stringify(bad)));
    expect(error).toContain("observed message: servers[0].state: expected one of provisioning, running");
    expect(error).toContain('got "exploded"');
  });

  it("refuses pending, which only the controller writes", () => {
    const bad = { ...observed, servers: [{ ...observed.servers[0], state: "pending" }] };
    expect(refusal(decodeAgentMessage(JSON.stringify(bad)))).toContain("servers[0].state");
  });

  it("refuses a field of the wrong type and names it", () => {
    const bad = { ...observed, servers: [{ ...observed.servers[0], generation: "3" }] };
    expect(refusal(decodeAgentMessage(JSON.stringify(bad)))).toMatch(
      /servers\[0\]\.generation: expected integer, got "3"/,
    );
  });

  it("refuses a missing field and names it", () => {
    const error = refusal(
      decodeAgentMessage(JSON.stringify({ type: "hello", host: { hostname: "hv1", agent_version: "1" } })),
    );
    expect(error).toMatch(/^hello message: host\.protocol_version: expected required property/);
  });

  it("refuses an unknown or missing type and lists the known ones", () => {
    expect(refusal(decodeAgentMessage(JSON.stringify({ type: "reboot-everything" })))).toBe(
      'type: unknown message type "reboot-everything"; expected one of hello, heartbeat, observed, console.data, console.closed, energy',
    );
    expect(refusal(decodeAgentMessage(JSON.stringify({ servers: [] })))).toMatch(/^type: missing/);
    // A controller message is not an agent message.
    expect(refusal(decodeAgentMessage(JSON.stringify({ type: "desired", servers: [] })))).toMatch(
      /unknown message type "desired"/,
    );
  });

  it("refuses what is not a JSON object", () => {
    expect(refusal(decodeAgentMessage("{not json"))).toMatch(/^not JSON/);
    expect(refusal(decodeAgentMessage("[1,2]"))).toBe("not a JSON object");
    expect(refusal(decodeAgentMessage("null"))).toBe("not a JSON object");
  });

  it("refuses a capture id that could name a path", () => {
    const bad = {
      ...observed,
      servers: [
        {
          server_id: SERVER_ID,
          state: "running",
          generation: 3,
          captures: [{ capture_id: "../x", state: "failed", error: "e" }],
        },
      ],
    };
    expect(refusal(decodeAgentMessage(JSON.stringify(bad)))).toContain("servers[0].captures[0].capture_id");
  });

  it("keeps the protocol's limits", () => {
    const bad = { type: "console.closed", stream_id: "s1", reason: "x".repeat(501) };
    expect(refusal(decodeAgentMessage(JSON.stringify(bad)))).toMatch(/^console\.closed message: reason: /);
  });
});

describe("controller messages, as the agent decodes them", () => {
  it("accepts every well-formed message", () => {
    const good: ControllerMessage[] = [
      { type: "welcome", host_id: "hst_01jz0000000000000000000000", heartbeat_interval_ms: 5000 },
      {
        type: "desired",
        servers: [desiredServer, { ...desiredServer, desired_state: "deleted", backups: [] }],
      },
      { type: "console.open", stream_id: "s1", server_id: SERVER_ID },
      { type: "console.input", stream_id: "s1", data: "aGk=" },
      { type: "console.close", stream_id: "s1" },
      { type: "energy.ack", boot_id: "boot-1", seq: 12 },
    ];
    for (const message of good)
      expect(decodeControllerMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it("refuses a desired state outside the vocabulary and names the field", () => {
    const bad = { type: "desired", servers: [{ ...desiredServer, desired_state: "paused" }] };
    expect(refusal(decodeControllerMessage(JSON.stringify(bad)))).toContain(
      'desired message: servers[0].desired_state: expected one of running, stopped, deleted, got "paused"',
    );
  });

  it("refuses a capture id that is not a capture job's", () => {
    const bad = { type: "desired", servers: [{ ...desiredServer, captures: ["job_../../etc"] }] };
    expect(refusal(decodeControllerMessage(JSON.stringify(bad)))).toContain("servers[0].captures[0]");
  });

  it("refuses a missing field deep in a desired server", () => {
    const { sha256: _dropped, ...disk } = desiredServer.image.disk;
    const bad = { type: "desired", servers: [{ ...desiredServer, image: { ...desiredServer.image, disk } }] };
    expect(refusal(decodeControllerMessage(JSON.stringify(bad)))).toContain(
      "servers[0].image.disk.sha256: expected required property",
    );
  });

  it("refuses a wrong type and an unknown type", () => {
    expect(
      refusal(
        decodeControllerMessage(
          JSON.stringify({ type: "welcome", host_id: "h", heartbeat_interval_ms: "5s" }),
        ),
      ),
    ).toContain('heartbeat_interval_ms: expected integer, got "5s"');
    expect(refusal(decodeControllerMessage(JSON.stringify({ type: "hello", host: {} })))).toMatch(
      /unknown message type "hello"; expected one of welcome, desired/,
    );
  });
});
