import { createHash } from "node:crypto";
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
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
  /**
   * Static public addressing (a server on a host bridge, docs/networking.md) instead of DHCP.
   * Changing it rewrites the seed; cloud-init applies it at the guest's next boot.
   */
  network?: NocloudStaticNetwork;
  /**
   * The customer's own user-data (base64, at most 16 KiB decoded): a `#!` script, a
   * `#cloud-config` document, anything cloud-init reads. It travels as a second MIME part
   * after ours, and cloud-init tells its type from its first line.
   */
  userDataBase64?: string;
}

/** Static IPv4 configuration of the server's NIC. */
export interface NocloudStaticNetwork {
  /** Addresses in CIDR form, the primary first, e.g. `203.0.113.10/24`. At least one. */
  ipv4: readonly string[];
  /** The default route's next hop. */
  gateway4: string;
  /** DNS resolvers; may be empty. */
  nameservers: readonly string[];
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

/** Whether `text` is a dotted-quad IPv4 address without leading zeros (`010` is octal to some parsers). */
function isIpv4(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** Whether `text` is `<ipv4>/<prefix>` with a prefix of 1..32. */
function isIpv4Cidr(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0) return false;
  const prefix = text.slice(slash + 1);
  return isIpv4(text.slice(0, slash)) && /^([1-9]|[12][0-9]|3[0-2])$/.test(prefix);
}

/** Validates static addressing; throws SeedInputError naming the field. */
function checkStaticNetwork(id: string, network: NocloudStaticNetwork): void {
  if (network.ipv4.length === 0) throw new SeedInputError(id, "network.ipv4", "needs at least one address");
  for (const address of network.ipv4) {
    if (!isIpv4Cidr(address))
      throw new SeedInputError(id, "network.ipv4", `not an IPv4 address in CIDR form: ${address}`);
  }
  if (new Set(network.ipv4.map((a) => a.split("/")[0])).size !== network.ipv4.length)
    throw new SeedInputError(id, "network.ipv4", "lists an address twice");
  if (!isIpv4(network.gateway4))
    throw new SeedInputError(id, "network.gateway4", `not an IPv4 address: ${network.gateway4}`);
  for (const server of network.nameservers) {
    if (!isIpv4(server))
      throw new SeedInputError(id, "network.nameservers", `not an IPv4 address: ${server}`);
  }
}

/** The NIC's network-config v2 entry: static addresses when given, DHCP otherwise. */
function ethernetConfig(input: NocloudSeedInput): Record<string, unknown> {
  const match = input.macAddress ? { macaddress: input.macAddress.toLowerCase() } : { name: "e*" };
  const network = input.network;
  if (!network) return { match, dhcp4: true };
  return {
    match,
    addresses: [...network.ipv4],
    // 0.0.0.0/0 rather than `default`: older cloud-init (Debian 12 ships 22.4) reads only the former.
    routes: [{ to: "0.0.0.0/0", via: network.gateway4 }],
    ...(network.nameservers.length > 0 ? { nameservers: { addresses: [...network.nameservers] } } : {}),
    dhcp4: false,
  };
}

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
  if (input.network) checkStaticNetwork(id, input.network);

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
    // Static addresses change while the server lives (extra IPv4 added or released): have
    // cloud-init apply network-config on every boot, not only on the instance's first.
    ...(input.network ? { updates: { network: { when: ["boot-new-instance", "boot"] } } } : {}),
  };
  const network = { version: 2, ethernets: { primary: ethernetConfig(input) } };
  const ours = `#cloud-config\n${stringify(cloudConfig)}`;
  return {
    "meta-data": stringify({ "instance-id": id, "local-hostname": input.hostname }),
    "user-data":
      input.userDataBase64 === undefined ? ours : multipartUserData(id, ours, input.userDataBase64),
    "network-config": stringify(network),
  };
}

const MAX_USER_DATA_BYTES = 16 * 1024;

/**
 * Our #cloud-config and the customer's user-data as one MIME multipart document, which
 * cloud-init reads part by part. Both parts travel base64-encoded, so no byte of the
 * customer's can end a part early or forge a header; the boundary is derived from the content
 * (the seed stays reproducible) and cannot appear in base64 text. The customer's part is
 * `text/plain`: cloud-init then decides its type from its first line, as on EC2.
 */
function multipartUserData(id: string, ours: string, customerBase64: string): string {
  const customer = Buffer.from(customerBase64, "base64");
  if (
    customer.length > MAX_USER_DATA_BYTES ||
    customer.toString("base64") !== customerBase64.replace(/\s/g, "")
  )
    throw new SeedInputError(id, "userDataBase64", `must be base64 of at most ${MAX_USER_DATA_BYTES} bytes`);
  const boundary = `==layerboom-${createHash("sha256").update(ours).update(customer).digest("hex").slice(0, 32)}==`;
  const part = (type: string, body: Buffer) => [
    `--${boundary}`,
    `Content-Type: ${type}; charset="utf-8"`,
    "MIME-Version: 1.0",
    "Content-Transfer-Encoding: base64",
    "",
    ...(body.toString("base64").match(/.{1,76}/g) ?? []),
  ];
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "MIME-Version: 1.0",
    "",
    ...part("text/cloud-config", Buffer.from(ours, "utf8")),
    ...part("text/plain", customer),
    `--${boundary}--`,
    "",
  ].join("\n");
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
  /** True when the new content went into the existing file (see {@link WriteNocloudSeedOptions.inPlace}). */
  inPlace: boolean;
}

/** Options for {@link writeNocloudSeed}. */
export interface WriteNocloudSeedOptions {
  /**
   * Overwrite the existing ISO's bytes instead of renaming a new file over it, when both have
   * the same size (seeds are padded to whole MiB, so they do unless the content grew past one).
   * A running QEMU keeps the file it opened: after a rename it would still serve the old seed
   * when the guest reboots; written in place, the guest reads the new one at its next boot.
   */
  inPlace?: boolean;
}

/** Seed ISOs are padded to a multiple of this, so a rewrite keeps the disk size QEMU saw at start. */
const SEED_ISO_BLOCK = 1024 * 1024;

/**
 * Writes a NoCloud seed ISO (ISO9660 + Joliet + Rock Ridge, volume id `cidata`) at `isoPath`.
 * Idempotent: genisoimage cannot pin its timestamps, so the content hash is kept beside the
 * ISO in `<isoPath>.sha256` and an unchanged seed is not rewritten. The hash file is written
 * last, so a crash mid-write makes the next call write again.
 */
export async function writeNocloudSeed(
  input: NocloudSeedInput,
  isoPath: string,
  options: WriteNocloudSeedOptions = {},
): Promise<WrittenSeed> {
  const files = renderNocloudSeed(input);
  const contentHash = nocloudSeedHash(files);
  const hashFile = `${isoPath}.sha256`;
  const previous = await readFile(hashFile, "utf8").catch(() => "");
  const isoSize = await stat(isoPath).then(
    (st) => st.size,
    () => 0,
  );
  if (previous.trim() === contentHash && isoSize > 0)
    return { path: isoPath, contentHash, written: false, inPlace: false };

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
    const size = await padToBlock(tmpIso);
    const inPlace = options.inPlace === true && isoSize === size;
    if (inPlace) await overwriteFile(isoPath, await readFile(tmpIso));
    else await rename(tmpIso, isoPath);
    await writeFile(hashFile, `${contentHash}\n`);
    return { path: isoPath, contentHash, written: true, inPlace };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Pads a file with zeros to a whole {@link SEED_ISO_BLOCK}; an ISO ignores bytes past its volume. */
async function padToBlock(path: string): Promise<number> {
  const { size } = await stat(path);
  const padded = Math.max(SEED_ISO_BLOCK, Math.ceil(size / SEED_ISO_BLOCK) * SEED_ISO_BLOCK);
  if (padded !== size) await truncate(path, padded);
  return padded;
}

/** Writes `bytes` over an existing file of the same size, keeping its inode, and syncs it. */
async function overwriteFile(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.write(bytes, 0, bytes.length, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes a seed ISO and its hash file; absent files are fine. */
export async function removeNocloudSeed(isoPath: string): Promise<void> {
  await rm(isoPath, { force: true });
  await rm(`${isoPath}.sha256`, { force: true });
}
