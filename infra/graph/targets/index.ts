/** Every target, by name: the one place a new target is registered. */
import type { Target, TargetDefinition } from "./target.ts";
import { engineTarget } from "./engine/index.ts";
import { swarmTarget } from "./swarm/index.ts";

export const TARGET_DEFINITIONS: Record<Target, TargetDefinition> = {
  engine: engineTarget,
  swarm: swarmTarget,
};

export { TARGET_NAMES, type Target, type TargetDefinition } from "./target.ts";
