/**
 * The engine target: one Docker engine, `docker compose up` semantics. Services become
 * containers (components/container.ts), built images stay on the engine, jobs run
 * through `docker create` + `docker start -a`.
 */
import type { DockerTargetDefinition } from "../target.ts";
import { engineJobScripts } from "./job.ts";

export const engineTarget: DockerTargetDefinition = {
  name: "engine",
  platform: "docker",
  workload: "containers",
  createsVolumes: true,
  images: {
    pushBuilt: false,
    runByDigest: false,
    builtImageName: (projectName, serviceKey) => `${projectName}-${serviceKey}`,
    needsNoPull: () => false,
    // The engine's own daemon pulls (components/image.ts): nothing to forward.
    forwardsCredentials: false,
  },
  jobScripts: (project, key, refs) => engineJobScripts(project, key, refs),
};
