/**
 * A long-running compose service on Kubernetes: its Deployment (a DaemonSet for
 * `mode: global`), the ClusterIP Service other pods reach it by, and a NodePort or
 * LoadBalancer Service for its published ports (infra/graph/targets/kubernetes).
 *
 * The Kubernetes provider waits for a Deployment's rollout to be ready, so a dependent
 * that declares `depends_on: condition: service_healthy` (a `dependsOn` on this
 * component) starts only once the pods pass their readinessProbe, the service's
 * healthcheck.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
// Each class from its own module: the package's root loads all of Kubernetes' API groups,
// which the bundled command line would then read on every start.
import { Deployment } from "@pulumi/kubernetes/apps/v1/deployment.js";
import { DaemonSet } from "@pulumi/kubernetes/apps/v1/daemonSet.js";
import { Service } from "@pulumi/kubernetes/core/v1/service.js";
import type { WorkloadSpec } from "../infra/graph/targets/kubernetes/workload.ts";
import type { ServiceSpecs } from "../infra/graph/targets/kubernetes/service.ts";

export const KUBERNETES_WORKLOAD_TYPE = "compose:kubernetes:KubernetesWorkload";

export interface KubernetesWorkloadArgs {
  namespace: pulumi.Input<string>;
  workload: WorkloadSpec;
  services: ServiceSpecs;
}

export class KubernetesWorkload extends pulumi.ComponentResource {
  /** The Deployment's or DaemonSet's name. */
  readonly workloadName: pulumi.Output<string>;
  readonly deployment?: Deployment;
  readonly daemonSet?: DaemonSet;
  /** The Service other pods reach this one by. */
  readonly service: Service;
  /** The Service of the published ports, if any. */
  readonly publishedService?: Service;

  constructor(name: string, args: KubernetesWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_WORKLOAD_TYPE, name, {}, opts);
    // Children do not inherit a component's dependsOn: the pods must wait for their dependencies.
    const child = { parent: this, dependsOn: opts?.dependsOn };
    const { workload } = args;
    const metadata = { name: workload.name, namespace: args.namespace, labels: workload.labels, annotations: workload.annotations };
    if (workload.kind === "DaemonSet") {
      this.daemonSet = new DaemonSet(name, { metadata, spec: workload.spec as k8s.types.input.apps.v1.DaemonSetSpec }, child);
      this.workloadName = this.daemonSet.metadata.name;
    } else {
      this.deployment = new Deployment(name, { metadata, spec: workload.spec as k8s.types.input.apps.v1.DeploymentSpec }, child);
      this.workloadName = this.deployment.metadata.name;
    }
    const service = (logical: string, spec: NonNullable<ServiceSpecs["published"]>) =>
      new Service(logical, { metadata: { name: spec.name, namespace: args.namespace, labels: spec.labels }, spec: spec.spec }, { parent: this });
    this.service = service(name, args.services.cluster);
    if (args.services.published !== undefined) this.publishedService = service(`${name}-published`, args.services.published);
    this.registerOutputs({ workloadName: this.workloadName });
  }
}
