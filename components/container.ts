/**
 * A compose service on one engine: one docker container per replica, named and labelled as
 * `docker compose up` names them (`<project>-<service>-<n>`). The specs come from
 * infra/graph/engine-container.ts; a replica waits for its healthcheck when a dependent
 * needs the service healthy.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

export const CONTAINER_TYPE = "compose:container:Container";

export interface ContainerArgs {
  /** One spec per replica; replica n (1-based) is `replicas[n - 1]`. */
  replicas: docker.ContainerArgs[];
}

export class Container extends pulumi.ComponentResource {
  /** One docker container per replica, replica n at index n - 1. */
  readonly containers: docker.Container[];
  /** Their names: `<project>-<service>-<n>` (or `container_name:`). */
  readonly containerNames: pulumi.Output<string[]>;

  constructor(name: string, args: ContainerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CONTAINER_TYPE, name, {}, opts);
    this.containers = args.replicas.map(
      // Children do not inherit a component's dependsOn: pass it on to each replica.
      (spec, index) => new docker.Container(`${name}-${index + 1}`, spec, { parent: this, dependsOn: opts?.dependsOn }),
    );
    this.containerNames = pulumi.all(this.containers.map((container) => container.name));
    this.registerOutputs({ containerNames: this.containerNames });
  }
}
