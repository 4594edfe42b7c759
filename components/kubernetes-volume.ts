/**
 * A compose named volume on Kubernetes: a PersistentVolumeClaim (infra/graph/targets/
 * kubernetes/storage.ts says why ReadWriteOnce and where size and class come from), or
 * an existing claim for an external volume. The claim is not awaited until bound: with a
 * WaitForFirstConsumer storage class it binds only once a pod uses it. A claim's storage
 * class cannot change; a new `storageClassName` would replace the claim and lose its
 * data, so it applies to new claims only. A larger `volumeSize` expands the claim where
 * its class allows.
 */
import * as pulumi from "@pulumi/pulumi";
// Each class from its own module: the package's root loads all of Kubernetes' API groups,
// which the bundled command line would then read on every start.
import { PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1/persistentVolumeClaim.js";
import type { ClaimSpec } from "../infra/graph/targets/kubernetes/storage.ts";

export const KUBERNETES_VOLUME_TYPE = "compose:kubernetes:KubernetesVolume";

export interface KubernetesVolumeArgs extends ClaimSpec {
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export class KubernetesVolume extends pulumi.ComponentResource {
  readonly claimName: pulumi.Output<string>;
  readonly claim?: PersistentVolumeClaim;

  constructor(name: string, args: KubernetesVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_VOLUME_TYPE, name, {}, opts);
    if (args.external) {
      this.claimName = pulumi.output(args.name);
    } else {
      this.claim = new PersistentVolumeClaim(
        name,
        {
          metadata: {
            name: args.name,
            namespace: args.namespace,
            labels: args.labels,
            annotations: { ...(args.annotations ?? {}), "pulumi.com/skipAwait": "true" },
          },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: args.storageClassName,
            resources: { requests: { storage: args.size } },
          },
        },
        { parent: this, dependsOn: opts?.dependsOn, ignoreChanges: ["spec.storageClassName"] },
      );
      this.claimName = this.claim.metadata.name;
    }
    this.registerOutputs({ claimName: this.claimName });
  }
}
