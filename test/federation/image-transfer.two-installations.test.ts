import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  IMAGE_BLOB_KEY_PURPOSE,
  OutboundGuard,
  PeerClient,
  SecretBox,
  ensureImageAtPeer,
  imageBlobPath,
  imageBlobToken,
} from "@layerboom/controller";
import type { PeerImageState } from "@layerboom/controller";
import { describeOnDatabase } from "../support/databases.js";
import { peerThem, sendSigned, startTwoInstallations } from "../support/federation.js";
import type { TwoInstallations } from "../support/federation.js";
import { eventually } from "../support/hosts.js";
import { jobFinished, makeQcow2, uploadImage } from "../support/image-jobs.js";

/**
 * A customer's image travels from A to B (docs/federation.md "Remote servers: the protocol"): A
 * makes a URL for its blob that only B may fetch, for an hour, and B imports it through its own
 * pipeline into the account that represents A, once per SHA-256. Two real installations; B's
 * outbound guard refuses loopback, so the fetch reaches A only through the peering's allowance.
 */
describeOnDatabase("postgres", "an image travels from A to B", () => {
  let t: TwoInstallations;
  let peerOfA = ""; // B as recorded on A
  let peerOfB = ""; // A as recorded on B
  let scratch = "";
  let image = { id: "", sha256: "", size: 0 };
  let other = { id: "", sha256: "", size: 0 };
  let sendDeps: Parameters<typeof ensureImageAtPeer>[0];
  const macKeyA = () => new SecretBox(t.secretKeyA).derivedKey(IMAGE_BLOB_KEY_PURPOSE);
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3_600;
  const peerBOnA = () =>
    t.a.database.db
      .selectFrom("federation_peers")
      .selectAll()
      .where("id", "=", peerOfA)
      .executeTakeFirstOrThrow();

  async function importOnA(name: string, virtualSize: string) {
    const file = join(scratch, `${name}.qcow2`);
    await makeQcow2(file, virtualSize);
    const queued = await uploadImage(t.a, t.a.adminToken, file, { name });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await jobFinished(t.apiA, queued.body.id);
    expect(job.state, JSON.stringify(job.error)).toBe("succeeded");
    const row = await t.a.database.db
      .selectFrom("images")
      .select(["id", "sha256", "size_bytes"])
      .where("id", "=", job.image_id)
      .executeTakeFirstOrThrow();
    return { id: row.id, sha256: row.sha256 ?? "", size: row.size_bytes ?? 0 };
  }

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "image-transfer-"));
    t = await startTwoInstallations();
    ({ peerOfA, peerOfB } = await peerThem(t));
    image = await importOnA("tiny-disk", "2M");
    other = await importOnA("other-disk", "3M");
    sendDeps = {
      database: t.a.database,
      secretBox: new SecretBox(t.secretKeyA),
      peers: new PeerClient(new OutboundGuard()),
    };
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("B's own guard does not reach A by default: a URL import of A's blob by B's admin is refused", async () => {
    const token = imageBlobToken(macKeyA(), { imageId: image.id, peerId: peerOfA, expiresAt: inAnHour() });
    const queued = await t.apiB.post("/images/imports", {
      url: `${t.originA}${imageBlobPath(token)}`,
      name: "by-hand",
    });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await jobFinished(t.apiB, queued.body.id);
    expect(job.state).toBe("failed");
    expect(job.error.check).toBe("fetch-address");
  });

  it("sends the image once: B imports it through its pipeline into A's representative account", async () => {
    const peer = await peerBOnA();
    const seen: PeerImageState[] = [];
    const final = await eventually(
      "the image to be available at B",
      async () => {
        const state = await ensureImageAtPeer(sendDeps, peer, { id: image.id });
        seen.push(state);
        expect(state.state, JSON.stringify(state)).not.toBe("failed");
        return state.state === "available" ? state : undefined;
      },
      60_000,
    );
    expect(final).toEqual({ state: "available" });
    expect(seen[0]?.state).toMatch(/^(importing|available)$/);

    const aOnB = await t.b.database.db
      .selectFrom("federation_peers")
      .select("represented_by_account_id")
      .where("id", "=", peerOfB)
      .executeTakeFirstOrThrow();
    expect(aOnB.represented_by_account_id).toMatch(/^acc/);
    const served = await t.b.database.db
      .selectFrom("federation_served_images")
      .selectAll()
      .where("peer_id", "=", peerOfB)
      .execute();
    expect(served).toHaveLength(1);
    expect(served[0]?.sha256).toBe(image.sha256);
    const imported = await t.b.database.db
      .selectFrom("images")
      .selectAll()
      .where("id", "=", served[0]?.image_id ?? "")
      .executeTakeFirstOrThrow();
    expect(imported.account_id).toBe(aOnB.represented_by_account_id);
    expect(imported.status).toBe("available");
    expect(imported.visibility).toBe("private");
    // Through B's own pipeline: fetched, the digest A named verified, inspected, converted.
    const steps = imported.pipeline.map((s) => s.step);
    expect(steps).toEqual(expect.arrayContaining(["fetch", "verify", "inspect", "convert", "checksum"]));
    expect(imported.pipeline.find((s) => s.step === "verify")).toMatchObject({
      sha256: image.sha256,
      published: true,
    });
    expect(imported.pipeline.find((s) => s.step === "inspect")).toMatchObject({ format: "qcow2" });
    expect(imported.source).toContain(`${t.originA}/federation/v1/image-blobs/`);
  });

  it("a second call sends nothing new", async () => {
    const jobsBefore = await t.b.database.db.selectFrom("image_jobs").select("id").execute();
    const again = await ensureImageAtPeer(sendDeps, await peerBOnA(), { id: image.id });
    expect(again).toEqual({ state: "available" });
    const jobsAfter = await t.b.database.db.selectFrom("image_jobs").select("id").execute();
    expect(jobsAfter).toEqual(jobsBefore);
    // A send of the same digest (a racing create job) answers the state and queues nothing either.
    const token = imageBlobToken(macKeyA(), { imageId: image.id, peerId: peerOfA, expiresAt: inAnHour() });
    const resent = await sendSigned(t.originB, t.signingA, "POST", "/images", {
      body: {
        sha256: image.sha256,
        size_bytes: image.size,
        name: "tiny-disk",
        url: `${t.originA}${imageBlobPath(token)}`,
      },
    });
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body).toEqual({ sha256: image.sha256, state: "available" });
    expect(await t.b.database.db.selectFrom("image_jobs").select("id").execute()).toEqual(jobsBefore);
  });

  it("serves the blob for a good token, and the same 404 for an altered, expired or another image's token", async () => {
    const good = imageBlobToken(macKeyA(), { imageId: image.id, peerId: peerOfA, expiresAt: inAnHour() });
    const res = await fetch(`${t.originA}${imageBlobPath(good)}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(image.size);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(image.sha256);

    const [payload, mac] = [good.slice(0, good.lastIndexOf(".")), good.slice(good.lastIndexOf(".") + 1)];
    const flipped = `${payload}.${mac[0] === "A" ? "B" : "A"}${mac.slice(1)}`;
    const expired = imageBlobToken(macKeyA(), {
      imageId: image.id,
      peerId: peerOfA,
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    // The MAC of the first image's token, the second image named in it.
    const otherImage = `${payload.replace(image.id, other.id)}.${mac}`;
    // A token under another installation's key (B's) for A's own image.
    const foreign = imageBlobToken(new SecretBox(t.secretKeyB).derivedKey(IMAGE_BLOB_KEY_PURPOSE), {
      imageId: image.id,
      peerId: peerOfA,
      expiresAt: inAnHour(),
    });
    const answers: Record<string, unknown> = {};
    for (const [what, token] of Object.entries({ flipped, expired, otherImage, foreign, junk: "x.y" })) {
      const refused = await fetch(`${t.originA}${imageBlobPath(token)}`);
      answers[what] = [refused.status, ((await refused.json()) as { error: { code: string } }).error.code];
    }
    expect(answers).toEqual({
      flipped: [404, "not_found"],
      expired: [404, "not_found"],
      otherImage: [404, "not_found"],
      foreign: [404, "not_found"],
      junk: [404, "not_found"],
    });
    // The second image's own token works: the refusal above is the MAC's, not the image's.
    const own = imageBlobToken(macKeyA(), { imageId: other.id, peerId: peerOfA, expiresAt: inAnHour() });
    expect((await fetch(`${t.originA}${imageBlobPath(own)}`)).status).toBe(200);
  });

  it("B refuses a URL on another host than A's recorded address (400 invalid_input naming url)", async () => {
    const token = imageBlobToken(macKeyA(), { imageId: other.id, peerId: peerOfA, expiresAt: inAnHour() });
    const elsewhere = new URL(`${t.originA}${imageBlobPath(token)}`);
    elsewhere.hostname = "localhost";
    for (const url of [elsewhere.href, `http://198.51.100.7${imageBlobPath(token)}`, "not a url"]) {
      const refused = await sendSigned(t.originB, t.signingA, "POST", "/images", {
        body: { sha256: other.sha256, size_bytes: 1024, name: "other-disk", url },
      });
      expect(refused.status, `${url}: ${JSON.stringify(refused.body)}`).toBe(400);
      expect(refused.body.error.details.field).toBe("url");
    }
    const unknown = await sendSigned(t.originB, t.signingA, "GET", `/images/${other.sha256}`);
    expect(unknown.status).toBe(404);
  });

  it("B fails an import whose bytes are not the SHA-256 A named, and says why", async () => {
    const claimed = createHash("sha256").update("not the image").digest("hex");
    const token = imageBlobToken(macKeyA(), { imageId: other.id, peerId: peerOfA, expiresAt: inAnHour() });
    const sent = await sendSigned(t.originB, t.signingA, "POST", "/images", {
      body: {
        sha256: claimed,
        size_bytes: 1024,
        name: "other-disk",
        url: `${t.originA}${imageBlobPath(token)}`,
      },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.state).toMatch(/^(importing|failed)$/);
    const failed = await eventually(
      "the import to fail",
      async () => {
        const res = await sendSigned(t.originB, t.signingA, "GET", `/images/${claimed}`);
        return res.body.state === "failed" ? res.body : undefined;
      },
      60_000,
    );
    expect(failed.error).toContain(other.sha256);
    expect(failed.error).toContain(claimed);
    // ensureImageAtPeer reports a failure rather than sending again, unless asked to retry.
    const served = await t.b.database.db
      .selectFrom("federation_served_images")
      .select("image_id")
      .where("sha256", "=", claimed)
      .executeTakeFirstOrThrow();
    expect(served.image_id).toBeNull();
    // Asking never starts it again; sending it again does (a failure may have been passing).
    const jobsOf = async () =>
      (await t.b.database.db.selectFrom("image_jobs").select(["id", "spec"]).execute()).filter(
        (j) => j.spec.expected_sha256 === claimed,
      );
    expect(await jobsOf()).toHaveLength(1);
    await sendSigned(t.originB, t.signingA, "GET", `/images/${claimed}`);
    expect(await jobsOf()).toHaveLength(1);
    const again = await sendSigned(t.originB, t.signingA, "POST", "/images", {
      body: {
        sha256: claimed,
        size_bytes: 1024,
        name: "other-disk",
        url: `${t.originA}${imageBlobPath(token)}`,
      },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(await jobsOf()).toHaveLength(2);
  });

  it("two sends of one image at once queue one import", async () => {
    const token = imageBlobToken(macKeyA(), { imageId: other.id, peerId: peerOfA, expiresAt: inAnHour() });
    const body = {
      sha256: other.sha256,
      size_bytes: other.size,
      name: "other-disk",
      url: `${t.originA}${imageBlobPath(token)}`,
    };
    const answers = await Promise.all(
      [1, 2, 3].map(() => sendSigned(t.originB, t.signingA, "POST", "/images", { body })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const jobs = (await t.b.database.db.selectFrom("image_jobs").select("spec").execute()).filter(
      (j) => j.spec.expected_sha256 === other.sha256,
    );
    expect(jobs).toHaveLength(1);
    const peer = await peerBOnA();
    await eventually(
      "the second image to be available at B",
      async () =>
        (await ensureImageAtPeer(sendDeps, peer, { id: other.id })).state === "available" ? true : undefined,
      60_000,
    );
  });

  it("a token outlives no peering: once A suspends B, B's token is the same 404", async () => {
    const token = imageBlobToken(macKeyA(), { imageId: image.id, peerId: peerOfA, expiresAt: inAnHour() });
    expect((await fetch(`${t.originA}${imageBlobPath(token)}`)).status).toBe(200);
    const suspended = await t.apiA.post(`/federation/peers/${peerOfA}/suspend`, {});
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    try {
      expect((await fetch(`${t.originA}${imageBlobPath(token)}`)).status).toBe(404);
    } finally {
      const resumed = await t.apiA.post(`/federation/peers/${peerOfA}/approve`, {
        fingerprint: t.profileB.fingerprint,
      });
      expect(resumed.body.state).toBe("active");
    }
  });

  it("refuses an unsigned send", async () => {
    const res = await fetch(`${t.originB}/federation/v1/images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sha256: image.sha256, size_bytes: 1, name: "x", url: `${t.originA}/x` }),
    });
    expect(res.status).toBe(401);
  });
});
