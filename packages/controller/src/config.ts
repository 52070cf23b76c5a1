import { resolve } from "node:path";
import { parseByteSize } from "./images/settings.js";
import { AllowEntryError, parseAllowEntry } from "./outbound/allowlist.js";
import { DnsServerError, parseDnsServer } from "./outbound/resolver.js";
import { parseReservedDomain } from "./branding/domain-name.js";
import ipaddr from "ipaddr.js";
import { parseSecretKey } from "./base/secret-box.js";

/** What Fastify's trustProxy takes from us: believe no proxy, any, the nearest n, or these. */
export type TrustProxy = boolean | number | string[];

/** Names proxy-addr knows for address ranges, besides addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** Parses --trust-proxy: `false`, `true`, a hop count, or addresses, CIDRs and range names, comma-separated. */
export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (value === "false" || value === "") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10) throw new ConfigError("--trust-proxy", "a hop count must be 1 to 10.");
    return hops;
  }
  const entries = value.split(",").map((e) => e.trim());
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.has(entry) && !ipaddr.isValid(entry) && !isCidr(entry))
      throw new ConfigError(
        "--trust-proxy",
        `"${entry}" is not an address or CIDR; give false, true, a hop count, or addresses and CIDRs separated by commas.`,
      );
  }
  return entries;
}

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

/** Settings a caller may give; every one has a flag and an environment variable. */
export interface ControllerOptions {
  /** --data-dir / LAYERBOOM_DATA_DIR: where the embedded database lives. */
  dataDir?: string | undefined;
  /** --port / LAYERBOOM_PORT. 0 picks a free port. */
  port?: number | string | undefined;
  /** --host / LAYERBOOM_HOST. */
  host?: string | undefined;
  /** DATABASE_URL: use PostgreSQL instead of the embedded database. */
  databaseUrl?: string | undefined;
  /** LAYERBOOM_ADMIN_EMAIL / LAYERBOOM_ADMIN_PASSWORD: an unattended first admin. */
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
  /** --log-level / LAYERBOOM_LOG_LEVEL. */
  logLevel?: string | undefined;
  /** LAYERBOOM_SMTP_URL (smtp://user:pass@host:587, smtps://...) and LAYERBOOM_MAIL_FROM: outgoing mail. */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  /** LAYERBOOM_PUBLIC_URL: the origin customers reach, for links in mail. */
  publicUrl?: string | undefined;
  /** LAYERBOOM_WEB_ROOT: the built portal to serve at / (default packages/web/dist). */
  webRoot?: string | undefined;
  /**
   * LAYERBOOM_RESERVED_DOMAINS: the provider's own domains, comma-separated, which no reseller
   * may claim as a portal domain, nor any name under them (docs/security.md, "Portal domains").
   * The public URL's host and the listen host are always reserved.
   */
  reservedDomains?: string | undefined;
  /**
   * --outbound-allow / LAYERBOOM_OUTBOUND_ALLOW: hosts and ranges that image imports and
   * webhooks may reach although they are not public (`mirror.internal,10.0.0.0/8,127.0.0.1:9000`).
   * Default none.
   */
  outboundAllow?: string | undefined;
  /** --dns-servers / LAYERBOOM_DNS_SERVERS: the DNS servers that resolve names tenants give (`192.0.2.53,[2001:db8::53]:5353`). */
  dnsServers?: string | undefined;
  /**
   * LAYERBOOM_IMAGE_MAX_VIRTUAL_SIZE: the largest virtual disk an import may claim, inclusive
   * (`512G`, `1T`, or bytes). Default 512 GiB.
   */
  imageMaxVirtualSize?: string | undefined;
  /** LAYERBOOM_IMAGE_FREE_SPACE_RESERVE: space image jobs and uploads leave free on the blob volume. Default 5 GiB. */
  imageFreeSpaceReserve?: string | undefined;
  /**
   * --trust-proxy / LAYERBOOM_TRUST_PROXY: which proxies' X-Forwarded-* headers to believe:
   * `false` (default), `true` (any), a hop count, or a comma-separated list of addresses and
   * CIDRs. Behind a TLS proxy this makes session cookies Secure and throttles the client's address.
   */
  trustProxy?: string | undefined;
  /** LAYERBOOM_SECRET_KEY: 32 bytes in base64 that seal TOTP secrets; by default <data dir>/secret.key. */
  secretKey?: string | undefined;
  /** LAYERBOOM_METRICS_TOKEN: the bearer token a Prometheus scrape of /metrics must send. */
  metricsToken?: string | undefined;
  /** --ec2-region / LAYERBOOM_EC2_REGION: the region name of the EC2 API (docs/ec2.md). Default `local-1`. */
  ec2Region?: string | undefined;
  /** --metrics-listen / LAYERBOOM_METRICS_LISTEN: serve /metrics on its own address (127.0.0.1:9464). */
  metricsListen?: string | undefined;
}

export interface CompiledControllerOptions {
  dataDir: string;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  logLevel: string;
  mail: { smtpUrl: string; from: string } | undefined;
  publicUrl: string | undefined;
  webRoot: string | undefined;
  /** Image pipeline limits (docs/security.md, "Files, blobs and quotas"); undefined: the default. */
  images: { maxVirtualSize: number | undefined; freeSpaceReserveBytes: number | undefined };
  /** Names no reseller may claim (LAYERBOOM_RESERVED_DOMAINS plus the listen host); the public URL's host is added by the app. */
  reservedDomains: string[];
  /** The outbound guard's allowlist and DNS servers (docs/security.md, "Outbound requests"). */
  outbound: { allowlist: string[]; dnsServers: string[] | undefined };
  /** Fastify's trustProxy: false, true, a hop count, or proxy addresses and CIDRs. */
  trustProxy: TrustProxy;
  /** The key that seals TOTP secrets; undefined to use (or create) <data dir>/secret.key. */
  secretKey: Buffer | undefined;
  /** Who may read /metrics; neither set means nobody (docs/security.md, "Metrics"). */
  metrics: { token: string | undefined; listen: { host: string; port: number } | undefined };
  /** The EC2 API's region name. */
  ec2Region: string;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Fills defaults from the environment and validates, once, at start-up. Flags win over the environment. */
export function compileControllerOptions(
  raw: ControllerOptions,
  env: NodeJS.ProcessEnv = process.env,
): CompiledControllerOptions {
  const portText = String(raw.port ?? env["LAYERBOOM_PORT"] ?? "8080");
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError("--port", `"${portText}" is not a TCP port.`);
  const databaseUrl = raw.databaseUrl ?? env["DATABASE_URL"];
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL", "must be a postgres:// or postgresql:// URL.");
  }
  const adminEmail = raw.adminEmail ?? env["LAYERBOOM_ADMIN_EMAIL"];
  const adminPassword = raw.adminPassword ?? env["LAYERBOOM_ADMIN_PASSWORD"];
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError("LAYERBOOM_ADMIN_PASSWORD", "must have at least 12 characters.");
  }
  const logLevel = raw.logLevel ?? env["LAYERBOOM_LOG_LEVEL"] ?? "info";
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError("--log-level", `must be one of ${LOG_LEVELS.join(", ")}.`);
  const smtpUrl = raw.smtpUrl ?? env["LAYERBOOM_SMTP_URL"];
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl))
    throw new ConfigError("LAYERBOOM_SMTP_URL", "must be an smtp:// or smtps:// URL.");
  const mailFrom = raw.mailFrom ?? env["LAYERBOOM_MAIL_FROM"];
  if (
    smtpUrl !== undefined &&
    (mailFrom === undefined || !/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(mailFrom))
  )
    throw new ConfigError(
      "LAYERBOOM_MAIL_FROM",
      "must be a sender address (billing@example.com) when LAYERBOOM_SMTP_URL is set.",
    );
  const publicUrl = raw.publicUrl ?? env["LAYERBOOM_PUBLIC_URL"];
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(publicUrl))
    throw new ConfigError("LAYERBOOM_PUBLIC_URL", "must be an origin such as https://panel.example.com.");
  const webRoot = raw.webRoot ?? env["LAYERBOOM_WEB_ROOT"];
  const reservedDomains = commaList(raw.reservedDomains ?? env["LAYERBOOM_RESERVED_DOMAINS"]).map((entry) => {
    try {
      return parseReservedDomain(entry);
    } catch (err) {
      throw new ConfigError("LAYERBOOM_RESERVED_DOMAINS", (err as Error).message);
    }
  });
  const outbound = compileOutbound(
    raw.outboundAllow ?? env["LAYERBOOM_OUTBOUND_ALLOW"],
    raw.dnsServers ?? env["LAYERBOOM_DNS_SERVERS"],
  );
  const trustProxy = parseTrustProxy(raw.trustProxy ?? env["LAYERBOOM_TRUST_PROXY"] ?? "false");
  const secretKeyText = raw.secretKey ?? env["LAYERBOOM_SECRET_KEY"];
  const secretKey = secretKeyText === undefined ? undefined : parseSecretKey(secretKeyText);
  if (secretKeyText !== undefined && !secretKey)
    throw new ConfigError("LAYERBOOM_SECRET_KEY", "must be 32 bytes in base64 (openssl rand -base64 32).");
  const metricsToken = raw.metricsToken ?? env["LAYERBOOM_METRICS_TOKEN"];
  // A guessable token would reopen what it closes: the metrics map tenants to hosts.
  if (metricsToken !== undefined && !/^[\x21-\x7e]{32,}$/.test(metricsToken))
    throw new ConfigError(
      "LAYERBOOM_METRICS_TOKEN",
      "must be at least 32 printable characters without spaces (openssl rand -hex 32).",
    );
  const metricsListenText = raw.metricsListen ?? env["LAYERBOOM_METRICS_LISTEN"];
  const ec2Region = raw.ec2Region ?? env["LAYERBOOM_EC2_REGION"] ?? "local-1";
  // It is part of every SigV4 credential scope, so it must be what SDKs accept as a region.
  if (!/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/.test(ec2Region))
    throw new ConfigError(
      "LAYERBOOM_EC2_REGION",
      "must be lower-case letters, digits and hyphens, such as local-1.",
    );
  return {
    dataDir: resolve(raw.dataDir ?? env["LAYERBOOM_DATA_DIR"] ?? ".data"),
    port,
    host: raw.host ?? env["LAYERBOOM_HOST"] ?? "127.0.0.1",
    databaseUrl,
    adminEmail,
    adminPassword,
    logLevel,
    mail: smtpUrl !== undefined && mailFrom !== undefined ? { smtpUrl, from: mailFrom } : undefined,
    publicUrl: publicUrl?.replace(/\/$/, ""),
    webRoot: webRoot === undefined ? undefined : resolve(webRoot),
    images: {
      maxVirtualSize: byteSize(
        "LAYERBOOM_IMAGE_MAX_VIRTUAL_SIZE",
        raw.imageMaxVirtualSize ?? env["LAYERBOOM_IMAGE_MAX_VIRTUAL_SIZE"],
        1,
      ),
      freeSpaceReserveBytes: byteSize(
        "LAYERBOOM_IMAGE_FREE_SPACE_RESERVE",
        raw.imageFreeSpaceReserve ?? env["LAYERBOOM_IMAGE_FREE_SPACE_RESERVE"],
        0,
      ),
    },
    reservedDomains: [...reservedDomains, raw.host ?? env["LAYERBOOM_HOST"] ?? "127.0.0.1"],
    outbound,
    trustProxy,
    secretKey,
    metrics: {
      token: metricsToken,
      listen: metricsListenText === undefined ? undefined : parseListen(metricsListenText),
    },
    ec2Region,
  };
}

/** `host:port` or `[v6]:port`, for --metrics-listen. */
function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError("--metrics-listen", `"${text}" is not host:port (such as 127.0.0.1:9464).`);
  return { host, port };
}

/** A size setting (`512G`, `5GiB`, bytes), at least `min` bytes; undefined when not set. */
function byteSize(setting: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const bytes = parseByteSize(text);
  if (bytes === undefined || bytes < min)
    throw new ConfigError(setting, `"${text}" is not a size such as 512G, 5GiB or a number of bytes.`);
  return bytes;
}

function commaList(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
}

/** Each entry parsed now, so a typo stops the controller instead of silently allowing nothing. */
function compileOutbound(
  allowText: string | undefined,
  dnsText: string | undefined,
): CompiledControllerOptions["outbound"] {
  const allowlist = commaList(allowText);
  for (const entry of allowlist) {
    try {
      parseAllowEntry(entry);
    } catch (err) {
      if (err instanceof AllowEntryError) throw new ConfigError("LAYERBOOM_OUTBOUND_ALLOW", err.message);
      throw err;
    }
  }
  const servers = commaList(dnsText);
  for (const server of servers) {
    try {
      parseDnsServer(server);
    } catch (err) {
      if (err instanceof DnsServerError) throw new ConfigError("LAYERBOOM_DNS_SERVERS", err.message);
      throw err;
    }
  }
  return { allowlist, dnsServers: servers.length > 0 ? servers : undefined };
}
