/**
 * A one-shot compose service on Kubernetes: a batch/v1 Job that must complete before its
 * dependents start (`service_completed_successfully`). The Kubernetes provider waits for
 * a Job to complete and fails the update when it fails, so dependents that `dependsOn`
 * this component start only after a successful run.
 *
 * The Job's name carries the hash of its inputs (infra/graph/targets/kubernetes/job.ts):
 * new inputs are a new Job, which runs once; the old one is deleted after it. A Job whose
 * name stays but that must still be replaced (its spec is immutable; say, a new label) is
 * deleted first (`deleteBeforeReplace`): two Jobs cannot share a name. A Job that failed is
 * replaced by the next `pulumi up` (`pulumi.com/replaceUnready`), so a run that failed
 * for a passing reason runs again, as a failed docker job does.
 */
import * as pulumi from "@pulumi/pulumi";
// Each class from its own module: the package's root loads all of Kubernetes' API groups,
// which the bundled command line would then read on every start.
import { Job } from "@pulumi/kubernetes/batch/v1/job.js";
import type { JobSpec } from "../infra/graph/targets/kubernetes/job.ts";

export const KUBERNETES_JOB_TYPE = "compose:kubernetes:KubernetesJob";

export interface KubernetesJobArgs {
  namespace: pulumi.Input<string>;
  job: JobSpec;
  /** Seconds the Job may take to complete. */
  timeoutSeconds: number;
}

export class KubernetesJob extends pulumi.ComponentResource {
  /** `<key>-<hash of its inputs>`. */
  readonly jobName: pulumi.Output<string>;
  readonly job: Job;

  constructor(name: string, args: KubernetesJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_JOB_TYPE, name, {}, opts);
    const { job } = args;
    this.job = new Job(
      name,
      {
        metadata: { name: job.name, namespace: args.namespace, labels: job.labels, annotations: { ...(job.annotations ?? {}), "pulumi.com/replaceUnready": "true" } },
        spec: job.spec,
      },
      {
        parent: this,
        // Children do not inherit a component's dependsOn: the run must wait for its dependencies.
        dependsOn: opts?.dependsOn,
        deleteBeforeReplace: true,
        customTimeouts: { create: `${args.timeoutSeconds}s`, update: `${args.timeoutSeconds}s` },
      },
    );
    this.jobName = this.job.metadata.name;
    this.registerOutputs({ jobName: this.jobName });
  }
}
