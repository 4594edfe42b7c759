/**
 * The Kubernetes target: services become Deployments (DaemonSets for `mode: global`) with
 * a ClusterIP Service for their ports, one-shot services batch/v1 Jobs, named volumes
 * PersistentVolumeClaims, secrets and configs Secrets and ConfigMaps, all in one Namespace
 * per project. The kubelet pulls images itself; built images are pushed to their registry,
 * as on a swarm, and run by digest.
 */
import type { KubernetesTargetDefinition } from "../target.ts";

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
