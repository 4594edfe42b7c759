/**
 * The Kubernetes target: services become Deployments (DaemonSets for `mode: global`) with
 * a ClusterIP Service for their ports, one-shot services batch/v1 Jobs, named volumes
 * PersistentVolumeClaims, secrets and configs Secrets and ConfigMaps, all in one Namespace
 * per project. The kubelet pulls images itself; built images are pushed to their registry,
 * as on a swarm, and run by digest.
 */
import type { KubernetesTargetDefinition } from "../target.ts";
import type { PublishedPortsType } from "./service.ts";

export const kubernetesTarget: KubernetesTargetDefinition = {
  name: "kubernetes",
  platform: "kubernetes",
  images: {
    pushBuilt: true,
    runByDigest: true,
    builtImageName: (projectName, serviceKey, registry) => `${registry}/${projectName}-${serviceKey}:latest`,
    // Every node's kubelet pulls what a pod names: nothing is pulled ahead of it.
    needsNoPull: () => true,
    // Pull credentials are the cluster's (imagePullSecrets, or the nodes' own configuration).
    forwardsCredentials: false,
  },
};

/** What a stack decides about a project on Kubernetes (stack config `kubernetes:`). */
export interface KubernetesOptions {
  /** The namespace; default: the compose project name as a DNS-1123 label. */
  namespace?: string;
  /** Create the namespace (the default), or use one that exists. */
  createNamespace?: boolean;
  /** The Service type of published ports; default NodePort. */
  publishedPorts?: PublishedPortsType;
  /** The storage class of named volumes' claims; default: the cluster's default class. */
  storageClassName?: string;
  /** The size every claim requests (compose names none); default 1Gi. */
  volumeSize?: string;
}
