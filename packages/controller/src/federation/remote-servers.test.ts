import { describe, expect, it } from "vitest";
import { REMOTE_SILENCE_MS, receivedStates, shownState } from "./remote-servers.js";
import type { RemoteServerRow } from "./remote-servers.js";
import { createDigest } from "./served-servers.js";

const now = Date.parse("2026-12-07T12:00:00Z");
const row = (over: Partial<RemoteServerRow>): RemoteServerRow =>
  ({
    remote_state: "running",
    last_seen_at: new Date(now - 1_000),
    last_error: null,
    created_at: new Date(now - 3_600_000),
    ...over,
  }) as RemoteServerRow;

describe("the state a remote server shows", () => {
  it("is the partner's word while it answers, unknown after two minutes of silence or a failed call", () => {
    expect(shownState(row({}), now)).toBe("running");
    expect(shownState(row({ last_seen_at: new Date(now - REMOTE_SILENCE_MS) }), now)).toBe("running");
    expect(shownState(row({ last_seen_at: new Date(now - REMOTE_SILENCE_MS - 1) }), now)).toBe("unknown");
    expect(shownState(row({ last_error: "could not be reached" }), now)).toBe("unknown");
    // Never heard of yet: counted from its creation.
    expect(
      shownState(
        row({ last_seen_at: null, remote_state: "creating", created_at: new Date(now - 5_000) }),
        now,
      ),
    ).toBe("creating");
    // Final states stay what they are.
    expect(shownState(row({ remote_state: "failed", last_error: "not_offered: …" }), now)).toBe("failed");
    expect(shownState(row({ remote_state: "deleted", last_seen_at: new Date(0) }), now)).toBe("deleted");
  });
});

describe("states received from a partner", () => {
  it("keeps those with the contract's shape and skips the rest", () => {
    expect(
      receivedStates([
        {
          id: "srv_1",
          state: "running",
          state_version: 3,
          addresses: [{ kind: "ipv4", address: "203.0.113.7" }, 5],
        },
        { id: "srv_2", state: "running", state_version: 1.5, addresses: [] },
        { id: 7, state: "running", state_version: 1, addresses: [] },
        { id: "srv_3", state: "x".repeat(41), state_version: 1, addresses: [] },
        null,
      ]),
    ).toEqual([
      {
        id: "srv_1",
        state: "running",
        state_version: 3,
        addresses: [{ kind: "ipv4", address: "203.0.113.7" }],
      },
    ]);
    expect(receivedStates({ servers: [] })).toEqual([]);
  });
});

describe("a create's digest", () => {
  const create = {
    idempotency_key: "rsv_1",
    offer_id: "offer_1",
    offer_version: 3,
    site_id: "site_1",
    plan_id: "plan_1",
    name: "web-1",
    image_sha256: "a".repeat(64),
    ssh_public_keys: ["ssh-ed25519 AAAA laptop"],
    required_jurisdictions: ["CA", "CA-QC"],
  };
  it("is the same for the same parameters, whatever the order of the jurisdictions", () => {
    expect(createDigest(create)).toBe(createDigest({ ...create, required_jurisdictions: ["CA-QC", "CA"] }));
  });
  it("differs when any parameter does", () => {
    const base = createDigest(create);
    for (const other of [
      { name: "web-2" },
      { offer_version: 4 },
      { ssh_public_keys: [] },
      { user_data_base64: "IyE=" },
      { required_jurisdictions: ["CA"] },
    ])
      expect(createDigest({ ...create, ...other })).not.toBe(base);
  });
});
