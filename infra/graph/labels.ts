/**
 * The labels Docker's tools use to find what belongs to a project. `docker stack` selects
 * by `com.docker.stack.namespace`; `docker compose` by `com.docker.compose.project` plus
 * per-object labels (service, container number, network and volume keys).
 */
import type { Target } from "./targets/target.ts";
export const LABEL_STACK_NAMESPACE = "com.docker.stack.namespace";
export const LABEL_STACK_IMAGE = "com.docker.stack.image";
export const LABEL_COMPOSE_PROJECT = "com.docker.compose.project";
export const LABEL_COMPOSE_SERVICE = "com.docker.compose.service";
export const LABEL_COMPOSE_CONTAINER_NUMBER = "com.docker.compose.container-number";
export const LABEL_COMPOSE_ONEOFF = "com.docker.compose.oneoff";
export const LABEL_COMPOSE_NETWORK = "com.docker.compose.network";
export const LABEL_COMPOSE_VOLUME = "com.docker.compose.volume";
export const LABEL_COMPOSE_CONFIG_HASH = "com.docker.compose.config-hash";
export const LABEL_COMPOSE_DEPENDS_ON = "com.docker.compose.depends_on";

export type Labels = Record<string, string>;

/** A copy of `labels` with the stack namespace added (convert.AddStackLabel). */
export function stackLabels(project: string, labels: Labels | undefined): Labels {
  return { ...(labels ?? {}), [LABEL_STACK_NAMESPACE]: project };
}

/** Labels of a swarm service: deploy.labels, the namespace and the image as written. */
export function swarmServiceLabels(project: string, deployLabels: Labels | undefined, image: string): Labels {
  return { ...stackLabels(project, deployLabels), [LABEL_STACK_IMAGE]: image };
}

export interface EngineContainerIdentity {
  project: string;
  service: string;
  number: number;
  configHash: string;
  /** `svc:condition:restart` entries, as compose records them. */
  dependsOn: string[];
  oneoff?: boolean;
}

/** Labels `docker compose` puts on a service container. */
export function engineContainerLabels(labels: Labels | undefined, id: EngineContainerIdentity): Labels {
  const out: Labels = {
    ...(labels ?? {}),
    [LABEL_COMPOSE_PROJECT]: id.project,
    [LABEL_COMPOSE_SERVICE]: id.service,
    [LABEL_COMPOSE_CONTAINER_NUMBER]: String(id.number),
    [LABEL_COMPOSE_ONEOFF]: id.oneoff === true ? "True" : "False",
    [LABEL_COMPOSE_CONFIG_HASH]: id.configHash,
  };
  if (id.dependsOn.length > 0) out[LABEL_COMPOSE_DEPENDS_ON] = id.dependsOn.join(",");
  return out;
}

/** Labels `docker compose` puts on a network it creates. */
export function engineNetworkLabels(project: string, key: string, labels: Labels | undefined): Labels {
  return { ...(labels ?? {}), [LABEL_COMPOSE_PROJECT]: project, [LABEL_COMPOSE_NETWORK]: key };
}

/** Labels `docker compose` puts on a volume it creates. */
export function engineVolumeLabels(project: string, key: string, labels: Labels | undefined): Labels {
  return { ...(labels ?? {}), [LABEL_COMPOSE_PROJECT]: project, [LABEL_COMPOSE_VOLUME]: key };
}

/** Labels of a project-level object (network, volume, secret, config) for a target. */
export function objectLabels(
  target: Target,
  kind: "network" | "volume" | "secret" | "config",
  project: string,
  key: string,
  labels: Labels | undefined,
): Labels {
  if (target === "swarm") return stackLabels(project, labels);
  if (kind === "network") return engineNetworkLabels(project, key, labels);
  if (kind === "volume") return engineVolumeLabels(project, key, labels);
  return { ...(labels ?? {}), [LABEL_COMPOSE_PROJECT]: project };
}

/** The list form the docker provider takes, sorted by label so diffs are stable. */
export function labelList(labels: Labels): { label: string; value: string }[] {
  return Object.keys(labels)
    .sort()
    .map((label) => ({ label, value: labels[label] }));
}
