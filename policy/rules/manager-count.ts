/**
 * An odd number of swarm managers. Managers keep the swarm's state through Raft, which
 * only moves on while a majority agrees: n managers survive (n-1)/2 failures, so an even
 * count costs one more machine for no more fault tolerance, and a network split into two
 * equal halves stops both.
 */
import { TYPES, Violations, type StackResource, type Violation } from "../resources.ts";

export function managerCount(resources: readonly StackResource[]): Violation[] {
  const violations = new Violations();
  for (const resource of resources.filter((r) => r.type === TYPES.environment)) {
    const { managers, allowEvenManagers } = resource.props;
    if (typeof managers !== "number" || managers === 0 || managers % 2 === 1 || allowEvenManagers === true) continue;
    const majority = Math.floor(managers / 2) + 1;
    const tolerated = Math.floor((managers - 1) / 2);
    violations.add(
      `compose-pulumi:cluster: ${managers} managers need ${majority} to agree and survive ${tolerated} failure${tolerated === 1 ? "" : "s"}, ` +
        `no more than ${managers - 1} would; use an odd number of managers (1, 3, 5 or 7) or set cluster.allowEvenManagers: true`,
      resource.urn,
    );
  }
  return violations.list;
}
