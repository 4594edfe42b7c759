/**
 * Where a stack's workloads run: one existing Docker endpoint (a local engine, a remote
 * engine, a swarm manager), a swarm cluster that the stack bootstraps itself, or a
 * Kubernetes cluster reached through a kubeconfig.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "./config.ts";
import { defaultDockerEndpoint, hostOfDockerEndpoint } from "../infra/app/endpoints.ts";

export interface DeploymentTarget {
  /** The Docker endpoint: the workloads' (engine, swarm), or on Kubernetes the one that builds images. */
  provider?: docker.Provider;
  /** The kubernetes target's provider. */
  kubernetesProvider?: k8s.Provider;
  /** The provider's ssh flags, which the docker CLI steps (jobs, lookups, rollouts) use too. */
  dockerSshOptions?: pulumi.Input<string[]>;
  /** Host name for the application's URLs. */
  publicHost?: pulumi.Input<string>;
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

/**
 * A Kubernetes cluster: the provider reads the stack's kubeconfig (a path, or the content
 * as a secret) and context, else its own defaults (KUBECONFIG, ~/.kube/config). A docker
 * provider exists only when the stack names a Docker endpoint, which builds and pushes
 * the images of services with a `build:`.
 */
export function kubernetesTarget(config: StackConfig): DeploymentTarget {
  const settings = config.kubernetes ?? {};
  const kubeconfig = settings.kubeconfig === undefined ? undefined : pulumi.secret(settings.kubeconfig);
  const kubernetesProvider = new k8s.Provider("kubernetes", { kubeconfig, context: settings.context });
  const provider = config.docker === undefined ? undefined : endpointTarget(config, {}).provider;
  return { provider, kubernetesProvider, publicHost: config.publicHost };
}
