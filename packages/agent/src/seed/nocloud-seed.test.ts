import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SeedInputError } from "./errors.js";
import { renderNocloudSeed, writeNocloudSeed } from "./nocloud-seed.js";

const base = {
  instanceId: "srv-01hx",
  hostname: "web-1",
  sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@laptop"],
  macAddress: "52:54:00:AB:CD:EF",
};

describe("renderNocloudSeed", () => {
  it("writes instance id and hostname into meta-data", () => {
    expect(parse(renderNocloudSeed(base)["meta-data"])).toEqual({
      "instance-id": "srv-01hx",
      "local-hostname": "web-1",
    });
  });

  it("carries the customer's user-data as a second MIME part after our #cloud-config", () => {
    const script = "#!/bin/sh\necho '--==layerboom-x==' > /root/hello\n";
    const text = renderNocloudSeed({ ...base, userDataBase64: Buffer.from(script).toString("base64") })[
      "user-data"
    ];
    const boundary = /boundary="([^"]+)"/.exec(text)?.[1] ?? "";
    expect(boundary).toMatch(/^==layerboom-[0-9a-f]{32}==$/);
    const parts = text.split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    const body = (part: string) => Buffer.from(part.split("\n\n")[1] ?? "", "base64").toString("utf8");
    expect(parts[0]).toContain("Content-Type: text/cloud-config");
    expect(parse(body(parts[0]!))).toMatchObject({ hostname: "web-1", users: [{ name: "root" }] });
    expect(parts[1]).toContain("Content-Type: text/plain");
    expect(body(parts[1]!)).toBe(script);
    expect(() =>
      renderNocloudSeed({ ...base, userDataBase64: Buffer.alloc(16 * 1024 + 1).toString("base64") }),
    ).toThrow(SeedInputError);
  });

  it("writes a #cloud-config user-data with keys for root and no password login by default", () => {
    const text = renderNocloudSeed(base)["user-data"];
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(text);
    expect(doc).toMatchObject({ hostname: "web-1", ssh_pwauth: false, disable_root: false });
    expect(doc.users).toEqual([{ name: "root", ssh_authorized_keys: base.sshAuthorizedKeys }]);
  });

  it("sets a password hash and enables password login only when given", () => {
    const doc = parse(
      renderNocloudSeed({ ...base, user: "alice", passwordHash: "$6$salt$hash" })["user-data"],
    );
    expect(doc.ssh_pwauth).toBe(true);
    expect(doc.users[0]).toMatchObject({
      name: "alice",
      hashed_passwd: "$6$salt$hash",
      lock_passwd: false,
      sudo: "ALL=(ALL) NOPASSWD:ALL",
    });
  });

  it("writes network-config v2 with DHCP on the NIC matched by MAC", () => {
    expect(parse(renderNocloudSeed(base)["network-config"])).toEqual({
      version: 2,
      ethernets: { primary: { match: { macaddress: "52:54:00:ab:cd:ef" }, dhcp4: true } },
    });
  });

  const network = {
    ipv4: ["203.0.113.10/24", "198.51.100.7/32"],
    gateway4: "203.0.113.1",
    nameservers: ["192.0.2.53", "192.0.2.54"],
  };

  it("writes static addresses, the default route and resolvers for the NIC matched by MAC", () => {
    expect(parse(renderNocloudSeed({ ...base, network })["network-config"])).toEqual({
      version: 2,
      ethernets: {
        primary: {
          match: { macaddress: "52:54:00:ab:cd:ef" },
          addresses: ["203.0.113.10/24", "198.51.100.7/32"],
          routes: [{ to: "0.0.0.0/0", via: "203.0.113.1" }],
          nameservers: { addresses: ["192.0.2.53", "192.0.2.54"] },
          dhcp4: false,
        },
      },
    });
  });

  it("leaves nameservers out when there are none", () => {
    const doc = parse(
      renderNocloudSeed({ ...base, network: { ...network, nameservers: [] } })["network-config"],
    );
    expect(doc.ethernets.primary).not.toHaveProperty("nameservers");
    expect(doc.ethernets.primary.addresses).toEqual(network.ipv4);
  });

  it("asks cloud-init to apply network-config on every boot only with static addresses", () => {
    expect(parse(renderNocloudSeed({ ...base, network })["user-data"]).updates).toEqual({
      network: { when: ["boot-new-instance", "boot"] },
    });
    expect(parse(renderNocloudSeed(base)["user-data"])).not.toHaveProperty("updates");
  });

  it("rejects bad addresses, naming the field", () => {
    const bad = (n: Partial<typeof network>, field: string) =>
      expect(() => renderNocloudSeed({ ...base, network: { ...network, ...n } })).toThrow(
        new RegExp(`: ${field.replace(".", "\\.")}: `),
      );
    bad({ ipv4: [] }, "network.ipv4");
    bad({ ipv4: ["203.0.113.10"] }, "network.ipv4");
    bad({ ipv4: ["203.0.113.256/24"] }, "network.ipv4");
    bad({ ipv4: ["203.0.113.10/33"] }, "network.ipv4");
    bad({ ipv4: ["203.0.113.010/24"] }, "network.ipv4");
    bad({ ipv4: ["203.0.113.10/24", "203.0.113.10/32"] }, "network.ipv4");
    bad({ ipv4: ["203.0.113.10/24\nruncmd: [x]"] }, "network.ipv4");
    bad({ gateway4: "203.0.113.1/24" }, "network.gateway4");
    bad({ nameservers: ["dns.example"] }, "network.nameservers");
    expect(() => renderNocloudSeed({ ...base, network: { ...network, ipv4: [] } })).toThrow(SeedInputError);
  });

  it("keeps YAML-special characters as data", () => {
    const key = "ssh-ed25519 AAAA key: with # and 'quotes'";
    const doc = parse(renderNocloudSeed({ ...base, sshAuthorizedKeys: [key] })["user-data"]);
    expect(doc.users[0].ssh_authorized_keys).toEqual([key]);
  });

  it("rejects plain passwords, bad hostnames and multi-line keys", () => {
    expect(() => renderNocloudSeed({ ...base, passwordHash: "hunter2" })).toThrow(SeedInputError);
    expect(() => renderNocloudSeed({ ...base, hostname: "web_1.example" })).toThrow(SeedInputError);
    expect(() => renderNocloudSeed({ ...base, sshAuthorizedKeys: ["ssh-rsa AAA\nruncmd: [x]"] })).toThrow(
      SeedInputError,
    );
  });

  it("is deterministic", () => {
    expect(renderNocloudSeed(base)).toEqual(renderNocloudSeed({ ...base }));
  });
});

describe("writeNocloudSeed", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes an ISO labelled cidata and skips an unchanged rewrite", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-seed-"));
    const iso = join(dir, "seed.iso");
    const first = await writeNocloudSeed(base, iso);
    expect(first.written).toBe(true);
    const bytes = await readFile(iso);
    // ISO9660 primary volume descriptor at sector 16; volume id at offset 40.
    expect(bytes.subarray(16 * 2048 + 40, 16 * 2048 + 46).toString("latin1")).toBe("cidata");
    expect(bytes.includes(Buffer.from("local-hostname: web-1"))).toBe(true);
    const mtime = (await stat(iso)).mtimeMs;

    const again = await writeNocloudSeed({ ...base }, iso);
    expect(again).toEqual({ ...first, written: false });
    expect((await stat(iso)).mtimeMs).toBe(mtime);

    const changed = await writeNocloudSeed({ ...base, hostname: "web-2" }, iso);
    expect(changed.written).toBe(true);
    expect(changed.contentHash).not.toBe(first.contentHash);
  });

  it("rewrites a changed seed in the same file when asked, so a running QEMU serves the new one", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-seed-"));
    const iso = join(dir, "seed.iso");
    const network = { ipv4: ["203.0.113.10/24"], gateway4: "203.0.113.1", nameservers: [] };
    await writeNocloudSeed({ ...base, network }, iso);
    const before = await stat(iso);
    expect(before.size % (1024 * 1024)).toBe(0);

    const more = { ...network, ipv4: ["203.0.113.10/24", "203.0.113.11/24"] };
    const rewritten = await writeNocloudSeed({ ...base, network: more }, iso, { inPlace: true });
    expect(rewritten).toMatchObject({ written: true, inPlace: true });
    const after = await stat(iso);
    expect(after.ino).toBe(before.ino);
    expect(after.size).toBe(before.size);
    expect((await readFile(iso)).includes(Buffer.from("203.0.113.11/24"))).toBe(true);

    // Without inPlace a new file replaces the old one (an open QEMU keeps the old).
    const replaced = await writeNocloudSeed({ ...base, network }, iso);
    expect(replaced).toMatchObject({ written: true, inPlace: false });
    expect((await stat(iso)).ino).not.toBe(before.ino);
  });
});
