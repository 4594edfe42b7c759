/**
 * Waits for a swarm service's rollout to finish, asking the manager through the docker
 * CLI (which also reaches `ssh://` managers). Swarm applies an update in the background
 * after the API call returns; without this wait `pulumi up` would report success for an
 * update that swarm later rolls back.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { dockerCliProcessEnvironment } from "../infra/graph/docker-cli.ts";
import { parseReplicas, rolloutState, type UpdateStatus } from "../infra/graph/rollout.ts";

const exec = promisify(execFile);

export interface RolloutWait {
  serviceId: string;
  dockerHost: string | undefined;
  /** The provider's ssh flags, for a manager reached over ssh. */
  sshOptions?: readonly string[];
  timeoutSeconds: number;
  /** How often the manager is asked. */
  pollMilliseconds?: number;
  /** How long swarm gets to start an update of an existing service before "no update status" means "nothing to do". */
  startSeconds?: number;
}

export class RolloutFailure extends Error {}

/** Resolves once every task runs the current spec; rejects (RolloutFailure) on a rollback, a pause or the timeout. */
export async function waitForRollout(wait: RolloutWait): Promise<void> {
  const env = await dockerCliProcessEnvironment(process.env, wait.dockerHost, wait.sshOptions);
  const docker = async (args: string[]) => (await exec("docker", args, { env, maxBuffer: 4 * 1024 * 1024 })).stdout.trim();
  const poll = wait.pollMilliseconds ?? 1000;
  const startedAt = Date.now();
  const deadline = startedAt + wait.timeoutSeconds * 1000;
  let rollbackReason: string | undefined;
  let last = "";
  for (;;) {
    const [statusJson, updatedAt, history] = (
      await docker(["service", "inspect", wait.serviceId, "--format", "{{json .UpdateStatus}}\t{{.UpdatedAt}}\t{{if .PreviousSpec}}updated{{end}}"])
    ).split("\t");
    const status = JSON.parse(statusJson) as UpdateStatus | null;
    if (status?.State === "rollback_started" && status.Message) rollbackReason = status.Message;
    const replicas = parseReplicas(await docker(["service", "ls", "--filter", `id=${wait.serviceId}`, "--format", "{{.Replicas}}"])) ?? { running: 0, desired: 1 };
    // A service left unchanged by this deployment has nothing to start. A service whose
    // spec was never updated (no PreviousSpec; UpdatedAt also moves when swarm allocates
    // its endpoint) has no update to start either: swarm schedules a new service's tasks
    // directly and never gives it an UpdateStatus, so only its tasks count.
    const untouched = Date.parse(updatedAt) < startedAt - 60_000;
    const neverUpdated = history !== "updated";
    const settled = untouched || neverUpdated || Date.now() - startedAt >= (wait.startSeconds ?? 3) * 1000;
    const observed = { status: rollbackReason && status ? { ...status, Message: rollbackReason } : status, ...replicas, settled };
    let state = rolloutState(observed);
    if (state.kind === "failed") state = rolloutState(observed, await latestTaskError(docker, wait.serviceId));
    if (state.kind === "converged") return;
    if (state.kind === "failed") throw new RolloutFailure(state.message);
    last = state.reason;
    if (Date.now() >= deadline) throw new RolloutFailure(`did not converge within ${wait.timeoutSeconds}s (${last})`);
    await new Promise((resolve) => setTimeout(resolve, poll));
  }
}

/** The error of the most recent task that failed, as `docker service ps` reports it. */
async function latestTaskError(docker: (args: string[]) => Promise<string>, serviceId: string): Promise<string | undefined> {
  const out = await docker(["service", "ps", serviceId, "--no-trunc", "--filter", "desired-state=shutdown", "--format", "{{.Error}}"]).catch(() => "");
  // The CLI quotes the error: `"task: non-zero exit (137): dockerexec: unhealthy container"`.
  return out.split("\n").map((line) => line.trim().replace(/^"(.*)"$/, "$1")).find((line) => line !== "");
}
