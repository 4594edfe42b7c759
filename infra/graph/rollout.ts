/**
 * Where a swarm service's rollout stands, from what the manager reports: its
 * UpdateStatus and how many tasks run. Swarm applies an update in the background after
 * the API call returns; a deployment is only done when the rollout is, and a rolled-back
 * update is a failed deployment (as `docker service update --detach=false` reports it).
 */

/** `docker service inspect --format '{{json .UpdateStatus}}'`. */
export interface UpdateStatus {
  State?: string;
  StartedAt?: string;
  CompletedAt?: string;
  Message?: string;
}

export interface RolloutObservation {
  /** null when the service has no update in progress or on record (swarm resets it on each spec change). */
  status: UpdateStatus | null;
  running: number;
  desired: number;
  /** True once swarm has had time to start the update, or the service was not changed now. */
  settled: boolean;
}

export type RolloutState =
  | { kind: "waiting"; reason: string }
  | { kind: "converged" }
  | { kind: "failed"; message: string };

/** Reads `docker service ls --format '{{.Replicas}}'`: "3/4", or "3/4 (max 1 per node)". */
export function parseReplicas(text: string): { running: number; desired: number } | undefined {
  const match = /^\s*(\d+)\/(\d+)/.exec(text);
  return match ? { running: Number(match[1]), desired: Number(match[2]) } : undefined;
}

export function rolloutState(observed: RolloutObservation, failureReason?: string): RolloutState {
  const tasks = `${observed.running}/${observed.desired} tasks running`;
  const reason = (message: string | undefined) => {
    const parts = [message, failureReason].filter((part): part is string => part !== undefined && part !== "");
    return parts.length > 0 ? parts.join(": ") : "no reason given by swarm";
  };
  switch (observed.status?.State) {
    case "updating":
      return { kind: "waiting", reason: `updating, ${tasks}` };
    case "rollback_started":
      return { kind: "waiting", reason: `rolling back, ${tasks}` };
    case "rollback_completed":
      return { kind: "failed", message: `update rolled back: ${reason(observed.status.Message)}` };
    case "paused":
      return { kind: "failed", message: `update paused: ${reason(observed.status.Message)}` };
    case "rollback_paused":
      return { kind: "failed", message: `rollback paused: ${reason(observed.status.Message)}` };
    case "completed":
      return observed.running >= observed.desired ? { kind: "converged" } : { kind: "waiting", reason: tasks };
    default:
      if (!observed.settled) return { kind: "waiting", reason: "waiting for swarm to start the update" };
      return observed.running >= observed.desired ? { kind: "converged" } : { kind: "waiting", reason: tasks };
  }
}
