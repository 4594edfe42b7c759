/**
 * A compose service on a swarm: one docker service, as `docker stack deploy` creates it.
 * The spec comes from infra/graph/swarm-service.ts; when a dependent waits for this
 * service to be healthy, the spec carries a converge config so that the create or update
 * returns only once every task is running (tasks with a healthcheck start running only
 * once healthy).
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

export const SERVICE_TYPE = "compose:service:Service";

export interface ServiceArgs {
  spec: docker.ServiceArgs;
}

export class Service extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly service: docker.Service;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SERVICE_TYPE, name, {}, opts);
    // Children do not inherit a component's dependsOn: pass it on so the docker service
    // itself waits (e.g. for a dependency to be healthy).
    this.service = new docker.Service(name, args.spec, { parent: this, dependsOn: opts?.dependsOn });
    this.serviceName = this.service.name;
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
