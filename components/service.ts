/**
 * A compose service on a swarm: one docker service, as `docker stack deploy` creates it.
 * The spec comes from infra/graph/swarm-service.ts; when a dependent waits for this
 * service to be healthy, the spec carries a converge config so that the create or update
 * returns only once every task is running (tasks with a healthcheck start running only
 * once healthy).
 *
 * With `rollout`, the deployment also waits for swarm to finish rolling the service out
 * and fails, naming the service and swarm's reason, when swarm rolls the update back or
 * pauses it. Swarm applies updates in the background, so without this wait a rolled-back
 * update would look like a successful `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { RolloutFailure, waitForRollout } from "./service-rollout.ts";
import { missingSshOptionsHint } from "../infra/graph/docker-cli.ts";

export const SERVICE_TYPE = "compose:service:Service";

export interface ServiceRollout {
  /** The manager's docker host for the CLI; the default context when undefined. */
  dockerHost: pulumi.Input<string | undefined>;
  /** The provider's ssh flags, for a manager reached over ssh. */
  sshOptions?: pulumi.Input<string[]>;
  /** Seconds the rollout may take before the update fails. */
  timeoutSeconds: number;
}

export interface ServiceArgs {
  /** The docker provider's service spec (infra/graph/swarm-service.ts builds it from a compose service). */
  spec: docker.ServiceArgs;
  /** Follow each update to the end (`docker service update` without `--detach`), as a declared update policy asks. */
  rollout?: ServiceRollout;
}

export class Service extends pulumi.ComponentResource {
  /** Physical name: `<project>_<service>`, as `docker stack deploy` names it. */
  readonly serviceName: pulumi.Output<string>;
  /** The swarm service. */
  readonly service: docker.Service;
  /** True once the rollout finished (only with `rollout`, only during an update). */
  readonly rolledOut?: pulumi.Output<boolean>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SERVICE_TYPE, name, {}, opts);
    // Children do not inherit a component's dependsOn: pass it on so the docker service
    // itself waits (e.g. for a dependency to be healthy).
    this.service = new docker.Service(name, args.spec, { parent: this, dependsOn: opts?.dependsOn });
    this.serviceName = this.service.name;
    const rollout = args.rollout;
    if (rollout !== undefined) {
      this.rolledOut = pulumi
        .all([this.service.id, this.service.name, pulumi.output(rollout.dockerHost), pulumi.output(rollout.sshOptions ?? [])])
        .apply(async ([serviceId, serviceName, dockerHost, sshOptions]) => {
          // A preview changes nothing, and under unit-test mocks no swarm exists.
          if (pulumi.runtime.isDryRun() || underMocks()) return false;
          try {
            await waitForRollout({ serviceId, dockerHost, sshOptions, timeoutSeconds: rollout.timeoutSeconds });
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT") {
              void pulumi.log.warn(`service ${serviceName}: rollout not followed: no docker CLI on PATH`, this);
              return false;
            }
            const message = (error as Error).message;
            const reason =
              error instanceof RolloutFailure
                ? message
                : `cannot follow the rollout: ${message}${missingSshOptionsHint(dockerHost, sshOptions, message)}`;
            throw new pulumi.ResourceError(`service ${serviceName}: ${reason}`, this);
          }
          return true;
        });
    }
    // Registered outputs keep the deployment open until the rollout is done.
    this.registerOutputs({ serviceName: this.serviceName, ...(this.rolledOut ? { rolledOut: this.rolledOut } : {}) });
  }
}

/** True when pulumi.runtime.setMocks replaced the engine (its monitor carries the mocks). */
function underMocks(): boolean {
  const monitor = pulumi.runtime.getMonitor() as { mocks?: unknown } | undefined;
  return monitor?.mocks !== undefined;
}
