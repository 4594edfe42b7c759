/**
 * Where a stack's workloads run: one existing Docker endpoint (a local engine, a remote
 * engine, a swarm manager), or a swarm cluster that the stack bootstraps itself.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import type { StackConfig } from "./config.ts";
import { defaultDockerEndpoint, hostOfDockerEndpoint } from "../infra/app/endpoints.ts";

export interface DeploymentTarget {
  provider: docker.Provider;
  /** The provider's ssh flags, which the docker CLI steps (jobs, lookups, rollouts) use too. */
  dockerSshOptions?: pulumi.Input<string[]>;
  /** Host name for the application's URLs. */
  publicHost: pulumi.Input<string>;
  managers?: number;
  workers?: number;
}

/**
 * The endpoint of a stack without a cluster: `docker.host` from the stack, else the
 * DOCKER_HOST of the environment Pulumi runs in (as the docker CLI does), else the local
 * socket.
 */
export function dockerEndpoint(config: StackConfig, processEnv: Readonly<Record<string, string | undefined>>): string {
  return config.docker?.host ?? defaultDockerEndpoint(processEnv);
}

export function endpointTarget(config: StackConfig, processEnv: Readonly<Record<string, string | undefined>>): DeploymentTarget {
  const host = dockerEndpoint(config, processEnv);
  const provider = new docker.Provider("docker", {
    host,
    sshOpts: config.docker?.sshOpts,
    registryAuth: config.registry?.username !== undefined
      ? [{ address: config.registry.server, username: config.registry.username, password: config.registry.password === undefined ? undefined : pulumi.secret(config.registry.password) }]
      : undefined,
  });
  return { provider, dockerSshOptions: config.docker?.sshOpts, publicHost: config.publicHost ?? hostOfDockerEndpoint(host) };
}
