import { connect } from "node:net";
import { newId } from "@layerboom/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_PASSWORD, TEST_SSH_KEY, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, ApiResponse, TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/**
 * 400, never 500 (issue 12): every route of the live OpenAPI document (so routes added later
 * are walked too) gets, as the provider admin who reaches furthest, a body with a NUL byte and
 * then a lone surrogate in each string field, out-of-range numbers in each number field,
 * bodies of the wrong shape, hostile query strings and hostile path parameters. Nothing may
 * answer 5xx, and bad text must be a 400 that names its field.
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  minItems?: number;
  default?: unknown;
}

interface Operation {
  method: string;
  path: string;
  body?: JsonSchema;
  /** The body is text (a CSV import), not JSON. */
  textBody: boolean;
  query: { name: string; schema: JsonSchema }[];
}

const NUL = "bad\u0000text";
const LONE_SURROGATE = "bad\uD800text";

/** Plausible values for fields whose schema is a pattern, so the rest of a body passes. */
const FIELD_SAMPLES: Record<string, unknown> = {
  email: "someone@example.test",
  password: "a long enough password",
  public_key: TEST_SSH_KEY,
  period: "2026-01",
  currency: "CAD",
  country_code: "CA",
  region_code: "CA-ON",
  time_zone: "UTC",
  url: "https://example.com/hook",
  cidr: "203.0.113.0/24",
  gateway: "203.0.113.1",
  slug: "slug-x",
  code: "CODE1",
  invoice_prefix: "INV",
  region: "CA-ON",
  domain: "portal.example.test",
};

/** A value that satisfies `schema` as far as is cheap to know, for the fields not under test. */
function sample(schema: JsonSchema, name = ""): unknown {
  if (name in FIELD_SAMPLES) return FIELD_SAMPLES[name];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice?.[0]) return sample(choice[0], name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key] ?? {}, key);
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sample(schema.items ?? {}, name),
      );
    case "integer":
    case "number":
      return Math.max(1, schema.minimum ?? 1);
    case "boolean":
      return true;
    case "string":
      return schema.format === "date-time" ? new Date(Date.now() + 86_400_000).toISOString() : "x";
    default:
      return "x";
  }
}

/** Every leaf of a schema with its path, through optional fields too (they are where bugs hide). */
function leaves(
  schema: JsonSchema,
  path: string[] = [],
): { path: string[]; type: string; schema: JsonSchema }[] {
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) {
    // Unions of literals are one enum-like leaf; unions of objects: walk the first.
    const objects = choice.filter((c) => c.type === "object");
    if (objects[0]) return leaves(objects[0], path);
    const first = choice[0];
    return first ? leaves(first, path) : [];
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "object")
    return Object.entries(schema.properties ?? {}).flatMap(([k, s]) => leaves(s, [...path, k]));
  if (type === "array") return leaves(schema.items ?? {}, [...path, "0"]);
  return [{ path, type: type ?? "unknown", schema }];
}

/** `base` (a sample body) with `value` at `path`, creating the containers on the way. */
function withValue(base: unknown, path: string[], value: unknown, schema: JsonSchema): unknown {
  if (path.length === 0) return value;
  const root = structuredClone(base ?? {}) as Record<string, unknown>;
  let node: Record<string, unknown> | unknown[] = root;
  let nodeSchema: JsonSchema = schema;
  path.forEach((key, i) => {
    const last = i === path.length - 1;
    const childSchema: JsonSchema =
      (nodeSchema.anyOf ?? nodeSchema.oneOf)?.find((c) => c.type === "object")?.properties?.[key] ??
      nodeSchema.properties?.[key] ??
      nodeSchema.items ??
      {};
    const container = node as Record<string, unknown>;
    if (last) container[key] = value;
    else {
      if (typeof container[key] !== "object" || container[key] === null)
        container[key] = path[i + 1] === "0" ? [] : sample(childSchema, key);
      node = container[key] as Record<string, unknown>;
      nodeSchema = childSchema;
    }
  });
  return root;
}

/**
 * The status a WebSocket upgrade request is answered with (101 when it is accepted), read off
 * the raw socket: Node's HTTP client gives up on a refused upgrade before reading the answer.
 */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const lines = [
        `GET ${pathname} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(0));
  });
}

const HOSTILE_PARAMS = [
  "%00",
  "x%00y",
  "%ED%A0%80",
  "%FF",
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "..",
  "%27%3B%20DROP%20TABLE%20servers%3B--",
  "a".repeat(5000),
  "srv_%C3%A9%F0%9F%98%80",
  "0",
  "-1",
  "1e400",
];

describeOnEachDatabase("malformed input never gives 5xx on %s", (kind) => {
  let c: TestController;
  let world: World;
  let admin: ApiClient;
  let operations: Operation[] = [];
  const fiveHundreds: string[] = [];

  /** A real id for the first path segment, so mutated bodies reach the handler. */
  function realId(path: string): string {
    const ids: Record<string, string> = {
      servers: world.a.serverId,
      "ssh-keys": world.a.sshKeyId,
      images: world.a.imageId,
      "image-jobs": world.a.jobId,
      tokens: world.a.tokenId,
      users: world.a.memberUserId,
      accounts: world.customer1.accountId,
      tickets: world.a.ticketId,
      webhooks: world.a.webhookId,
      invoices: world.a.invoiceId,
      hosts: world.hostId,
      sites: world.siteId,
      plans: world.planId,
    };
    return ids[path.split("/")[1] ?? ""] ?? newId("server");
  }

  function fill(path: string, param: (name: string) => string): string {
    return path.replace(/\{([^}]+)\}/g, (_m, name: string) => param(name));
  }

  async function send(
    label: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const res = await admin.call(method, path, body, headers);
    if (res.status >= 500)
      fiveHundreds.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res;
  }

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
    admin = apiClient(c.url, c.adminToken);
    const doc = await admin.get("/openapi.json");
    type Op = {
      parameters?: { in: string; name: string; schema: JsonSchema }[];
      requestBody?: { content: Record<string, { schema: JsonSchema }> };
    };
    operations = Object.entries(doc.body.paths as Record<string, Record<string, Op>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const content = op.requestBody?.content ?? {};
        const json = content["application/json"]?.schema;
        return {
          method: method.toUpperCase(),
          path,
          ...(json ? { body: json } : {}),
          textBody: !json && Object.keys(content).length > 0,
          query: (op.parameters ?? [])
            .filter((p) => p.in === "query")
            .map((p) => ({ name: p.name, schema: p.schema })),
        };
      }),
    );
  });
  afterAll(async () => c?.close());

  it("finds the routes of the live OpenAPI document", () => {
    expect(operations.length).toBeGreaterThan(80);
    expect(operations.filter((o) => o.body).length).toBeGreaterThan(30);
  });

  it("refuses a NUL byte and a lone surrogate in each string field with a 400 that names it", async () => {
    let checked = 0;
    for (const op of operations) {
      const path = fill(op.path, (name) => (name === "id" ? realId(op.path) : newId("backup")));
      if (op.textBody) {
        const res = await send(`${op.method} ${op.path} text`, op.method, path, NUL, {
          "content-type": "text/csv",
        });
        expect(res.status, `${op.method} ${op.path} text body`).toBeLessThan(500);
        continue;
      }
      if (!op.body) continue;
      const base = sample(op.body);
      for (const leaf of leaves(op.body).filter((l) => l.type === "string" || l.type === "unknown")) {
        for (const bad of [NUL, LONE_SURROGATE]) {
          const label = `${op.method} ${op.path} ${leaf.path.join(".")}=${JSON.stringify(bad)}`;
          // A body that is itself a string goes as a JSON string.
          const body =
            leaf.path.length === 0 ? JSON.stringify(bad) : withValue(base, leaf.path, bad, op.body);
          const res = await send(label, op.method, path, body);
          expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.error.details?.field, `${label}: ${JSON.stringify(res.body)}`).toBe(
            leaf.path.join(".") || "body",
          );
          checked++;
        }
      }
      // The same in an unknown field's name and in a query string.
      const key = await send(`${op.method} ${op.path} key`, op.method, path, {
        ...(base as object),
        [NUL]: 1,
      });
      expect(key.status, `${op.method} ${op.path} key`).toBe(400);
    }
    for (const op of operations.filter((o) => o.query.some((q) => q.schema.type === "string"))) {
      const q = op.query.find((p) => p.schema.type === "string");
      const path = fill(op.path, () => realId(op.path));
      const res = await send(
        `${op.method} ${op.path}?${q?.name}`,
        op.method,
        `${path}?${q?.name}=x%00y`,
        op.method === "GET" ? undefined : {},
      );
      expect(res.status, `${op.method} ${op.path}?${q?.name}=NUL`).toBe(400);
      expect(res.body.error.details.field).toBe(q?.name);
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("answers out-of-range numbers, wrong shapes and broken JSON without a 5xx", async () => {
    fiveHundreds.length = 0;
    for (const op of operations.filter((o) => o.body)) {
      const body = op.body as JsonSchema;
      const path = fill(op.path, (name) => (name === "id" ? realId(op.path) : newId("backup")));
      const base = sample(body);
      for (const leaf of leaves(body).filter((l) => l.type === "integer" || l.type === "number"))
        for (const bad of [1e15, -1e15, 2 ** 63])
          await send(
            `${op.method} ${op.path} ${leaf.path.join(".")}=${bad}`,
            op.method,
            path,
            withValue(base, leaf.path, bad, body),
          );
      // JSON as text: `"text"` is a JSON string, the last 5,000 arrays deep.
      for (const shape of ["[]", '"text"', "7", "null", `{"deep":${"[".repeat(5000)}${"]".repeat(5000)}}`])
        await send(`${op.method} ${op.path} shape ${shape.slice(0, 20)}`, op.method, path, shape);
      await send(`${op.method} ${op.path} broken JSON`, op.method, path, '{"name": "x"');
      await send(`${op.method} ${op.path} wrong type`, op.method, path, "name=x", {
        "content-type": "application/x-www-form-urlencoded",
      });
    }
    // Once, as deep as a body within the size limit can be (the parser is shared by every route).
    const deepest = `{"deep":${"[".repeat(120_000)}${"]".repeat(120_000)}}`;
    const deep = await send("POST /ssh-keys 120,000 deep", "POST", "/ssh-keys", deepest);
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toContain("nests deeper than 64");
    // Refused before the JSON parser spends its ~0.2 s on it: the same body cut short, which the
    // parser would call broken JSON, gets the depth answer, so the depth check ran first. (A
    // timed assertion said this before, and failed on a loaded machine.)
    const cut = await send(
      "POST /ssh-keys 120,000 deep, unclosed",
      "POST",
      "/ssh-keys",
      deepest.slice(0, 130_000),
    );
    expect(cut.status).toBe(400);
    expect(cut.body.error.message).toContain("nests deeper than 64");
    for (const op of operations)
      for (const q of op.query)
        for (const bad of ["99999999999999999999", "-1", "abc", "%ED%A0%80", "a".repeat(3000)])
          await send(
            `${op.method} ${op.path}?${q.name}=${bad.slice(0, 20)}`,
            op.method,
            `${fill(op.path, () => realId(op.path))}?${q.name}=${bad}`,
            op.method === "GET" || op.method === "DELETE" ? undefined : sample(op.body ?? {}),
          );
    expect(fiveHundreds).toEqual([]);
  });

  it("answers hostile path parameters without a 5xx", async () => {
    fiveHundreds.length = 0;
    for (const op of operations.filter((o) => o.path.includes("{")))
      for (const bad of HOSTILE_PARAMS)
        await send(
          `${op.method} ${op.path} param ${bad.slice(0, 30)}`,
          op.method,
          fill(op.path, () => bad),
          op.method === "GET" || op.method === "DELETE" ? undefined : op.body ? sample(op.body) : {},
        );
    expect(fiveHundreds).toEqual([]);
  });

  it("refuses Origin: null and other odd origins on the console with 403", async () => {
    const login = await fetch(`${c.url}/auth/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: world.customer1.email, password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(201);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    for (const origin of [
      "null",
      "file://",
      "http://[",
      "javascript:alert(1)",
      "data:,x",
      "http://evil.example",
    ]) {
      const status = await upgradeStatus(`${c.url}/servers/${world.a.serverId}/console`, { cookie, origin });
      expect(status, origin).toBe(403);
    }
  });

  it("bounds payment amounts, so GET /invoices/{id}/payments keeps working", async () => {
    const issuer = world.reseller1.api;
    const invoice = world.a.invoiceId;
    for (const amount of [1e13, 2 ** 63, 1e15]) {
      const res = await issuer.post(`/invoices/${invoice}/payments`, {
        amount_minor: amount,
        method: "wire",
      });
      expect(res.status, String(amount)).toBe(400);
      expect(res.body.error.details.field).toBe("amount_minor");
    }
    // The largest payment is taken (the part beyond what is due becomes credit)...
    expect(
      (await issuer.post(`/invoices/${invoice}/payments`, { amount_minor: 1e12, method: "wire" })).status,
    ).toBe(200);
    // ...but credit cannot grow past the bound by paying again.
    const again = await issuer.post(`/invoices/${invoice}/payments`, { amount_minor: 1e12, method: "wire" });
    expect(again.status).toBe(400);
    expect(again.body.error.details.field).toBe("amount_minor");
    const note = await issuer.post(`/invoices/${invoice}/credit-notes`, { amount_minor: 1e13, reason: "x" });
    expect(note.status).toBe(400);
    const payments = await issuer.get(`/invoices/${invoice}/payments`);
    expect(payments.status).toBe(200);
    expect(payments.body.items.map((p: { amount_minor: number }) => p.amount_minor)).toEqual([1e12]);
    expect((await world.customer1.api.get(`/invoices/${invoice}/payments`)).status).toBe(200);
  });
});
