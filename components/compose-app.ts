/**
 * A team's compose application as one Pulumi component: give it the compose files and
 * where they run, and it loads them (interpolation, `.env`, merging, profiles), applies
 * this deployment's overrides and secrets, and deploys them with ComposeProject.
 *
 * Every problem with the files or the arguments is reported at once, in one Pulumi error
 * without a stack trace, before any resource of the application is declared:
 *
 *     ComposeApp "shop" cannot be deployed (2 problems):
 *     compose.yaml:3:5: services.web.imagee: unknown key "imagee" (did you mean "image"?)
 *     ComposeApp "shop": overrides.wbe: no service "wbe" in compose project "shop" (services: web, db)
 *
 * @example
 * const app = new ComposeApp("shop", { files: ["compose.yaml"], target: "engine" });
 * export const url = app.url;
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import type * as k8s from "@pulumi/kubernetes";
// The provider from its own module: the package's root loads all of Kubernetes' API groups.
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider.js";
import { defaultDockerEndpoint, hostOfDockerEndpoint, primaryUrl, serviceUrls } from "../infra/app/endpoints.ts";
import { applyAppSettings } from "../infra/app/project.ts";
import { GraphError, formatGraphIssue } from "../infra/graph/warnings.ts";
import { TARGET_DEFINITIONS, type Target } from "../infra/graph/targets/index.ts";
import { checkSecretNames, prepareApp, type ComposeAppArgs, type PreparedApp } from "./compose-app-args.ts";
import { ComposeAppError } from "./compose-app-error.ts";
import { ComposeProject } from "./compose-project.ts";
import { Environment } from "./environment.ts";
import { isPlain, settle } from "./input-values.ts";

export type { ComposeAppArgs, ComposeAppKubernetes, ComposeAppRegistry, ServiceOverrideArgs, ServiceResourcesArgs } from "./compose-app-args.ts";
export { ComposeAppError } from "./compose-app-error.ts";

export const COMPOSE_APP_TYPE = "compose:app:ComposeApp";

/** Stands in for a secret whose value is an output not known yet in a preview. */
const UNKNOWN_SECRET = "(known after the deployment)";

export class ComposeApp extends pulumi.ComponentResource {
  /** The compose project name: the prefix of every container, service, network and volume. */
  readonly projectName: string;
  /** Where the application runs. */
  readonly target: Target;
  /** The compose services deployed (profiles applied), in the order of the files. */
  readonly serviceNames: string[];
  /**
   * The docker provider the application's resources use (the one given, or the one
   * created). On Kubernetes, the one that builds images; undefined when nothing is built.
   */
  readonly provider: docker.Provider | undefined;
  /** The kubernetes target's provider (the one given, or one for `kubernetes.kubeconfig`). */
  readonly kubernetesProvider: k8s.Provider | undefined;
  /** URLs per service: one per published TCP port, e.g. `{ web: ["http://127.0.0.1:8080/"] }`. */
  readonly urls: pulumi.Output<Record<string, string[]>>;
  /** The first URL of the first service that publishes a port, if any. */
  readonly url: pulumi.Output<string | undefined>;
  /**
   * Physical names per compose service: the containers on an engine
   * (`shop-web-1`, `shop-web-2`), the swarm service on a swarm (`shop_web`); one-shot jobs included.
   */
  readonly services: pulumi.Output<Record<string, string[]>>;
  /** The image each service runs: the image ID (engine) or `name@sha256:digest` (swarm), for built and pulled images. */
  readonly images: pulumi.Output<Record<string, string>>;
  /**
   * Settles once every resource of the application is declared and every external network
   * is found; rejects with a ComposeAppError otherwise. `await app.ready` in an async
   * program ends the run at the first problem; without it, Pulumi reports the error itself.
   */
  readonly ready: Promise<void>;

  constructor(name: string, args: ComposeAppArgs, opts?: pulumi.ComponentResourceOptions) {
    const prepared = prepareApp(name, args, secretNamesOf(args?.secrets));
    super(COMPOSE_APP_TYPE, name, {}, opts);
    const project = prepared.loaded.project;
    this.projectName = project.name;
    this.target = args.target;
    this.serviceNames = Object.keys(project.services);

    const processEnv = args.processEnv ?? process.env;
    const dockerHost = args.dockerHost !== undefined ? pulumi.output(args.dockerHost) : undefined;
    const onKubernetes = TARGET_DEFINITIONS[args.target].platform === "kubernetes";
    // On Kubernetes a Docker endpoint only builds images: none is needed when nothing is built.
    const needsDocker = !onKubernetes || Object.values(project.services).some((service) => service.build !== undefined);
    this.kubernetesProvider = !onKubernetes
      ? undefined
      : args.kubernetes?.provider ?? new KubernetesProvider(
        `${name}-kubernetes`,
        {
          kubeconfig: args.kubernetes?.kubeconfig === undefined ? undefined : pulumi.secret(args.kubernetes.kubeconfig),
          context: args.kubernetes?.context,
        },
        { parent: this },
      );
    this.provider = args.provider ?? (!needsDocker ? undefined : new docker.Provider(
      `${name}-docker`,
      {
        host: dockerHost ?? defaultDockerEndpoint(processEnv),
        sshOpts: args.dockerSshOptions,
        registryAuth: args.registry?.username !== undefined
          ? [{ address: args.registry.server, username: args.registry.username, password: secretOrUndefined(args.registry.password) }]
          : undefined,
      },
      { parent: this },
    ));
    if (args.environment !== undefined) {
      new Environment(`${name}-environment`, { environment: args.environment, stack: pulumi.getStack(), target: args.target, project: project.name }, { parent: this });
    }

    // On Kubernetes the published ports are on the nodes or a load balancer: only `publicHost` names them.
    const endpoint = onKubernetes || this.provider === undefined
      ? undefined
      : dockerHost ?? this.provider.host.apply((host) => host ?? defaultDockerEndpoint(processEnv));
    const publicHost = args.publicHost !== undefined ? pulumi.output(args.publicHost) : endpoint?.apply(hostOfDockerEndpoint);
    this.urls = publicHost === undefined ? pulumi.output<Record<string, string[]>>({}) : publicHost.apply((host) => serviceUrls(project, host));
    this.url = this.urls.apply(primaryUrl);

    const deploy = (secrets: Record<string, string>) => this.declareProject(name, args, prepared, secrets, dockerHost, opts);
    const deployed = isPlain(args.secrets)
      ? Promise.resolve(deploy((args.secrets ?? {}) as Record<string, string>))
      : settleSecrets(name, args.secrets!, prepared).then(deploy);
    // A failure is reported once, through `ready`; the outputs of an app that was not deployed are empty.
    this.services = pulumi.output(deployed.then(physicalNames, () => pulumi.output<Record<string, string[]>>({})));
    this.images = pulumi.output(deployed.then(imageRefs, () => pulumi.output<Record<string, string>>({})));
    this.ready = deployed.then((inner) => inner.ready).catch((error: unknown) => {
      if (error instanceof ComposeAppError) throw error;
      throw new ComposeAppError(name, [(error as Error)?.message ?? String(error)]);
    });
    this.registerOutputs({ projectName: this.projectName, urls: this.urls, url: this.url, services: this.services, images: this.images });
  }

  private declareProject(
    name: string,
    args: ComposeAppArgs,
    prepared: PreparedApp,
    secrets: Record<string, string>,
    dockerHost: pulumi.Output<string> | undefined,
    opts: pulumi.ComponentResourceOptions | undefined,
  ): ComposeProject {
    const { project, environment } = applyAppSettings(prepared.loaded, prepared.overrides, secrets);
    try {
      return new ComposeProject(
        name,
        {
          project,
          target: args.target,
          provider: this.provider,
          kubernetes: this.kubernetesProvider === undefined ? undefined : { ...kubernetesOptions(args.kubernetes), provider: this.kubernetesProvider },
          dockerHost,
          dockerSshOptions: args.dockerSshOptions,
          registry: args.registry?.server,
          registryAuth: args.registry?.username !== undefined ? { username: args.registry.username, password: secretOrUndefined(args.registry.password) } : undefined,
          insecureRegistries: args.registry?.insecure === true ? [args.registry.server] : undefined,
          environment,
          jobTimeoutSeconds: args.jobTimeoutSeconds,
          rolloutTimeoutSeconds: args.rolloutTimeoutSeconds,
        },
        {
          parent: this,
          dependsOn: opts?.dependsOn,
          // Stacks made before ComposeApp declared ComposeProject at their root under the same
          // name: this keeps what they deployed in place instead of replacing it.
          aliases: [{ parent: pulumi.rootStackResource }],
        },
      );
    } catch (error) {
      if (error instanceof GraphError) throw new ComposeAppError(name, error.issues.map(formatGraphIssue));
      throw error;
    }
  }
}

/** The secret names when they can be read now (a plain record, even of outputs), else undefined. */
function secretNamesOf(secrets: ComposeAppArgs["secrets"]): string[] | undefined {
  if (secrets === undefined) return [];
  if (pulumi.Output.isInstance(secrets) || secrets instanceof Promise) return undefined;
  return Object.keys(secrets);
}

/**
 * The secrets' values once known. In a preview, a value that is another resource's
 * output not created yet stands as a placeholder (the preview then shows a placeholder
 * name for that secret); `pulumi up` always waits for the real value.
 */
async function settleSecrets(name: string, secrets: NonNullable<ComposeAppArgs["secrets"]>, prepared: PreparedApp): Promise<Record<string, string>> {
  let entries: [string, pulumi.Input<string>][];
  if (pulumi.Output.isInstance(secrets) || secrets instanceof Promise) {
    const whole = await settle(secrets);
    if (!whole.known) {
      // Which secrets it sets is not known yet either: every secret the project creates stands as a placeholder.
      void pulumi.log.info("secrets: not known until the deployment; this preview shows placeholder names for the project's secrets");
      const created = Object.entries(prepared.loaded.project.secrets ?? {}).filter(([, secret]) => secret.external !== true);
      return Object.fromEntries(created.map(([key]) => [key, UNKNOWN_SECRET]));
    }
    entries = Object.entries(whole.value ?? {});
    checkSecretNames(name, prepared, entries.map(([key]) => key));
  } else {
    entries = Object.entries(secrets);
  }
  const values: Record<string, string> = {};
  for (const [key, input] of entries) {
    const value = await settle(input);
    if (!value.known) {
      void pulumi.log.info(`secrets.${key}: its value is not known until the deployment; this preview shows a placeholder name for the secret`);
    }
    values[key] = value.known ? String(value.value) : UNKNOWN_SECRET;
  }
  return values;
}

function secretOrUndefined(value: pulumi.Input<string> | undefined): pulumi.Output<string> | undefined {
  return value === undefined ? undefined : pulumi.secret(value);
}

/** The stack's settings of the kubernetes target, without its provider's. */
function kubernetesOptions(settings: ComposeAppArgs["kubernetes"]) {
  const { provider: _provider, kubeconfig: _kubeconfig, context: _context, ...options } = settings ?? {};
  return options;
}

function physicalNames(project: ComposeProject): pulumi.Output<Record<string, string[]>> {
  const names: Record<string, pulumi.Output<string[]>> = {};
  for (const [key, workload] of Object.entries(project.workloads)) names[key] = workload.workloadName.apply((workloadName) => [workloadName]);
  for (const [key, job] of Object.entries(project.kubernetesJobs)) names[key] = job.jobName.apply((jobName) => [jobName]);
  for (const [key, service] of Object.entries(project.services)) names[key] = service.serviceName.apply((serviceName) => [serviceName]);
  for (const [key, container] of Object.entries(project.containers)) names[key] = container.containerNames;
  for (const [key, job] of Object.entries(project.jobs)) names[key] = job.jobName.apply((jobName) => [jobName]);
  return pulumi.output(names);
}

function imageRefs(project: ComposeProject): pulumi.Output<Record<string, string>> {
  const refs: Record<string, pulumi.Output<string>> = {};
  for (const [key, image] of Object.entries(project.images)) refs[key] = image.ref;
  return pulumi.output(refs);
}
