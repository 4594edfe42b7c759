/**
 * What every target provides, behind one interface: its name (which is also its column
 * in the capability table, infra/graph/capabilities), how it gets images, and on which
 * platform its workloads run. A Docker target (engine, swarm) runs one-shot jobs through
 * the docker CLI and long-running services as containers or swarm services; the
 * Kubernetes target has its own objects for both (Deployments, batch/v1 Jobs), so it
 * carries no job scripts. ComposeProject branches once, on `platform`. Each target lives
 * in its own folder beside this file; what the Docker ones share lives in ./shared.
 */
import type { Project } from "../model.ts";
import type { JobRefs, JobScripts } from "./shared/job-script.ts";

export const TARGET_NAMES = ["engine", "swarm", "kubernetes"] as const;

/** Where a project runs: one Docker engine (`docker compose up`), a swarm (`docker stack deploy`) or a Kubernetes cluster. */
export type Target = (typeof TARGET_NAMES)[number];

export interface ImagePlanRules {
  /** Built images are pushed to their registry (every node pulls them from there). */
  pushBuilt: boolean;
  /** Workloads run pulled images by `name@digest` rather than by local image ID. */
  runByDigest: boolean;
  /** The image name of a service that has a build but no `image:`. */
  builtImageName(projectName: string, serviceKey: string, registry: string | undefined): string;
  /** Whether the image needs no pull at all (e.g. already pinned by digest). */
  needsNoPull(imageName: string): boolean;
  /**
   * Nodes pull a workload's image themselves, so the registry credentials go with the
   * workload to every node that runs a task (`docker stack deploy --with-registry-auth`).
   */
  forwardsCredentials: boolean;
}

export interface JobOptions {
  timeoutSeconds: number;
}

interface TargetBase {
  name: Target;
  images: ImagePlanRules;
}

/** A target that Docker runs: the docker provider and the docker CLI reach it. */
export interface DockerTargetDefinition extends TargetBase {
  platform: "docker";
  /** The component that runs a long-running service here (components/<file>.ts). */
  workload: "containers" | "service";
  /** Named volumes are created up-front (engine) rather than by each node on first use (swarm). */
  createsVolumes: boolean;
  /** The scripts that run a service once to completion and remove what it left. */
  jobScripts(project: Project, key: string, refs: JobRefs, options: JobOptions): JobScripts;
}

/**
 * A Kubernetes cluster: services become Deployments or DaemonSets, jobs batch/v1 Jobs,
 * named volumes PersistentVolumeClaims (infra/graph/targets/kubernetes).
 */
export interface KubernetesTargetDefinition extends TargetBase {
  platform: "kubernetes";
}

export type TargetDefinition = DockerTargetDefinition | KubernetesTargetDefinition;
