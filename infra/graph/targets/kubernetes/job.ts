/**
 * A one-shot service (`service_completed_successfully`, `replicated-job`, `global-job`) as
 * a batch/v1 Job. A Job's pod template is immutable, and a Job that has completed is never
 * run again by Kubernetes, so the Job is named by the hash of everything that decides
 * what it does: the service's definition (image as written, command, environment), the
 * content hashes of the secrets and configs it mounts (compose's config hash), and the
 * build context of a built image. A change of any of them is a new Job that runs once,
 * and the dependents wait for it; an unchanged deployment leaves the completed Job alone.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { Project } from "../../model.ts";
import { contentHash } from "../../naming.ts";
import { composeAnnotations, workloadLabels } from "./labels.ts";
import { suffixedName } from "./names.ts";
import { podTemplate, type PodRefs } from "./workload.ts";

export interface JobSpec {
  /** `<key>-<hash>`: a new name for new inputs. */
  name: string;
  /** The hash in the name. */
  runHash: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  spec: k8s.types.input.batch.v1.JobSpec;
}

export interface JobInputs {
  /** compose's config hash of the service (its definition and mounted content). */
  configHash: string;
  /** The build context's hash, for a service whose image is built. */
  contextHash?: string;
}

export function jobRunHash(inputs: JobInputs): string {
  return contentHash(`${inputs.configHash}\n${inputs.contextHash ?? ""}`);
}

export function jobSpec(project: Project, key: string, refs: PodRefs, inputs: JobInputs): JobSpec {
  const service = project.services[key];
  const runHash = jobRunHash(inputs);
  const template = podTemplate(project, key, refs, { job: true, configHash: inputs.configHash });
  // `replicated-job` runs `replicas` pods to completion, all at once as swarm does.
  const completions = service.deploy?.mode === "replicated-job" ? (service.deploy.replicas ?? 1) : 1;
  return {
    name: suffixedName(key, runHash),
    runHash,
    labels: workloadLabels(project.name, key, "job"),
    annotations: composeAnnotations(service.deploy?.labels),
    spec: {
      completions,
      parallelism: completions,
      // A failed run fails the deployment at once: a migration is not retried behind the user's back.
      backoffLimit: 0,
      // No ttlSecondsAfterFinished: a Job deleted by its TTL would be missing on the next
      // refresh, and Pulumi would create it again, running the migration a second time.
      template,
    },
  };
}
