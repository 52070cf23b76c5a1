import type { JobRunner } from "../jobs/job-runner.js";
import { REREAD_TASK, remoteServerTask, rereadAllPeers, rereadPeer } from "./remote-server-jobs.js";
import type { RemoteServerJobDeps } from "./remote-server-jobs.js";
import { REMOTE_SERVER_TASK } from "./remote-server-queue.js";
import { PUSH_STATES_TASK } from "../agents/served-observations.js";
import { pushAllServerStates, pushServerStates } from "./served-state-push.js";

const PUSH_ALL_TASK = "federation.push-all-server-states";
const REREAD_ALL_TASK = "federation.reread-all-remote-servers";

/**
 * The background work of remote servers (docs/federation.md, "Remote servers"), on both sides:
 * as B, pushing state changes to peers (a job per change, and every 30 s whatever is left); as A,
 * the durable create, action and delete jobs, and re-reading each partner every minute.
 */
export function scheduleRemoteServerWork(runner: JobRunner, deps: RemoteServerJobDeps): void {
  runner.define<{ peer_id: string }>(PUSH_STATES_TASK, {
    run: async (payload) => {
      await pushServerStates(deps, payload.peer_id);
    },
    grouped: true,
    // The 30-second sweep pushes whatever a given-up job left.
    maxAttempts: 3,
    backoff: { baseMs: 2_000, maxMs: 10_000 },
  });
  runner.define(PUSH_ALL_TASK, {
    run: async () => pushAllServerStates(deps),
    maxAttempts: 1,
  });
  runner.schedule({ name: PUSH_ALL_TASK, task: PUSH_ALL_TASK, everyMs: 30_000 });

  runner.define(REMOTE_SERVER_TASK, remoteServerTask(deps));
  runner.define<{ peer_id: string }>(REREAD_TASK, {
    run: async (payload) => rereadPeer(deps, payload.peer_id),
    maxAttempts: 1,
  });
  runner.define(REREAD_ALL_TASK, {
    run: async () => rereadAllPeers(deps),
    maxAttempts: 1,
  });
  runner.schedule({ name: REREAD_ALL_TASK, task: REREAD_ALL_TASK, everyMs: 60_000 });
}
