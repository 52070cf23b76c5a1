import { join } from "node:path";
import { migrate, openDatabase } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import pino from "pino";
import { createSmtpMailer } from "./mail/mailer.js";
import { LOG_REDACTIONS, buildApp } from "./app.js";
import { BlobStore } from "./blobs/blob-store.js";
import { loadOrCreateKeyFile } from "./base/secret-box.js";
import { bootstrapProvider } from "./bootstrap.js";
import type { BootstrapResult } from "./bootstrap.js";
import type { CompiledControllerOptions } from "./config.js";
import type { App } from "./http/types.js";

export interface RunningController {
  url: string;
  app: App;
  database: Database;
  bootstrap: BootstrapResult;
  /** Image files served to agents. */
  blobs: BlobStore;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, makes sure a first admin exists, and listens. */
export async function startController(options: CompiledControllerOptions): Promise<RunningController> {
  const database = await openDatabase(
    options.databaseUrl ? { url: options.databaseUrl } : { dataDir: join(options.dataDir, "db") },
  );
  try {
    await migrate(database);
    const bootstrap = await bootstrapProvider(database, {
      adminEmail: options.adminEmail,
      adminPassword: options.adminPassword,
    });
    // Readable lines on a terminal, JSON lines otherwise (journald, log shippers).
    const pretty = process.stdout.isTTY
      ? (await import("pino-pretty")).default({ colorize: true, translateTime: "SYS:HH:MM:ss" })
      : undefined;
    const logger = pino({ level: options.logLevel, redact: LOG_REDACTIONS }, pretty);
    const app = await buildApp({
      database,
      loggerInstance: logger,
      blobDir: join(options.dataDir, "blobs"),
      ...(options.mail ? { mailer: createSmtpMailer(options.mail) } : {}),
      publicUrl: options.publicUrl ?? `http://${options.host}:${options.port}`,
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      imageJobs: {
        limits: {
          ...(options.images.maxVirtualSize ? { maxVirtualSize: options.images.maxVirtualSize } : {}),
          ...(options.images.freeSpaceReserveBytes !== undefined
            ? { freeSpaceReserveBytes: options.images.freeSpaceReserveBytes }
            : {}),
        },
      },
      outbound: options.outbound,
      portalDomains: { reserved: options.reservedDomains },
      trustProxy: options.trustProxy,
      secretKey: options.secretKey ?? (await loadOrCreateKeyFile(join(options.dataDir, "secret.key"))),
      metrics: options.metrics,
      ec2: { region: options.ec2Region },
    });
    const url = await app.listen({ port: options.port, host: options.host });
    return {
      url,
      app,
      database,
      bootstrap,
      blobs: new BlobStore(join(options.dataDir, "blobs")),
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
