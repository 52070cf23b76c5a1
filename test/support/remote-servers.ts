import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { newId } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { buildApp, representativeAccount } from "@layerboom/controller";
import type { App } from "@layerboom/controller";
import { TEST_METRICS_TOKEN, TEST_SSH_KEY } from "./controller.js";
import { peerThem, startTwoInstallations } from "./federation.js";
import type { TwoInstallations } from "./federation.js";
import { addIdleHost } from "./hosts.js";
import { createTenant } from "./tenants.js";
import type { Tenant } from "./tenants.js";

/** Two peered installations where B offers A a site with room (an idle host) and a plan. */
export interface RemoteServerWorld {
  t: TwoInstallations;
  /** B as recorded on A, and A as recorded on B. */
  peerOfA: string;
  peerOfB: string;
  siteB: string;
  planB: string;
  hostB: string;
  offerOnA: string;
  /** A customer directly under A's provider, with an SSH key and a disk image of its own. */
  customer: Tenant;
  sshKeyId: string;
  imageA: string;
  sha256: string;
  /** The account that represents A at B, and A's image as B holds it. */
  representedByB: string;
  imageB: string;
}

/** B's wholesale prices for its plan in the offer; A sells at 25 % more. */
export const WHOLESALE = { hourly: 1234, monthlyCap: 600_000 };
export const RETAIL = { hourly: 1543, monthlyCap: 750_000 };

/**
 * Starts A and B, peers them, has B offer A its site and first plan (capacity `maxServers`), and
 * gives A a customer with a key and an image. The image is made available at B directly: that
 * step is the image transfer's (image-transfer.ts, tested on its own), not what these tests are
 * about; A's create job still asks B for it (GET /federation/v1/images/{sha256}) before the create.
 * `webRootA`: A also serves the built portal (the browser tests).
 */
export async function remoteServerWorld(
  options: { maxServers?: number; webRootA?: string } = {},
): Promise<RemoteServerWorld> {
  const t = await startTwoInstallations(options.webRootA ? { webRootA: options.webRootA } : {});
  const { peerOfA, peerOfB } = await peerThem(t);
  const siteB: string = (await t.apiB.get("/sites")).body.items[0].id;
  const planB: string = (await t.apiB.get("/plans")).body.items[0].id;
  const hostB = await addIdleHost(t.b, siteB);
  const offer = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
    currency: "CAD",
    site_ids: [siteB],
    plans: [
      { plan_id: planB, hourly_price_minor: WHOLESALE.hourly, monthly_cap_minor: WHOLESALE.monthlyCap },
    ],
    max_servers: options.maxServers ?? 5,
  });
  expect(offer.status, JSON.stringify(offer.body)).toBe(201);
  expect(offer.body.pushed_version).toBe(1);
  const offerOnA: string = (await t.apiA.get("/federation/offers")).body.items[0].id;
  const markup = await t.apiA.put(`/federation/offers/${offerOnA}/markup`, { basis_points: 2500 });
  expect(markup.status, JSON.stringify(markup.body)).toBe(200);

  const customer = await createTenant(t.a, t.apiA, "customer");
  const key = await customer.api.post("/ssh-keys", { name: "laptop", public_key: TEST_SSH_KEY });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  const sha256 = randomBytes(32).toString("hex");
  // A disk image as A's import pipeline leaves one.
  const imageA = newId("image");
  await insertDiskImage(t.a.database.db, {
    id: imageA,
    accountId: customer.accountId,
    name: "web-disk",
    sha256,
  });
  // Test setup in place of the image transfer: B holds A's image, imported into A's account there.
  const represented = await representativeAccount(t.b.database, { id: peerOfB });
  const imageB = newId("image");
  await insertDiskImage(t.b.database.db, {
    id: imageB,
    accountId: represented.id,
    name: `web-disk-${sha256.slice(0, 12)}`,
    sha256,
  });
  await t.b.database.db
    .insertInto("federation_served_images")
    .values({ peer_id: peerOfB, sha256, image_id: imageB, job_id: null })
    .execute();
  return {
    t,
    peerOfA,
    peerOfB,
    siteB,
    planB,
    hostB,
    offerOnA,
    customer,
    sshKeyId: key.body.id,
    imageA,
    sha256,
    representedByB: represented.id,
    imageB,
  };
}

/**
 * Stops B's controller (its HTTP server and job runner; its database stays) and returns a
 * function that starts it again on the same database, secret key and port, as a restarted
 * installation would be. The restarted app must be closed by the caller before the world.
 */
export async function stopB(w: RemoteServerWorld): Promise<() => Promise<App>> {
  const port = Number(new URL(w.t.b.url).port);
  await w.t.b.app.close();
  return async () => {
    const app = await buildApp({
      database: w.t.b.database,
      blobDir: w.t.b.blobDir,
      logger: false,
      webRoot: false,
      metrics: { token: TEST_METRICS_TOKEN },
      secretKey: w.t.secretKeyB,
    });
    await app.listen({ port, host: "127.0.0.1" });
    return app;
  };
}

/** A private qcow2 disk image row, as an import pipeline leaves one (test setup). */
async function insertDiskImage(
  db: Kysely<Schema>,
  image: { id: string; accountId: string; name: string; sha256: string },
): Promise<void> {
  await db
    .insertInto("images")
    .values({
      id: image.id,
      account_id: image.accountId,
      name: image.name,
      visibility: "private",
      status: "available",
      format: "qcow2",
      size_bytes: 1 << 20,
      sha256: image.sha256,
      md5: null,
      deleted_at: null,
      kernel_sha256: null,
      kernel_size_bytes: null,
      initrd_sha256: null,
      initrd_size_bytes: null,
      kernel_append: null,
    })
    .execute();
}
