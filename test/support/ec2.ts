import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EC2Client } from "@aws-sdk/client-ec2";
import { SignatureV4 } from "@smithy/signature-v4";
import { expect } from "vitest";
import type { ApiClient, TestController } from "./controller.js";
import { NodeSha256 } from "./node-sha256.js";

/** Debian's awscli (installed by .ci/run), never another one that happens to be on PATH. */
export const AWS_CLI = "/usr/bin/aws";
export const EC2_REGION = "local-1";

export interface Ec2Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The /ec2 endpoint of a test controller. */
export function ec2Endpoint(c: TestController): string {
  return `${new URL(c.url).origin}/ec2`;
}

/** Creates an access key through the REST API, as `layerboom ec2-credentials create` does. */
export async function createEc2Credentials(api: ApiClient, name = "test"): Promise<Ec2Credentials> {
  const res = await api.post("/ec2-credentials", { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { accessKeyId: res.body.id, secretAccessKey: res.body.secret_access_key };
}

/** What the SDK logged above debug: both clients must parse every answer without a warning. */
export interface SdkLog {
  warnings: string[];
}

/** An SDK client for the controller, one attempt per call (a retry would hide the first answer). */
export function ec2Sdk(
  c: TestController,
  credentials: Ec2Credentials,
  options: { systemClockOffset?: number; log?: SdkLog } = {},
): EC2Client {
  const log = options.log;
  const note = (...args: unknown[]) =>
    log?.warnings.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  return new EC2Client({
    endpoint: ec2Endpoint(c),
    region: EC2_REGION,
    credentials,
    maxAttempts: 1,
    ...(options.systemClockOffset !== undefined ? { systemClockOffset: options.systemClockOffset } : {}),
    // error() reports each failed call (expected ones too); a warning is what must never come.
    logger: { debug: () => undefined, info: () => undefined, warn: note, error: () => undefined },
  });
}

export interface AwsCliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON. */
  json: any;
}

/**
 * Runs awscli against the controller with its own config and credentials files in a temporary
 * folder (nothing of the machine's ~/.aws or AWS_* environment leaks in), as an argument array.
 * `faketimeOffset` runs it under faketime (`-16m`): awscli has no clock option of its own.
 */
export async function awsCli(
  c: TestController,
  credentials: Ec2Credentials,
  args: string[],
  options: { faketimeOffset?: string } = {},
): Promise<AwsCliResult> {
  const dir = await mkdtemp(join(tmpdir(), "lb-aws-"));
  try {
    await writeFile(join(dir, "config"), `[default]\nregion = ${EC2_REGION}\noutput = json\ncli_pager =\n`);
    await writeFile(
      join(dir, "credentials"),
      `[default]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`,
    );
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
    Object.assign(env, {
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_PAGER: "",
      AWS_MAX_ATTEMPTS: "1",
      HOME: dir,
    });
    const argv = ["--endpoint-url", ec2Endpoint(c), "--no-cli-pager", "ec2", ...args];
    const [file, fileArgs] = options.faketimeOffset
      ? ["faketime", ["-f", options.faketimeOffset, AWS_CLI, ...argv]]
      : [AWS_CLI, argv];
    return await new Promise<AwsCliResult>((resolve) => {
      execFile(
        file,
        fileArgs,
        { env, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          let json: unknown;
          try {
            json = stdout.trim() ? JSON.parse(stdout) : undefined;
          } catch {
            json = undefined;
          }
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout, stderr, json });
        },
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs awscli and expects it to succeed without a word on stderr (no warning, no parse trouble). */
export async function awsOk(c: TestController, credentials: Ec2Credentials, args: string[]): Promise<any> {
  const r = await awsCli(c, credentials, args);
  expect({ code: r.code, stderr: r.stderr }, `aws ec2 ${args.join(" ")}`).toEqual({ code: 0, stderr: "" });
  return r.json;
}

/** A raw Query API POST, signed by the SDK's signer at `signingDate` (default now). */
export async function signedEc2Post(
  c: TestController,
  credentials: Ec2Credentials,
  form: Record<string, string>,
  signingDate = new Date(),
): Promise<{ status: number; body: string; contentType: string | null }> {
  const url = new URL(ec2Endpoint(c));
  const body = new URLSearchParams({ Version: "2016-11-15", ...form }).toString();
  const signer = new SignatureV4({ credentials, region: EC2_REGION, service: "ec2", sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body,
    },
    { signingDate },
  );
  const res = await fetch(url, { method: "POST", headers: signed.headers as Record<string, string>, body });
  return { status: res.status, body: await res.text(), contentType: res.headers.get("content-type") };
}
