/**
 * The swarm target: `docker stack deploy` semantics. Services become swarm services
 * (components/service.ts); built images are pushed, because every node pulls them from
 * their registry; services run images by digest; jobs are replicated-job services.
 */
import type { DockerTargetDefinition } from "../target.ts";
import { swarmJobScripts } from "./job.ts";

export const swarmTarget: DockerTargetDefinition = {
  name: "swarm",
  platform: "docker",
  workload: "service",
  // Each node creates a named volume where a task first mounts it, as `docker stack deploy`.
  createsVolumes: false,
  images: {
    pushBuilt: true,
    runByDigest: true,
    builtImageName: (projectName, serviceKey, registry) => `${registry}/${projectName}-${serviceKey}:latest`,
    // A service named by digest already runs exactly that image (see components/image.ts).
    needsNoPull: (imageName) => imageName.includes("@"),
    forwardsCredentials: true,
  },
  jobScripts: (project, key, refs, options) => swarmJobScripts(project, key, refs, options.timeoutSeconds),
};
