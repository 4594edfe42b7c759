/**
 * The Pulumi program: one compose application per stack. The stack configuration
 * (stacks/Pulumi.<stack>.yaml, see stacks/config.ts) names the compose files and where
 * they run; this program loads them, applies the environment's overrides and secrets,
 * and deploys them with ComposeProject.
 *
 * Outputs: `url` (the application's main URL), `urls` (per service), `services` (the
 * physical swarm services or containers per compose service), `images` (the image
 * reference each service runs, by digest for built images), `project`, `target`,
 * `environment`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ComposeError } from "../infra/compose/errors.ts";
import { GraphError } from "../infra/graph/warnings.ts";
import { HostConfigError } from "../infra/hosts/issues.ts";
import { ComposeProject } from "../components/compose-project.ts";
import { readStackConfig, StackConfigError, type StackConfig } from "./config.ts";
import type { StackConfigFile } from "./config-source.ts";
import { primaryUrl, serviceUrls } from "./endpoints.ts";
import { Environment } from "./environment.ts";
import { loadStackProject } from "./project.ts";
import { clusterTarget } from "./cluster.ts";
import { PublicPassphraseError, refusePublicPassphrase } from "./passphrase.ts";
import { endpointTarget, type DeploymentTarget } from "./target.ts";

const stacksDir = import.meta.dirname;
const projectRoot = path.dirname(stacksDir);

/** Problems with the user's input: shown as they are, without a stack trace. */
const INPUT_ERRORS = [StackConfigError, ComposeError, GraphError, HostConfigError, PublicPassphraseError];

function stackFile(stack: string): StackConfigFile | undefined {
  const file = path.join(stacksDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return undefined;
  return { display: path.relative(process.cwd() === stacksDir ? projectRoot : process.cwd(), file), text: readFileSync(file, "utf8") };
}

/** The SDK knows which keys hold secrets (`pulumi config set --secret`) but does not type the check. */
function isConfigSecret(key: string): boolean {
  return (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(key);
}

function readConfig(stack: string): { config: StackConfig; file?: StackConfigFile } {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter(isConfigSecret));
  const file = stackFile(stack);
  return { config: readStackConfig({ stack, values, secretKeys, file }), file };
}

function deploymentTarget(config: StackConfig, projectName: string): DeploymentTarget {
  if (config.cluster !== undefined) return clusterTarget(`${projectName}-cluster`, config.cluster, config.environment, config.publicHost);
  return endpointTarget(config, process.env);
}

async function main() {
  const stack = pulumi.getStack();
  const { config, file } = readConfig(stack);
  refusePublicPassphrase(stack, config.environment, process.env);
  const { project, environment } = loadStackProject(config, { baseDir: stacksDir, processEnv: process.env, file });
  const target = deploymentTarget(config, project.name);

  new Environment("environment", {
    environment: config.environment,
    stack,
    target: config.target,
    project: project.name,
    ...(target.managers !== undefined ? { managers: target.managers, workers: target.workers ?? 0 } : {}),
    ...(config.cluster?.allowEvenManagers !== undefined ? { allowEvenManagers: config.cluster.allowEvenManagers } : {}),
  });

  const app = new ComposeProject(project.name, {
    project,
    target: config.target,
    provider: target.provider,
    dockerSshOptions: target.dockerSshOptions,
    registry: config.registry?.server,
    registryAuth: config.registry?.username !== undefined
      ? { username: config.registry.username, password: config.registry.password === undefined ? undefined : pulumi.secret(config.registry.password) }
      : undefined,
    insecureRegistries: config.registry?.insecure === true ? [config.registry.server] : undefined,
    environment,
    jobTimeoutSeconds: config.jobTimeoutSeconds,
  });

  // A missing external network ends the run here, before any resource changes.
  await app.ready;

  const urls = pulumi.output(target.publicHost).apply((host) => serviceUrls(project, host));
  const services: Record<string, pulumi.Output<string[]>> = {};
  for (const [key, service] of Object.entries(app.services)) services[key] = service.serviceName.apply((name) => [name]);
  for (const [key, container] of Object.entries(app.containers)) services[key] = container.containerNames;
  const images: Record<string, pulumi.Output<string>> = {};
  for (const [key, image] of Object.entries(app.images)) images[key] = image.ref;

  return {
    url: urls.apply(primaryUrl),
    urls,
    services,
    images,
    project: project.name,
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
