import { resolve } from "node:path";

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
  };
}
