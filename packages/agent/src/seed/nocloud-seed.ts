import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { stringify } from "yaml";
import { SeedInputError } from "./errors.js";

/** What a server's first boot needs from cloud-init NoCloud. */
export interface NocloudSeedInput {
  /** cloud-init runs its per-instance modules once per instance id. Use the server id. */
  instanceId: string;
  /** A single DNS label, also written to meta-data as local-hostname. */
  hostname: string;
  /** OpenSSH public keys installed for {@link user}. */
  sshAuthorizedKeys?: readonly string[];
  /** A crypt(3) hash (for example `$6$...`); when set, password SSH login is enabled. */
  passwordHash?: string;
  /** The account that gets the keys and the password. Default `root`. */
  user?: string;
  /** MAC of the virtio NIC that gets DHCP; without it, every ethernet interface named e* does. */
  macAddress?: string;
}

/** The three NoCloud files, as text. */
export interface NocloudSeedFiles {
  "meta-data": string;
  "user-data": string;
  "network-config": string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

/** Renders meta-data, user-data (#cloud-config) and network-config (v2) for a seed. Pure. */
export function renderNocloudSeed(input: NocloudSeedInput): NocloudSeedFiles {
  const id = input.instanceId;
  if (!id || /[\s\0]/.test(id))
    throw new SeedInputError(id, "instanceId", "must be non-empty without whitespace");
  if (!LABEL.test(input.hostname))
    throw new SeedInputError(id, "hostname", `not a DNS label: ${input.hostname}`);
  const user = input.user ?? "root";
  if (!USER.test(user)) throw new SeedInputError(id, "user", `not a user name: ${user}`);
  const keys = [...(input.sshAuthorizedKeys ?? [])];
  for (const key of keys) {
    if (/[\r\n]/.test(key) || !/^(ssh-|ecdsa-|sk-)/.test(key))
      throw new SeedInputError(id, "sshAuthorizedKeys", "not an OpenSSH public key line");
  }
  if (input.passwordHash !== undefined && !/^\$[0-9a-z]+\$\S+$/.test(input.passwordHash)) {
    throw new SeedInputError(id, "passwordHash", "must be a crypt(3) hash, never a plain password");
  }
  if (input.macAddress !== undefined && !MAC.test(input.macAddress)) {
    throw new SeedInputError(id, "macAddress", `not a MAC address: ${input.macAddress}`);
  }

  const account: Record<string, unknown> = { name: user };
  if (keys.length > 0) account.ssh_authorized_keys = keys;
  if (input.passwordHash !== undefined) {
    account.hashed_passwd = input.passwordHash;
    account.lock_passwd = false;
  }
  if (user !== "root") {
    account.sudo = "ALL=(ALL) NOPASSWD:ALL";
    account.shell = "/bin/bash";
  }
  const cloudConfig = {
    hostname: input.hostname,
    preserve_hostname: false,
    // cloud-init otherwise replaces root's keys with a "log in as the default user" stub.
    disable_root: user !== "root",
    ssh_pwauth: input.passwordHash !== undefined,
    users: [account],
  };
  const network = {
    version: 2,
    ethernets: {
      primary: {
        match: input.macAddress ? { macaddress: input.macAddress.toLowerCase() } : { name: "e*" },
        dhcp4: true,
      },
    },
  };
  return {
    "meta-data": stringify({ "instance-id": id, "local-hostname": input.hostname }),
    "user-data": `#cloud-config\n${stringify(cloudConfig)}`,
    "network-config": stringify(network),
  };
}

/** Hash of the rendered files: equal input gives an equal hash. */
export function nocloudSeedHash(files: NocloudSeedFiles): string {
  return createHash("sha256").update(JSON.stringify(files)).digest("hex");
}

/** Result of {@link writeNocloudSeed}. */
export interface WrittenSeed {
  path: string;
  /** Hash of the seed's content (not of the ISO bytes, which genisoimage stamps with the time). */
  contentHash: string;
  /** False when an ISO with the same content was already there and was left alone. */
  written: boolean;
}

/**
 * Writes a NoCloud seed ISO (ISO9660 + Joliet + Rock Ridge, volume id `cidata`) at `isoPath`.
 * Idempotent: genisoimage cannot pin its timestamps, so the content hash is kept beside the
 * ISO in `<isoPath>.sha256` and an unchanged seed is not rewritten.
 */
export async function writeNocloudSeed(input: NocloudSeedInput, isoPath: string): Promise<WrittenSeed> {
  const files = renderNocloudSeed(input);
  const contentHash = nocloudSeedHash(files);
  const hashFile = `${isoPath}.sha256`;
  const previous = await readFile(hashFile, "utf8").catch(() => "");
  const isoThere = await readFile(isoPath).then(
    (b) => b.length > 0,
    () => false,
  );
  if (previous.trim() === contentHash && isoThere) return { path: isoPath, contentHash, written: false };

  await mkdir(dirname(isoPath), { recursive: true });
  const work = await mkdtemp(join(dirname(isoPath), ".seed-"));
  try {
    const names = ["meta-data", "user-data", "network-config"] as const;
    for (const name of names) await writeFile(join(work, name), files[name], { mode: 0o600 });
    const tmpIso = join(work, "seed.iso");
    await runProgram(
      "genisoimage",
      [
        "-quiet",
        "-output",
        tmpIso,
        "-volid",
        "cidata",
        "-joliet",
        "-rock",
        "-input-charset",
        "utf-8",
        ...names.map((n) => join(work, n)),
      ],
      { timeoutMs: 30_000, limits: { fileSizeBytes: 16 * 1024 * 1024 } },
    );
    await rename(tmpIso, isoPath);
    await writeFile(hashFile, `${contentHash}\n`);
    return { path: isoPath, contentHash, written: true };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Removes a seed ISO and its hash file; absent files are fine. */
export async function removeNocloudSeed(isoPath: string): Promise<void> {
  await rm(isoPath, { force: true });
  await rm(`${isoPath}.sha256`, { force: true });
}
