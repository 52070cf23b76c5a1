import { afterAll, beforeAll, expect, it } from "vitest";
import { recordObservations } from "@layerboom/controller";
import type { App } from "@layerboom/controller";
import { describeOnDatabase } from "../support/databases.js";
import { sendSigned } from "../support/federation.js";
import { TEST_SSH_KEY } from "../support/controller.js";
import { eventually, runCli } from "../support/hosts.js";
import { RETAIL, WHOLESALE, remoteServerWorld, stopB } from "../support/remote-servers.js";
import type { RemoteServerWorld } from "../support/remote-servers.js";
import { createTenant } from "../support/tenants.js";

/**
 * Remote servers between two installations (docs/federation.md, "Remote servers"): A's customer
 * creates, powers and deletes a server at B's site through A; B runs it in the account that
 * represents A, at the offer's wholesale price, and pushes its states back. B's refusals:
 * remote-servers.refused-by-b.test.ts.
 */
describeOnDatabase("postgres", "remote servers between two installations", () => {
  let w: RemoteServerWorld;
  let restartedB: App | undefined;
  let first = ""; // the API's server on A
  let remoteFirst = ""; // its id at B

  const servedOnB = () =>
    w.t.b.database.db
      .selectFrom("federation_served_servers as f")
      .innerJoin("servers as s", "s.id", "f.server_id")
      .selectAll("f")
      .select(["s.account_id", "s.desired_state", "s.reboot_seq", "s.name", "s.deleted_at"])
      .orderBy("f.created_at")
      .execute();
  const onB = async (id: string) => (await servedOnB()).find((s) => s.server_id === id)!;
  const viewOnA = async (id: string) => (await w.customer.api.get(`/remote-servers/${id}`)).body;

  beforeAll(async () => {
    w = await remoteServerWorld();
  }, 180_000);
  afterAll(async () => {
    await restartedB?.close();
    await w?.t.close();
  });

  it("A's customer creates at B's site through the API: B holds one server in A's account, at the wholesale price", async () => {
    const created = await w.customer.api.post("/remote-servers", {
      name: "web-1",
      site_id: w.siteB,
      plan_id: w.planB,
      image_id: w.imageA,
      ssh_key_ids: [w.sshKeyId],
      user_data: "#cloud-config\n",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    first = created.body.id;
    expect(first).toMatch(/^rsv_/);
    expect(created.body).toMatchObject({
      name: "web-1",
      site_id: w.siteB,
      plan_id: w.planB,
      operated_by: "Provider B (Québec)",
      currency: "CAD",
      hourly_price_minor: RETAIL.hourly,
      monthly_cap_minor: RETAIL.monthlyCap,
      desired_state: "running",
      state: "creating",
      remote_server_id: null,
    });
    // The customer never sees the wholesale price.
    expect(JSON.stringify(created.body)).not.toMatch(/wholesale|1234/);

    const answered = await eventually("B's answer to the create", async () => {
      const view = await viewOnA(first);
      return view.remote_server_id ? view : undefined;
    });
    remoteFirst = answered.remote_server_id;
    expect(answered).toMatchObject({ state: "provisioning", remote_state: "provisioning", last_error: null });
    expect(answered.last_seen_at).not.toBeNull();

    const served = await servedOnB();
    expect(served).toHaveLength(1);
    expect(served[0]).toMatchObject({
      server_id: remoteFirst,
      peer_id: w.peerOfB,
      idempotency_key: first,
      offer_version: 1,
      currency: "CAD",
      wholesale_hourly_minor: WHOLESALE.hourly,
      wholesale_monthly_cap_minor: WHOLESALE.monthlyCap,
      account_id: w.representedByB,
      desired_state: "running",
    });
    expect(served[0]!.name).toMatch(/^web-1-[0-9a-z]{8}$/);
    // A's customer's key travelled and is installed on B's server; A keeps the prices it pinned.
    const keys = await w.t.b.database.db
      .selectFrom("server_ssh_keys as k")
      .innerJoin("ssh_keys as s", "s.id", "k.ssh_key_id")
      .select(["s.public_key", "s.account_id"])
      .where("k.server_id", "=", remoteFirst)
      .execute();
    expect(keys).toEqual([{ public_key: TEST_SSH_KEY, account_id: w.representedByB }]);
    const row = await w.t.a.database.db
      .selectFrom("remote_servers")
      .selectAll()
      .where("id", "=", first)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      peer_id: w.peerOfA,
      retail_hourly_minor: RETAIL.hourly,
      wholesale_hourly_minor: WHOLESALE.hourly,
      wholesale_monthly_cap_minor: WHOLESALE.monthlyCap,
    });
  });

  it("a create job run again sends the same key: B answers the same server and makes no second one", async () => {
    // As if A had crashed after B created the server but before A recorded B's answer.
    await w.t.a.database.db
      .updateTable("remote_servers")
      .set({ remote_server_id: null, remote_state: "creating" })
      .where("id", "=", first)
      .execute();
    const job = await w.t.a.database.db
      .selectFrom("jobs")
      .select("payload")
      .where("unique_key", "=", `federation.remote-server:create:${first}`)
      .executeTakeFirstOrThrow();
    await w.t.a.database.db
      .insertInto("jobs")
      .values({
        task: "federation.remote-server",
        payload: JSON.stringify(job.payload),
        group_key: `federation.remote-server:${first}`,
        group_limit: 1,
      })
      .execute();
    const again = await eventually("the retried create's answer", async () => {
      const view = await viewOnA(first);
      return view.remote_server_id ? view : undefined;
    });
    expect(again.remote_server_id).toBe(remoteFirst);
    expect(await servedOnB()).toHaveLength(1);
  });

  it("B pushes the state its agent observes, and A shows it", async () => {
    const before = await onB(remoteFirst);
    await recordObservations(w.t.b.database, w.hostB, [
      { server_id: remoteFirst, generation: 1, state: "running" },
    ]);
    const bumped = await onB(remoteFirst);
    expect(Number(bumped.state_version)).toBe(Number(before.state_version) + 1);
    const view = await eventually("the pushed state on A", async () => {
      const v = await viewOnA(first);
      return v.state === "running" ? v : undefined;
    });
    expect(view.remote_state).toBe("running");
    await eventually("B's record of the acknowledgement", async () =>
      Number((await onB(remoteFirst)).pushed_version) === Number(bumped.state_version) ? true : undefined,
    );
    // The same observation again changes nothing a peer should hear of.
    await recordObservations(w.t.b.database, w.hostB, [
      { server_id: remoteFirst, generation: 1, state: "running" },
    ]);
    expect(Number((await onB(remoteFirst)).state_version)).toBe(Number(bumped.state_version));
  });

  it("stop, start, reboot and delete through A change B's desired state", async () => {
    const act = async (action: string) => {
      const res = await w.customer.api.post(`/remote-servers/${first}/actions`, { action });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    };
    await act("stop");
    expect((await viewOnA(first)).desired_state).toBe("stopped");
    await eventually("B's server stopped", async () =>
      (await onB(remoteFirst)).desired_state === "stopped" ? true : undefined,
    );
    // Through the CLI: `servers start rsv_…` goes to the remote server.
    const started = await runCli(w.t.a, w.customer.token, ["-o", "json", "servers", "start", first]);
    expect(started.code, started.output).toBe(0);
    expect(JSON.parse(started.output)).toMatchObject({ id: first, desired_state: "running" });
    await eventually("B's server started", async () =>
      (await onB(remoteFirst)).desired_state === "running" ? true : undefined,
    );
    const rebootSeq = Number((await onB(remoteFirst)).reboot_seq);
    await act("reboot");
    await eventually("B's server rebooted", async () =>
      Number((await onB(remoteFirst)).reboot_seq) === rebootSeq + 1 ? true : undefined,
    );
    const deleted = await w.customer.api.del(`/remote-servers/${first}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(202);
    expect(deleted.body.desired_state).toBe("deleted");
    await eventually("B's server deleted", async () =>
      (await onB(remoteFirst)).desired_state === "deleted" ? true : undefined,
    );
    // A deleted server takes no more actions.
    expect((await w.customer.api.post(`/remote-servers/${first}/actions`, { action: "start" })).status).toBe(
      409,
    );
    // When B's agent reports the disk gone, B says deleted and A's list lets it go.
    await recordObservations(w.t.b.database, w.hostB, [
      { server_id: remoteFirst, generation: 5, state: "deleted" },
    ]);
    await eventually("the deleted server gone from A's list", async () =>
      (await w.customer.api.get(`/remote-servers/${first}`)).status === 404 ? true : undefined,
    );
  });

  it("an account that requires a jurisdiction the site is not in cannot create there, and B makes nothing", async () => {
    const atBBefore = await w.t.b.database.db
      .selectFrom("federation_served_servers")
      .select("server_id")
      .execute();
    const restricted = await createTenant(w.t.a, w.t.apiA, "customer");
    const set = await w.t.apiA.patch(`/accounts/${restricted.accountId}`, { required_jurisdictions: ["US"] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await restricted.api.get("/partner-sites")).body.items).toEqual([]);
    const refused = await restricted.api.post("/remote-servers", {
      name: "web-us",
      site_id: w.siteB,
      plan_id: w.planB,
      image_id: w.imageA,
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error.details).toMatchObject({ field: "site_id" });
    expect((await restricted.api.get("/remote-servers")).body.items).toEqual([]);
    const atBAfter = await w.t.b.database.db
      .selectFrom("federation_served_servers")
      .select("server_id")
      .execute();
    expect(atBAfter).toHaveLength(atBBefore.length);
  });

  it("creates from the CLI at a partner site; another tenant sees none of it", async () => {
    const run = await runCli(w.t.a, w.customer.token, [
      "-o",
      "json",
      "servers",
      "create",
      "web-2",
      "--site",
      w.siteB,
      "--plan",
      w.planB,
      "--image",
      w.imageA,
      "--ssh-key",
      w.sshKeyId,
    ]);
    expect(run.code, run.output).toBe(0);
    const created = JSON.parse(run.output);
    expect(created).toMatchObject({ name: "web-2", site_id: w.siteB, hourly_price_minor: RETAIL.hourly });
    expect(created.id).toMatch(/^rsv_/);
    const listed = await runCli(w.t.a, w.customer.token, ["-o", "json", "remote-servers", "list"]);
    expect(JSON.parse(listed.output).map((s: any) => s.id)).toEqual([created.id]);
    await eventually("B's answer to the CLI's create", async () =>
      (await viewOnA(created.id)).remote_server_id ? true : undefined,
    );
    expect(
      (await servedOnB()).filter((s) => s.deleted_at === null && s.desired_state !== "deleted"),
    ).toHaveLength(1);

    const other = await createTenant(w.t.a, w.t.apiA, "customer");
    expect((await other.api.get(`/remote-servers/${created.id}`)).status).toBe(404);
    expect((await other.api.post(`/remote-servers/${created.id}/actions`, { action: "stop" })).status).toBe(
      404,
    );
    expect((await other.api.del(`/remote-servers/${created.id}`)).status).toBe(404);
    expect((await other.api.get("/remote-servers")).body.items).toEqual([]);
    // The provider's admin sees its customers' servers, as with /servers.
    expect((await w.t.apiA.get("/remote-servers")).body.items.map((s: any) => s.id)).toContain(created.id);
  });

  it("A applies only a newer state_version, whether pushed or read, and re-reads what a lost push left", async () => {
    const id: string = (await w.customer.api.get("/remote-servers")).body.items[0].id;
    const row = () =>
      w.t.a.database.db
        .selectFrom("remote_servers")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    const held = await row();
    const push = (state: string, version: number, remoteId = held.remote_server_id) =>
      sendSigned(w.t.originA, w.t.signingB, "POST", "/server-states", {
        body: { servers: [{ id: remoteId, state, addresses: [], state_version: version }] },
      });
    const older = await push("error", Number(held.remote_state_version));
    expect(older.body).toEqual({ applied: 0 });
    expect((await row()).remote_state).toBe(held.remote_state);
    // Another of B's servers, or one that is not B's to speak of, changes nothing here.
    expect((await push("error", 1_000, "srv_00000000000000000000000000")).body).toEqual({ applied: 0 });
    const newer = await push("error", Number(held.remote_state_version) + 100);
    expect(newer.body).toEqual({ applied: 1 });
    expect((await viewOnA(id)).state).toBe("error");
    // A re-read (GET /servers, as the minute's schedule does) brings B's own word back only when
    // B's version is newer: here B is behind what was forged above, so A keeps it...
    const reread = async () => {
      await w.t.a.database.db
        .insertInto("jobs")
        .values({ task: "federation.reread-remote-servers", payload: JSON.stringify({ peer_id: w.peerOfA }) })
        .execute();
      await eventually("the re-read", async () =>
        (await w.t.a.database.db
          .selectFrom("jobs")
          .select("state")
          .where("task", "=", "federation.reread-remote-servers")
          .where("state", "in", ["queued", "running"])
          .executeTakeFirst())
          ? undefined
          : true,
      );
    };
    await reread();
    expect((await row()).remote_state).toBe("error");
    // ...and a state A missed (its version lowered as if the push had been lost) comes back.
    await w.t.a.database.db
      .updateTable("remote_servers")
      .set({ remote_state: "creating", remote_state_version: 0 })
      .where("id", "=", id)
      .execute();
    await reread();
    const recovered = await row();
    expect(recovered.remote_state).toBe("provisioning");
    expect(Number(recovered.remote_state_version)).toBe(
      Number((await onB(held.remote_server_id!)).state_version),
    );
  });

  it("while B is down A shows unknown and when it was last seen; a stop asked meanwhile runs once when B is back", async () => {
    const id: string = (await w.customer.api.get("/remote-servers")).body.items[0].id;
    const remoteId: string = (await viewOnA(id)).remote_server_id;
    const seen = (await viewOnA(id)).last_seen_at;
    expect(seen).not.toBeNull();
    const startB = await stopB(w);

    const asked = await w.customer.api.post(`/remote-servers/${id}/actions`, { action: "stop" });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const unknown = await eventually("A's view of an unreachable B", async () => {
      const v = await viewOnA(id);
      return v.state === "unknown" ? v : undefined;
    });
    expect(unknown.last_seen_at).toBe(seen);
    expect(unknown.last_error).toMatch(/could not be reached/);
    expect(unknown.desired_state).toBe("stopped");
    // Let the job fail a few times against the closed port.
    await new Promise((r) => setTimeout(r, 3_000));

    restartedB = await startB();
    await eventually(
      "the stop at B once it is back",
      async () => ((await onB(remoteId)).desired_state === "stopped" ? true : undefined),
      90_000,
    );
    // Its job is done (nothing of this server's left queued) and A hears B again.
    await eventually("the stop's job finished", async () =>
      (await w.t.a.database.db
        .selectFrom("jobs")
        .select("id")
        .where("group_key", "=", `federation.remote-server:${id}`)
        .where("state", "in", ["queued", "running"])
        .executeTakeFirst())
        ? undefined
        : true,
    );
    const back = await viewOnA(id);
    expect(back).toMatchObject({ desired_state: "stopped", last_error: null });
    expect(back.state).not.toBe("unknown");
    expect(Date.parse(back.last_seen_at)).toBeGreaterThan(Date.parse(seen));
    const stops = await w.t.b.database.db
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "server.stop")
      .where("resource_id", "=", remoteId)
      .execute();
    expect(stops).toHaveLength(1);
  }, 150_000);
});
