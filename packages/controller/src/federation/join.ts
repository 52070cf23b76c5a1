import { ConflictError, InvalidInputError, requireProviderAdmin } from "@layerboom/core";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import type { SecretBox } from "../base/secret-box.js";
import { PeerAnswerError, ProfileNotConfiguredError } from "./errors.js";
import { loadSigningIdentity, normaliseBaseUrl } from "./identity.js";
import { checkProfile } from "./peer-client.js";
import type { PeerAnswer, PeerClient } from "./peer-client.js";
import { findPeerByFingerprint, getPeer, recordPeer } from "./peers.js";
import type { PeerView } from "./peers.js";

export interface JoinDeps {
  secretBox: SecretBox;
  peers: PeerClient;
}

/** The peer's error, as its one error shape says it, for the admin who asked. */
function refusal(baseUrl: string, answer: PeerAnswer): ConflictError {
  const error = (
    answer.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
  )?.error;
  const message =
    typeof error?.message === "string" ? error.message.slice(0, 500) : `status ${answer.status}`;
  return new ConflictError(`${baseUrl} refused: ${message}`, {
    reason: "peer_refused",
    peer_status: answer.status,
    ...(typeof error?.code === "string" ? { peer_code: error.code } : {}),
    ...(error?.details && typeof error.details === "object" ? { peer_details: error.details } : {}),
  });
}

/**
 * Redeems another installation's invitation (A's side of a peering): fetch its profile at the
 * URL the admin gave, send it ours with the token in a signed request, and record it as a
 * pending peer with the key its profile showed. Both admins then compare fingerprints and approve.
 */
export async function joinPeer(
  ctx: ServiceContext,
  deps: JoinDeps,
  input: { url: string; token: string },
): Promise<PeerView> {
  requireProviderAdmin(ctx.principal, "join federation peers");
  const { profile: own, signing } = await loadSigningIdentity(ctx.database.db, deps.secretBox);
  if (!own.url || !own.name) throw new ProfileNotConfiguredError("joining a peer");
  const baseUrl = normaliseBaseUrl(input.url);
  if (!baseUrl)
    throw new InvalidInputError(
      "url",
      `"${input.url}" is not a base URL: give http(s)://host[:port] with no path, query or credentials.`,
    );
  const remote = await deps.peers.fetchProfile(baseUrl);
  if (remote.fingerprint === own.fingerprint)
    throw new PeerAnswerError(`${baseUrl} is this installation itself.`);
  // A pending peer may be joined again (with a new invitation): both sides refresh their record.
  const known = await findPeerByFingerprint(ctx.database.db, remote.fingerprint);
  if (known && known.state !== "pending")
    throw new ConflictError(
      `${baseUrl} (key ${remote.fingerprint}) is already a peer here, ${known.state}.`,
      {
        reason: "already_peered",
        peer_state: known.state,
      },
    );
  // B's answer must be signed with the key its profile showed, for this request.
  const answer = await deps.peers.signed(
    signing,
    baseUrl,
    { method: "POST", path: "/peerings", body: { token: input.token, profile: own } },
    remote,
  );
  if (answer.status !== 201) throw refusal(baseUrl, answer);
  const confirmed = checkProfile((answer.body as { profile?: unknown } | undefined)?.profile, baseUrl);
  if (confirmed.fingerprint !== remote.fingerprint)
    throw new PeerAnswerError(
      `${baseUrl} answered the peering with another key (${confirmed.fingerprint}) than its profile's (${remote.fingerprint}).`,
    );
  const id = await ctx.database.db.transaction().execute(async (trx) => {
    const peer = await recordPeer(trx, remote, "joined", null);
    await recordAudit(trx, ctx, {
      action: "federation.peer.join",
      resourceType: "federation_peer",
      resourceId: peer.id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { fingerprint: peer.fingerprint, url: peer.url },
    });
    return peer.id;
  });
  return getPeer(ctx, id);
}

/** How a peer sees this installation, asked with a signed request (a pending or active peer only). */
export async function checkPeer(
  ctx: ServiceContext,
  deps: JoinDeps,
  id: string,
): Promise<{ peer: PeerView; remote: { state: string; name: string; fingerprint: string } }> {
  const peer = await getPeer(ctx, id);
  requireProviderAdmin(ctx.principal, "check federation peers");
  if (peer.state !== "pending" && peer.state !== "active")
    throw new ConflictError(`This peer is ${peer.state}: it is not called.`, { state: peer.state });
  const { signing } = await loadSigningIdentity(ctx.database.db, deps.secretBox);
  const answer = await deps.peers.signed(signing, peer.url, { method: "GET", path: "/peering" }, peer);
  if (answer.status !== 200) throw refusal(peer.url, answer);
  const body = answer.body as { state?: unknown; name?: unknown; fingerprint?: unknown } | undefined;
  if (typeof body?.state !== "string" || body.fingerprint !== peer.fingerprint)
    throw new PeerAnswerError(`${peer.url} answered with another key than the one peered.`);
  return {
    peer,
    remote: {
      state: body.state,
      name: typeof body.name === "string" ? body.name : "",
      fingerprint: peer.fingerprint,
    },
  };
}
