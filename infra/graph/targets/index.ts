/** Every target, by name: the one place a new target is registered. */
import type { Target, TargetDefinition } from "./target.ts";
import { engineTarget } from "./engine/index.ts";
import { swarmTarget } from "./swarm/index.ts";
import { kubernetesTarget } from "./kubernetes/index.ts";

export const TARGET_DEFINITIONS: Record<Target, TargetDefinition> = {
  engine: engineTarget,
  swarm: swarmTarget,
  kubernetes: kubernetesTarget,
};

export { TARGET_NAMES, type Target, type TargetDefinition, type DockerTargetDefinition, type KubernetesTargetDefinition } from "./target.ts";
