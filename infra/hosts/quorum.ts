/**
 * Manager count rules of a swarm, from Raft: the managers keep the cluster state in a
 * Raft log that only advances while a majority of them (floor(n/2) + 1) agree, so n
 * managers tolerate floor((n-1)/2) failures. An even count tolerates no more failures
 * than one manager fewer, and more than seven slows every write for little gain, so both
 * are refused unless explicitly allowed.
 */
import type { NodeAvailability, SwarmRole } from "./inventory.ts";

export interface QuorumOptions {
  /** Accept an even number of managers. */
  allowEvenManagers?: boolean;
  /** Accept more than seven managers. */
  allowMoreThanSevenManagers?: boolean;
  /** A production cluster: workloads on managers are worth a warning. */
  production?: boolean;
}

export interface QuorumHost {
  name: string;
  role: SwarmRole;
  availability: NodeAvailability;
}

export interface QuorumCheck {
  errors: string[];
  warnings: string[];
  managers: number;
  /** Manager failures the cluster survives with its quorum. */
  faultTolerance: number;
}

export const MAX_RECOMMENDED_MANAGERS = 7;

export function majority(managers: number): number {
  return Math.floor(managers / 2) + 1;
}

export function faultTolerance(managers: number): number {
  return managers === 0 ? 0 : Math.floor((managers - 1) / 2);
}

export function checkQuorum(cluster: string, hosts: readonly QuorumHost[], options: QuorumOptions = {}): QuorumCheck {
  const managers = hosts.filter((host) => host.role === "manager");
  const workers = hosts.filter((host) => host.role === "worker");
  const n = managers.length;
  const errors: string[] = [];
  const warnings: string[] = [];

  if (n === 0) {
    errors.push(`swarm "${cluster}": no host has role manager; a swarm needs at least one manager (1, 3, 5 or 7 for a Raft quorum)`);
  } else if (n % 2 === 0 && !options.allowEvenManagers) {
    errors.push(
      `swarm "${cluster}": ${n} managers is an even count. Raft commits only with a majority (${majority(n)} of ${n}), ` +
        `so ${n} managers survive ${faultTolerance(n)} failure${faultTolerance(n) === 1 ? "" : "s"}, no more than ${n - 1} would, ` +
        `while one more manager must agree on every change. Use ${n - 1} or ${n + 1} managers, or set allowEvenManagers to accept this`,
    );
  }
  if (n > MAX_RECOMMENDED_MANAGERS && !options.allowMoreThanSevenManagers) {
    errors.push(
      `swarm "${cluster}": ${n} managers is more than ${MAX_RECOMMENDED_MANAGERS}. Every Raft write waits for a majority ` +
        `(${majority(n)}), so each extra manager slows the cluster down; ${MAX_RECOMMENDED_MANAGERS} managers already survive ` +
        `${faultTolerance(MAX_RECOMMENDED_MANAGERS)} failures. Use at most ${MAX_RECOMMENDED_MANAGERS} managers (make the others workers), ` +
        `or set allowMoreThanSevenManagers to accept this`,
    );
  }

  if (options.production) {
    const active = managers.filter((host) => host.availability === "active").map((host) => host.name);
    if (active.length > 0) {
      const placement = workers.length > 0
        ? "set availability: drain on the managers, or constrain services with node.role == worker"
        : "add workers and drain the managers";
      warnings.push(
        `swarm "${cluster}": manager${active.length === 1 ? "" : "s"} ${active.join(", ")} accept${active.length === 1 ? "s" : ""} ` +
          `workloads in production; tasks placed there compete with Raft for CPU, memory and disk and can cost the cluster its quorum under load: ${placement}`,
      );
    }
  }
  return { errors, warnings, managers: n, faultTolerance: faultTolerance(n) };
}
