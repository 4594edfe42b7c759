/**
 * ComposeApp's arguments and their checks: everything that can be checked before a
 * resource is declared (argument types, the compose files, the overrides and the secret
 * names against the project) is checked at once, and every problem reported together.
 */
import path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import type * as k8s from "@pulumi/kubernetes";
import type { KubernetesOptions } from "../infra/graph/targets/kubernetes/index.ts";
import { ComposeError, formatIssue } from "../infra/compose/errors.ts";
import { describeKind } from "../infra/compose/schema/primitives.ts";
import { ArgumentIssues } from "../infra/app/issues.ts";
import { parseServiceOverrides, type ServiceOverride } from "../infra/app/overrides.ts";
import { checkAppSettings, loadAppProject, type LoadedApp } from "../infra/app/project.ts";
import { ENVIRONMENTS, type EnvironmentTier } from "../infra/app/tiers.ts";
import { TARGET_NAMES, type Target } from "../infra/graph/targets/target.ts";
import { ComposeAppError } from "./compose-app-error.ts";

/** Resource limits or reservations of one service. */
export interface ServiceResourcesArgs {
  /** CPUs, e.g. `0.5` or `"0.5"`. */
  cpus?: number | string;
  /** Memory in bytes, or with a unit as in compose files: `"256M"`, `"1G"`. */
  memory?: number | string;
  /** Maximum number of processes (limits only). */
  pids?: number;
}

/** What one deployment changes about one compose service; the compose file stays as it is. */
export interface ServiceOverrideArgs {
  /** Containers (engine) or tasks (swarm) to run; replaces `deploy.replicas` and `scale`. */
  replicas?: number;
  /** Another image, e.g. `postgres:16.4`; not together with `tag`. */
  image?: string;
  /** Another tag for the service's `image:`, keeping its registry and repository. */
  tag?: string;
  /** Merged over `deploy.resources` of the compose file. */
  resources?: {
    limits?: ServiceResourcesArgs;
    reservations?: Omit<ServiceResourcesArgs, "pids">;
  };
}

/** A registry for built images (and credentials for private ones). */
export interface ComposeAppRegistry {
  /** `host[:port]`. On a swarm, built images without `image:` are pushed here as `<server>/<project>-<service>:latest`. */
  server: string;
  /** User name for pushes and pulls. */
  username?: pulumi.Input<string>;
  /** Password or token; kept as a Pulumi secret. */
  password?: pulumi.Input<string>;
  /** Spoken to over plain HTTP, like dockerd's `--insecure-registry`. */
  insecure?: boolean;
}

/** The cluster of the kubernetes target, and what this deployment decides there. */
export interface ComposeAppKubernetes extends KubernetesOptions {
  /** A Kubernetes provider, e.g. one made for another stack's cluster. Default: one for `kubeconfig` and `context`. */
  provider?: k8s.Provider;
  /** A kubeconfig's path or content (kept as a Pulumi secret); default: KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: pulumi.Input<string>;
  /** The kubeconfig's context; default: its current context. */
  context?: string;
}

export interface ComposeAppArgs {
  /**
   * Compose files, merged in order as `docker compose -f a.yaml -f b.yaml` merges them.
   * Relative paths resolve against the working directory of the Pulumi program (the
   * folder of `Pulumi.yaml`).
   */
  files: string[];
  /** Env files used instead of `.env` beside the first compose file. */
  envFiles?: string[];
  /** Compose profiles to activate (`*` activates all). */
  profiles?: string[];
  /** Compose project name; default: `COMPOSE_PROJECT_NAME`, the files' `name:`, the folder's name. */
  projectName?: string;
  /** Directory relative paths inside the compose files resolve against; default: the first file's. */
  projectDirectory?: string;
  /**
   * Interpolation variables (`${TAG}` in the files). They win over the process environment
   * and `.env`. Plain strings: they decide the model, which must be known before any
   * resource is declared.
   */
  variables?: Record<string, string>;
  /** The process environment the files are interpolated with; default `process.env`. */
  processEnv?: Readonly<Record<string, string | undefined>>;
  /**
   * `engine`: one Docker engine, `docker compose up` semantics. `swarm`: a swarm, `docker
   * stack deploy` semantics. `kubernetes`: a Kubernetes cluster (see `kubernetes`).
   */
  target: Target;
  /** The kubernetes target's cluster, namespace, published-port Service type and storage. */
  kubernetes?: ComposeAppKubernetes;
  /**
   * The docker provider of the engine or swarm manager, e.g. SwarmCluster's `provider`.
   * Default: a provider for `dockerHost`.
   */
  provider?: docker.Provider;
  /**
   * Docker endpoint (`unix:///var/run/docker.sock`, `ssh://user@host`, `tcp://host:2376`),
   * for the provider ComposeApp creates and for the docker CLI steps (one-shot jobs,
   * external swarm objects). Default: the provider's host, else `DOCKER_HOST`, else the local socket.
   */
  dockerHost?: pulumi.Input<string>;
  /** ssh flags for an `ssh://` endpoint, e.g. SwarmCluster's `dockerSshOptions` (its pinned host key). */
  dockerSshOptions?: pulumi.Input<string[]>;
  /** Host name in the `urls` output; default: the host of the Docker endpoint (127.0.0.1 for a local socket). */
  publicHost?: pulumi.Input<string>;
  /** Registry for built images on a swarm, and credentials for private registries. */
  registry?: ComposeAppRegistry;
  /**
   * Content of compose secrets by secret name, replacing the source in the compose file
   * (e.g. `config.requireSecret("dbPassword")`). Values are kept as Pulumi secrets. The
   * compose file still declares the secret and which services mount it.
   */
  secrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Per-service changes for this deployment, by compose service name. */
  overrides?: Record<string, ServiceOverrideArgs>;
  /**
   * `dev`, `staging` or `prod`: records an Environment resource for the policy pack (pinned
   * images outside dev, limits in prod), and outside dev requires every secret the project
   * creates in `secrets` (the compose file's secret files are for development).
   */
  environment?: EnvironmentTier;
  /** Seconds a one-shot job (`service_completed_successfully`) may take on a swarm; default 600. */
  jobTimeoutSeconds?: number;
  /** Seconds a swarm service with an update policy may take to roll out; default 600. */
  rolloutTimeoutSeconds?: number;
}

/** What prepareApp checked: the loaded project, the overrides in canonical units, the tier. */
export interface PreparedApp {
  /** The compose project as loaded, before the overrides and secrets apply. */
  loaded: LoadedApp;
  /** The overrides, checked. */
  overrides: Record<string, ServiceOverride>;
  /** `environment`, `dev` when not given. */
  tier: EnvironmentTier;
}


/** The loaded project and checked settings, or a ComposeAppError listing every problem. */
export function prepareApp(name: string, args: ComposeAppArgs, secretNames: readonly string[] | undefined): PreparedApp {
  const issues = new ArgumentIssues(`ComposeApp "${name}"`);
  const problems: string[] = [];
  const files = checkFiles(args?.files, issues);
  if (!TARGET_NAMES.includes(args?.target)) issues.add(["target"], `must be "engine", "swarm" or "kubernetes", got ${describe(args?.target)}`);
  if (args?.environment !== undefined && !(ENVIRONMENTS as readonly string[]).includes(args.environment)) {
    issues.add(["environment"], `must be one of ${ENVIRONMENTS.map((tier) => `"${tier}"`).join(", ")}, got ${describe(args.environment)}`);
  }
  const overrides = parseServiceOverrides(args?.overrides, issues.under("overrides"));
  const tier = args?.environment ?? "dev";

  let loaded: LoadedApp | undefined;
  if (files !== undefined) {
    try {
      loaded = loadAppProject({ ...args, files }, process.cwd(), args.processEnv ?? process.env);
    } catch (error) {
      if (!(error instanceof ComposeError)) throw error;
      problems.push(...error.issues.map(formatIssue));
    }
  }
  if (loaded !== undefined) {
    checkAppSettings(
      loaded,
      { overrides, configuredSecrets: secretNames ?? [], tier: secretNames === undefined ? "dev" : tier },
      { overrides: issues.under("overrides"), secrets: issues.under("secrets") },
    );
  }
  problems.push(...issues.list.map(formatIssue));
  if (problems.length > 0 || loaded === undefined) throw new ComposeAppError(name, problems);
  return { loaded, overrides, tier };
}

/** Checks the secret names once they are known (a `secrets` record that is itself an Output). */
export function checkSecretNames(name: string, prepared: PreparedApp, secretNames: readonly string[]): void {
  const issues = new ArgumentIssues(`ComposeApp "${name}"`);
  checkAppSettings(prepared.loaded, { overrides: {}, configuredSecrets: secretNames, tier: prepared.tier }, { overrides: () => undefined, secrets: issues.under("secrets") });
  if (issues.list.length > 0) throw new ComposeAppError(name, issues.list.map(formatIssue));
}

function checkFiles(files: unknown, issues: ArgumentIssues): string[] | undefined {
  if (!Array.isArray(files) || files.length === 0) {
    issues.add(["files"], `needs at least one compose file, got ${describe(files)}`);
    return undefined;
  }
  const bad = files.findIndex((file) => typeof file !== "string" || file === "");
  if (bad !== -1) {
    issues.add(["files", bad], `expected a file name, got ${describe(files[bad])}`);
    return undefined;
  }
  return files.map((file: string) => path.normalize(file));
}

function describe(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : describeKind(value);
}
