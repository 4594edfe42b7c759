/**
 * The Pulumi program: one compose application per stack, deployed with ComposeApp. The
 * stack configuration (stacks/Pulumi.<stack>.yaml, see stacks/config.ts) names the
 * compose files, where they run (an existing Docker endpoint, or a swarm cluster the
 * stack bootstraps) and what this environment changes.
 *
 * Outputs: `url` (the application's main URL), `urls` (per service), `services` (the
 * physical swarm services or containers per compose service), `images` (the image
 * reference each service runs, by digest for built images), `project`, `target`,
 * `environment`.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ComposeError } from "../infra/compose/errors.ts";
import { GraphError } from "../infra/graph/warnings.ts";
import { TARGET_DEFINITIONS } from "../infra/graph/targets/index.ts";
import { HostConfigError } from "../infra/hosts/issues.ts";
import { ComposeApp } from "../components/compose-app.ts";
import { Environment } from "../components/environment.ts";
import { readStackConfig, StackConfigError, type StackConfig } from "./config.ts";
import type { StackConfigFile } from "./config-source.ts";
import { loadStackProject } from "./project.ts";
import { clusterTarget } from "./cluster.ts";
import { PublicPassphraseError, refusePublicPassphrase } from "./passphrase.ts";
import { readStackFile } from "./stack-file.ts";
import { endpointTarget, kubernetesTarget, type DeploymentTarget } from "./target.ts";

const stacksDir = import.meta.dirname;
const projectRoot = path.dirname(stacksDir);
const pulumiProject = { dir: projectRoot, name: "compose-pulumi", stackConfigDir: stacksDir };

/** Problems with the user's input: shown as they are, without a stack trace. */
const INPUT_ERRORS = [StackConfigError, ComposeError, GraphError, HostConfigError, PublicPassphraseError];

/** The SDK knows which keys hold secrets (`pulumi config set --secret`) but does not type the check. */
function isConfigSecret(key: string): boolean {
  return (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(key);
}

function readConfig(stack: string): { config: StackConfig; file?: StackConfigFile } {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter(isConfigSecret));
  const file = readStackFile(pulumiProject, stack, process.cwd() === stacksDir ? projectRoot : process.cwd());
  return { config: readStackConfig({ stack, values, secretKeys, file, baseDir: stacksDir }), file };
}

function deploymentTarget(config: StackConfig, projectName: string): DeploymentTarget {
  if (config.cluster !== undefined) return clusterTarget(`${projectName}-cluster`, config.cluster, config.environment, config.publicHost);
  if (TARGET_DEFINITIONS[config.target].platform === "kubernetes") return kubernetesTarget(config);
  return endpointTarget(config, process.env);
}

async function main() {
  const stack = pulumi.getStack();
  const { config, file } = readConfig(stack);
  refusePublicPassphrase(stack, config.environment, process.env);
  // Checked here first, so that an override or secret that does not fit the compose files
  // is shown at its line in Pulumi.<stack>.yaml rather than as a ComposeApp argument.
  const { project } = loadStackProject(config, { baseDir: stacksDir, processEnv: process.env, file });
  const target = deploymentTarget(config, project.name);

  new Environment("environment", {
    environment: config.environment,
    stack,
    target: config.target,
    project: project.name,
    ...(target.managers !== undefined ? { managers: target.managers, workers: target.workers ?? 0 } : {}),
    ...(config.cluster?.allowEvenManagers !== undefined ? { allowEvenManagers: config.cluster.allowEvenManagers } : {}),
  });

  const fromStacks = (file: string) => path.resolve(stacksDir, file);
  const { compose, registry } = config;
  const app = new ComposeApp(project.name, {
    files: compose.files.map(fromStacks),
    envFiles: compose.envFiles?.map(fromStacks),
    profiles: compose.profiles,
    projectName: compose.projectName,
    projectDirectory: compose.projectDirectory === undefined ? undefined : fromStacks(compose.projectDirectory),
    variables: compose.variables,
    target: config.target,
    provider: target.provider,
    kubernetes: target.kubernetesProvider === undefined ? undefined : { ...config.kubernetes, kubeconfig: undefined, context: undefined, provider: target.kubernetesProvider },
    dockerSshOptions: target.dockerSshOptions,
    publicHost: target.publicHost,
    registry: registry === undefined ? undefined : { server: registry.server, username: registry.username, password: registry.password, insecure: registry.insecure },
    secrets: config.secrets,
    overrides: config.services,
    jobTimeoutSeconds: config.jobTimeoutSeconds,
  });

  // A missing external network ends the run here, before any resource changes.
  await app.ready;

  return {
    url: app.url,
    urls: app.urls,
    services: app.services,
    images: app.images,
    project: app.projectName,
    target: config.target,
    environment: config.environment,
  };
}

export default async () => {
  try {
    return await main();
  } catch (error) {
    if (INPUT_ERRORS.some((kind) => error instanceof kind)) throw new pulumi.RunError((error as Error).message);
    throw error;
  }
};
