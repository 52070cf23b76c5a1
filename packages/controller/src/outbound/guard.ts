import { lookup as systemLookup } from "node:dns/promises";
import type { IncomingHttpHeaders } from "node:http";
import { Transform } from "node:stream";
import type { Readable } from "node:stream";
import { rootCertificates } from "node:tls";
import { Agent, buildConnector, request } from "undici";
import { normaliseHostName, OutboundAllowlist } from "./allowlist.js";
import { classifyAddress, literalAddress } from "./classify.js";
import { createResolver } from "./resolver.js";

/**
 * Which rule refused an outbound request. `connect` covers every way a connection can fail
 * (refused, reset, unreachable, TLS, no answer in time) so that a tenant cannot tell a closed
 * port from a filtered one or a slow one: the guard is not a port scanner.
 */
export type OutboundRule =
  "url" | "resolve" | "address" | "redirects" | "connect" | "size" | "time" | "broken";

/** An outbound request the guard refused or could not complete; the message is safe to show the tenant. */
export class OutboundRefusedError extends Error {
  constructor(
    readonly rule: OutboundRule,
    /** The host as the URL named it. */
    readonly host: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OutboundRefusedError";
  }
}

/** The DNS questions the guard asks; `node:dns/promises` Resolver (see createResolver) is one. */
export interface HostResolver {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

/** A host name the provider vouched for is resolved as the controller's own system resolves it (/etc/hosts included). */
export type SystemLookup = (name: string) => Promise<{ address: string; family: number }[]>;

export interface OutboundGuardOptions {
  /** The provider's exceptions (LAYERBOOM_OUTBOUND_ALLOW). Default: none. */
  allowlist?: OutboundAllowlist | readonly string[] | undefined;
  /** Resolves names tenants give. Default: createResolver(dnsServers). */
  resolver?: HostResolver;
  /** LAYERBOOM_DNS_SERVERS, when no resolver is given. */
  dnsServers?: string[] | undefined;
  /** How allowlisted names are resolved. Default: the system's getaddrinfo. */
  systemLookup?: SystemLookup;
  /** Longest wait for a TCP (and TLS) connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Certificate authorities trusted besides Node's own roots (PEM), for a provider's internal CA. */
  extraCa?: readonly string[];
}

/** A URL whose host has been resolved once and judged; requests go to `address` and nowhere else. */
export interface CheckedTarget {
  url: URL;
  /** The host as the URL names it (for messages and the Host header). */
  host: string;
  port: number;
  address: string;
  /** True when an allowlist entry, not the public-address rule, let it through. */
  allowlisted: boolean;
}

export interface OutboundRequestOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Redirects followed, each checked like the first URL. 0 returns a 3xx as it is. Default 5. */
  maxRedirects?: number;
  /** Everything (every hop, and reading the body) must be done within this. */
  timeoutMs: number;
  /** Bytes of body above which reading fails (checked against Content-Length and while streaming). */
  maxBytes?: number;
  /** Aborting it (a shutdown) rejects with the signal's reason, not with a refusal. */
  signal?: AbortSignal;
}

export interface OutboundResponse {
  /** The URL that answered, after redirects. */
  url: URL;
  status: number;
  headers: IncomingHttpHeaders;
  /** Content-Length when the server declared one. */
  declaredBytes: number | undefined;
  /** The body, capped; it fails with an OutboundRefusedError (`size`, `time`, `broken`). */
  body: Readable;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function portOf(url: URL): number {
  return url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
}

function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * The one way the controller makes an HTTP request for a tenant (image URLs, webhooks, and
 * later federation peers and EC2 user-data). Each URL's host is resolved once, every address it
 * resolves to must be public (or allowlisted), and the connection is made to the address that
 * was checked, with the name kept for SNI, certificate checks and the Host header: a DNS answer
 * that changes between the check and the connection (rebinding) is never asked for.
 */
export class OutboundGuard {
  readonly allowlist: OutboundAllowlist;
  private readonly resolver: HostResolver;
  private readonly systemLookup: SystemLookup;
  private readonly connectTimeoutMs: number;
  private readonly ca: string[] | undefined;
  private readonly options: OutboundGuardOptions;

  constructor(options: OutboundGuardOptions = {}) {
    this.options = options;
    this.allowlist =
      options.allowlist instanceof OutboundAllowlist
        ? options.allowlist
        : new OutboundAllowlist(options.allowlist ?? []);
    this.resolver = options.resolver ?? createResolver(options.dnsServers);
    this.systemLookup = options.systemLookup ?? ((name) => systemLookup(name, { all: true, verbatim: true }));
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.ca = options.extraCa?.length ? [...rootCertificates, ...options.extraCa] : undefined;
  }

  /**
   * This guard with more exceptions, for requests an admin vouched for by name: a federation
   * peer's address is allowed by peering with it (docs/federation.md), never by default.
   */
  allowing(entries: readonly string[]): OutboundGuard {
    return new OutboundGuard({
      ...this.options,
      resolver: this.resolver,
      systemLookup: this.systemLookup,
      allowlist: new OutboundAllowlist([...this.allowlist.entries, ...entries]),
    });
  }

  /** The URL rules that need no network: http or https, no credentials. */
  checkUrl(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new OutboundRefusedError("url", "", `"${text}" is not an absolute URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new OutboundRefusedError(
        "url",
        url.hostname,
        `only http and https URLs are fetched, not ${url.protocol.replace(/:$/, "")}`,
      );
    }
    if (url.username || url.password) {
      throw new OutboundRefusedError("url", url.hostname, "a URL with credentials in it is refused");
    }
    return url;
  }

  /**
   * What can be said of a URL before any DNS question: its syntax, and, when its host is an
   * address (in any spelling the URL parser accepts: 2130706433, 0x7f000001, [::ffff:7f00:1]),
   * whether that address is public. Names are judged when they are used, since their
   * addresses may change.
   */
  checkWithoutResolving(text: string): URL {
    const url = this.checkUrl(text);
    const address = literalAddress(url.hostname);
    const port = portOf(url);
    if (address !== undefined) this.judge(hostOf(url), address, port);
    else if (this.isLocalName(url.hostname) && !this.allowlist.allowsHost(url.hostname, port))
      throw this.notPublic(hostOf(url), "localhost");
    return url;
  }

  /** Resolves a URL's host once and judges every address; the target is where to connect. */
  async resolveTarget(url: URL): Promise<CheckedTarget> {
    const host = hostOf(url);
    const port = portOf(url);
    const literal = literalAddress(url.hostname);
    if (literal !== undefined) {
      const allowlisted = this.judge(host, literal, port);
      return { url, host, port, address: literal, allowlisted };
    }
    const name = normaliseHostName(host);
    if (this.allowlist.allowsHost(name, port)) {
      const found = await this.systemLookup(name).catch(() => []);
      const first = found[0];
      if (!first) throw new OutboundRefusedError("resolve", host, `could not resolve ${host}`);
      return { url, host, port, address: first.address, allowlisted: true };
    }
    if (this.isLocalName(name)) throw this.notPublic(host, "localhost");
    const [v4, v6] = await Promise.all([
      this.resolver.resolve4(name).catch(() => [] as string[]),
      this.resolver.resolve6(name).catch(() => [] as string[]),
    ]);
    const addresses = [...v4, ...v6];
    const first = addresses[0];
    if (first === undefined) throw new OutboundRefusedError("resolve", host, `could not resolve ${host}`);
    let allowlisted = false;
    for (const address of addresses) allowlisted = this.judge(host, address, port) || allowlisted;
    return { url, host, port, address: classifyAddress(first).address, allowlisted };
  }

  /**
   * Sends one request, following redirects (each hop resolved and judged like the first),
   * with the whole exchange bounded in time and the body in size. The caller reads (or
   * destroys) the body; the connection is closed when the body ends.
   */
  async request(urlText: string, options: OutboundRequestOptions): Promise<OutboundResponse> {
    const maxRedirects = options.maxRedirects ?? 5;
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let url = this.checkWithoutResolving(urlText);
    for (let hop = 0; ; hop++) {
      const target = await this.resolveTarget(url);
      const agent = this.pinnedAgent(target);
      let answer: Awaited<ReturnType<typeof request>>;
      try {
        answer = await request(url, {
          dispatcher: agent,
          method: options.method ?? "GET",
          headers: options.headers,
          body: options.body,
          signal,
        });
      } catch (err) {
        void agent.destroy().catch(() => undefined);
        if (options.signal?.aborted) throw options.signal.reason;
        throw new OutboundRefusedError("connect", target.host, `could not connect to ${target.host}`, {
          cause: err,
        });
      }
      const location = answer.headers["location"];
      if (maxRedirects > 0 && REDIRECTS.has(answer.statusCode) && typeof location === "string") {
        await answer.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        void agent.close().catch(() => undefined);
        if (hop >= maxRedirects) {
          throw new OutboundRefusedError(
            "redirects",
            hostOf(new URL(urlText)),
            `too many redirects (more than ${maxRedirects}) from ${hostOf(new URL(urlText))}`,
          );
        }
        let next: string;
        try {
          next = new URL(location, url).href;
        } catch {
          throw new OutboundRefusedError(
            "url",
            target.host,
            `${target.host} redirected to something that is not a URL`,
          );
        }
        url = this.checkWithoutResolving(next);
        continue;
      }
      return this.capped(target, answer, agent, options, signal);
    }
  }

  /** Whether an address may be reached on a port; throws the refusal a tenant sees when not. */
  private judge(host: string, address: string, port: number): boolean {
    const verdict = classifyAddress(address);
    if (verdict.public) return false;
    if (this.allowlist.allowsAddress(verdict.address, port)) return true;
    throw this.notPublic(host, verdict.range);
  }

  private isLocalName(hostname: string): boolean {
    const name = normaliseHostName(hostname);
    return name === "localhost" || name.endsWith(".localhost");
  }

  private notPublic(host: string, range: string): OutboundRefusedError {
    return new OutboundRefusedError("address", host, `the address of ${host} is not public (${range})`);
  }

  /**
   * An agent for one hop whose every connection goes to the checked address. undici still
   * builds TLS from the URL's host, so SNI and the certificate check use the name.
   */
  private pinnedAgent(target: CheckedTarget): Agent {
    const connect = buildConnector({ timeout: this.connectTimeoutMs, ...(this.ca ? { ca: this.ca } : {}) });
    return new Agent({
      connections: 1,
      pipelining: 0,
      connect: (opts, callback) => {
        if (opts.hostname.replace(/^\[|\]$/g, "") !== target.host) {
          callback(new Error(`this connection is pinned to ${target.host}, not ${opts.hostname}`), null);
          return;
        }
        connect({ ...opts, hostname: target.address }, callback);
      },
    });
  }

  private capped(
    target: CheckedTarget,
    answer: Awaited<ReturnType<typeof request>>,
    agent: Agent,
    options: OutboundRequestOptions,
    signal: AbortSignal,
  ): OutboundResponse {
    const { host } = target;
    const declaredText = answer.headers["content-length"];
    const declared =
      typeof declaredText === "string" && /^\d+$/.test(declaredText) ? Number(declaredText) : undefined;
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        seen += chunk.length;
        if (seen > maxBytes) {
          callback(new OutboundRefusedError("size", host, `${host} sent more than the ${maxBytes}-byte cap`));
          return;
        }
        callback(null, chunk);
      },
    });
    const release = () => {
      answer.body.once("error", () => undefined).destroy();
      void agent.destroy().catch(() => undefined);
    };
    if (declared !== undefined && declared > maxBytes) {
      release();
      throw new OutboundRefusedError(
        "size",
        host,
        `${host} offers ${declared} bytes, above the ${maxBytes}-byte cap`,
      );
    }
    counter.once("close", release);
    answer.body.once("error", (err) => {
      if (options.signal?.aborted) counter.destroy(options.signal.reason as Error);
      else if (signal.aborted)
        counter.destroy(
          new OutboundRefusedError("time", host, `${host} did not finish within ${options.timeoutMs} ms`, {
            cause: err,
          }),
        );
      else
        counter.destroy(
          new OutboundRefusedError("broken", host, `the answer from ${host} broke off`, { cause: err }),
        );
    });
    answer.body.pipe(counter);
    return {
      url: target.url,
      status: answer.statusCode,
      headers: answer.headers,
      declaredBytes: declared,
      body: counter,
    };
  }
}
