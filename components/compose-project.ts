/**
 * A whole compose project on one target: networks, volumes, secrets, configs, images, and
 * per service a swarm Service, engine Containers or a one-shot Job, keyed by compose
 * names and ordered by depends_on; on Kubernetes a Namespace, claims, Secrets and
 * ConfigMaps, and per service a KubernetesWorkload or a KubernetesJob. Everything is
 * decided (and every problem reported) before the first resource is created; warnings go
 * to Pulumi's log on this component.
 */
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import type * as k8s from "@pulumi/kubernetes";
import { planProject, type ProjectPlan } from "../infra/graph/plan.ts";
import { formatGraphIssue } from "../infra/graph/warnings.ts";
import { logicalName, engineContainerName, registryHost } from "../infra/graph/naming.ts";
import { TARGET_DEFINITIONS, type DockerTargetDefinition, type Target } from "../infra/graph/targets/index.ts";
import { networkSpec, usedNetworkKeys } from "../infra/graph/networks.ts";
import { volumePhysicalName } from "../infra/graph/mounts.ts";
import { objectLabels } from "../infra/graph/labels.ts";
import { swarmServiceSpec } from "../infra/graph/targets/swarm/service.ts";
import { engineContainerSpec, replicaCount } from "../infra/graph/targets/engine/container.ts";
import { convertUlimits } from "../infra/graph/targets/shared/convert.ts";
import { DEFAULT_JOB_TIMEOUT_SECONDS, type JobRefs, type RegistryCredentials } from "../infra/graph/targets/shared/job-script.ts";
import { dependenciesOf } from "../infra/graph/depends-on.ts";
import { dockerCliEnvironment, withSshWrapper } from "../infra/graph/docker-cli.ts";
import type { ObjectRef } from "../infra/graph/secrets.ts";
import { hashBuildContext } from "../infra/graph/build-context.ts";
import type { Project } from "../infra/graph/model.ts";
import { composeFacts, type ComposeFacts } from "../infra/graph/policy-facts.ts";
import { Network } from "./network.ts";
import { Volume } from "./volume.ts";
import { Secret } from "./secret.ts";
import { Config } from "./config.ts";
import { Image, type ImageBuild, type ImageBuilder } from "./image.ts";
import { buildSecrets } from "../infra/graph/build-secrets.ts";
import { Service } from "./service.ts";
import { Container } from "./container.ts";
import { Job } from "./job.ts";
import { claimSpec } from "../infra/graph/targets/kubernetes/storage.ts";
import { objectSpec } from "../infra/graph/targets/kubernetes/objects.ts";
import { namespaceName } from "../infra/graph/targets/kubernetes/names.ts";
import { projectLabels } from "../infra/graph/targets/kubernetes/labels.ts";
import { workloadSpec, type PodRefs } from "../infra/graph/targets/kubernetes/workload.ts";
import { serviceSpecs } from "../infra/graph/targets/kubernetes/service.ts";
import { jobSpec } from "../infra/graph/targets/kubernetes/job.ts";
import type { KubernetesOptions } from "../infra/graph/targets/kubernetes/index.ts";
import { KubernetesNamespace } from "./kubernetes-namespace.ts";
import { KubernetesVolume } from "./kubernetes-volume.ts";
import { KubernetesObject } from "./kubernetes-object.ts";
import { KubernetesWorkload } from "./kubernetes-workload.ts";
import { KubernetesJob } from "./kubernetes-job.ts";

export const COMPOSE_PROJECT_TYPE = "compose:project:ComposeProject";
export const DEFAULT_ROLLOUT_TIMEOUT_SECONDS = 600;

export interface ComposeProjectArgs {
  /** The canonical model (infra/compose loadProject). */
  project: Project;
  /** `engine` (containers, `docker compose up`), `swarm` (services, `docker stack deploy`) or `kubernetes`. */
  target: Target;
  /**
   * Docker provider for the target (one engine, or a swarm manager). On Kubernetes, the
   * engine that builds and pushes images with a `build:` (needed only then).
   */
  provider?: docker.Provider;
  /** The cluster and its settings, for the kubernetes target. */
  kubernetes?: KubernetesClusterArgs;
  /** Registry for images built without an `image:` name on a swarm. */
  registry?: string;
  /** Credentials for pushing built images to their registries (swarm). */
  registryAuth?: { username?: pulumi.Input<string>; password?: pulumi.Input<string> };
  /** Registries (`host[:port]`) spoken to over plain HTTP, like dockerd's --insecure-registry. */
  insecureRegistries?: string[];
  /** Docker host for the CLI steps (jobs, external swarm objects); defaults to the provider's host. */
  dockerHost?: pulumi.Input<string | undefined>;
  /** The ssh flags of a provider that reaches its manager over ssh (SwarmCluster.dockerSshOptions), for the CLI steps too. */
  dockerSshOptions?: pulumi.Input<string[]>;
  /** Seconds a swarm job may take to complete. */
  jobTimeoutSeconds?: number;
  /** Seconds a swarm service with an update policy may take to roll out. */
  rolloutTimeoutSeconds?: number;
  /** Reads secret and config files; defaults to the file system. */
  readFile?: (path: string) => Buffer;
  /** Variables for `environment:` secrets and configs; defaults to the process environment. */
  environment?: Readonly<Record<string, string | undefined>>;
  /**
   * How images are built (components/image.ts): `engine-api` (the default: the provider's
   * engine builds with its BuildKit, or the classic builder before Docker 18.09) or
   * `buildx` (adds cache_to and additional_contexts, but builds on the docker CLI's
   * current endpoint: for a local engine only).
   */
  builder?: ImageBuilder;
  /** Hashes an image build context; defaults to reading the files (infra/graph/build-context.ts). */
  hashBuildContext?: (context: string, dockerfile?: string) => string;
}

/** Where a project runs on the kubernetes target. */
export interface KubernetesClusterArgs extends KubernetesOptions {
  /** The Kubernetes provider (a kubeconfig and context). */
  provider: k8s.Provider;
}

export class ComposeProject extends pulumi.ComponentResource {
  /** Where the project runs. */
  readonly target: Target;
  /** Warnings (also logged), as `path: message`. */
  readonly warnings: string[];
  /** By compose network key: the networks the services use. */
  readonly networks: Record<string, Network> = {};
  /** By compose volume key. */
  readonly volumes: Record<string, Volume> = {};
  /** By compose secret key. */
  readonly secrets: Record<string, Secret> = {};
  /** By compose config key. */
  readonly configs: Record<string, Config> = {};
  /** By compose service key: the image each service runs (pulled or built). */
  readonly images: Record<string, Image> = {};
  /** Swarm target: one per long-running service. */
  readonly services: Record<string, Service> = {};
  /** Engine target: one per long-running service. */
  readonly containers: Record<string, Container> = {};
  /** One-shot services (others wait for them with `service_completed_successfully`). */
  readonly jobs: Record<string, Job> = {};
  /** Kubernetes target: the project's namespace. */
  namespace?: KubernetesNamespace;
  /** Kubernetes target: per long-running service, its Deployment or DaemonSet and Services. */
  readonly workloads: Record<string, KubernetesWorkload> = {};
  /** Kubernetes target: per one-shot service, its batch/v1 Job. */
  readonly kubernetesJobs: Record<string, KubernetesJob> = {};
  /** Kubernetes target: per named volume, its claim. */
  readonly claims: Record<string, KubernetesVolume> = {};
  /** Kubernetes target: per secret and config (`secret.<key>`, `config.<key>`), its Secret or ConfigMap. */
  readonly objects: Record<string, KubernetesObject> = {};
  /**
   * Settles once every external network is found on the target, or rejects naming the
   * missing one. A program awaits it so that the failure ends the run at once: nothing of
   * the project is declared before it settles.
   */
  readonly ready: Promise<void>;

  constructor(name: string, args: ComposeProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    checkProviders(args);
    const plan = planProject(args.project, {
      target: args.target,
      registry: args.registry,
      builder: args.builder,
      sources: {
        readFile: args.readFile ?? ((path) => readFileSync(path)),
        environment: args.environment ?? process.env,
        hashBuildContext: args.hashBuildContext ?? hashBuildContext,
      },
    });
    // Nothing is declared until every external network is found on the target, so that a
    // missing one fails the run before any resource changes (as `docker stack deploy` checks first).
    let externalsChecked: (lookups: Promise<unknown>) => void = () => undefined;
    const checked = new Promise<unknown>((resolve) => (externalsChecked = resolve));
    const dependsOn = checked.then(() => opts?.dependsOn ?? []) as unknown as pulumi.Input<pulumi.Resource[]>;
    super(COMPOSE_PROJECT_TYPE, name, {}, {
      ...opts,
      provider: args.provider,
      providers: args.kubernetes === undefined ? opts?.providers : [args.kubernetes.provider],
      dependsOn,
    });
    this.target = args.target;
    this.warnings = plan.warnings.map(formatGraphIssue);
    this.ready = checked.then(() => undefined);
    try {
      this.declareChildren(name, args, plan);
    } finally {
      externalsChecked(
        Promise.all(
          Object.entries(this.networks).map(([key, network]) =>
            network.lookup?.catch((error: unknown) => {
              throw new Error(`networks.${key}: ${(error as Error)?.message ?? error}`);
            }),
          ),
        ),
      );
    }
  }

  private declareChildren(name: string, args: ComposeProjectArgs, plan: ProjectPlan): void {
    for (const warning of this.warnings) void pulumi.log.warn(warning, this);
    const definition = TARGET_DEFINITIONS[args.target];
    this.declareImages(name, args, plan);
    if (definition.platform === "kubernetes") this.declareKubernetes(name, args, plan);
    else this.declareDocker(name, args, plan, definition);
    // The compose facts the policy pack checks (the engine gives a stack policy each
    // resource's outputs): known at preview, and outputs rather than inputs so that a
    // change shows as a change of the resources it touches, not of this component.
    this.registerOutputs({ compose: registeredFacts(composeFacts(args.project, args.target)) });
  }

  /** The Docker targets: networks, volumes, swarm secrets and configs, then the workloads. */
  private declareDocker(name: string, args: ComposeProjectArgs, plan: ProjectPlan, definition: DockerTargetDefinition): void {
    const project = args.project;
    const child = { parent: this };
    const dockerHost = args.dockerHost !== undefined ? pulumi.output(args.dockerHost) : args.provider!.host;

    for (const key of usedNetworkKeys(project)) {
      this.networks[key] = new Network(logicalName(name, key), networkSpec(project, key, args.target), child);
    }
    for (const [key, volume] of Object.entries(project.volumes ?? {})) {
      this.volumes[key] = new Volume(
        logicalName(name, key),
        {
          name: volumePhysicalName(project, key),
          external: volume.external === true,
          create: definition.createsVolumes,
          driver: volume.driver,
          driverOptions: volume.driver_opts,
          labels: objectLabels(args.target, "volume", project.name, key, volume.labels),
        },
        child,
      );
    }
    for (const [key, planned] of Object.entries(plan.secrets)) {
      this.secrets[key] = new Secret(
        logicalName(name, key),
        {
          name: planned.name,
          external: planned.external,
          target: args.target,
          contentBase64: planned.contentBase64,
          contentHash: planned.contentHash,
          labels: objectLabels(args.target, "secret", project.name, key, project.secrets?.[key]?.labels),
          dockerHost,
          dockerSshOptions: args.dockerSshOptions,
        },
        child,
      );
    }
    for (const [key, planned] of Object.entries(plan.configs)) {
      this.configs[key] = new Config(
        logicalName(name, key),
        {
          name: planned.name,
          external: planned.external,
          target: args.target,
          contentBase64: planned.contentBase64,
          contentHash: planned.contentHash,
          labels: objectLabels(args.target, "config", project.name, key, project.configs?.[key]?.labels),
          dockerHost,
          dockerSshOptions: args.dockerSshOptions,
        },
        child,
      );
    }

    for (const key of plan.order) this.createWorkload(name, key, args, plan, dockerHost, definition);
  }

  /** Images first: a service may run the image another one builds, whatever their order. */
  private declareImages(name: string, args: ComposeProjectArgs, plan: ProjectPlan): void {
    const project = args.project;
    const child = { parent: this };
    for (const key of plan.order) {
      const planned = plan.images[key];
      if (planned === undefined || planned.builtBy !== undefined) continue;
      const service = project.services[key];
      this.images[key] = new Image(
        logicalName(name, key),
        {
          imageName: planned.imageName,
          push: planned.push,
          registryAuth: planned.push ? registryAuthFor(planned.imageName, args) : undefined,
          runByDigest: TARGET_DEFINITIONS[args.target].images.runByDigest,
          build: planned.build && service.build !== undefined ? imageBuild(project, service.build, planned.contextHash ?? "", args.builder ?? "engine-api") : undefined,
        },
        child,
      );
    }
    for (const key of plan.order) {
      const builtBy = plan.images[key]?.builtBy;
      if (builtBy !== undefined) this.images[key] = this.images[builtBy];
    }
  }

  /**
   * The kubernetes target: a Namespace, then claims, Secrets and ConfigMaps, then per
   * service (in depends_on order) a KubernetesWorkload or a KubernetesJob that depends on
   * its dependencies' components and on the objects it mounts. Those are mounted by
   * name (known before anything exists), so the dependency is explicit: a new Secret
   * exists before the pods roll onto it, and the old one goes only after.
   */
  private declareKubernetes(name: string, args: ComposeProjectArgs, plan: ProjectPlan): void {
    const project = args.project;
    const cluster = args.kubernetes!;
    const labels = projectLabels(project.name);
    this.namespace = new KubernetesNamespace(
      logicalName(name, "namespace"),
      { name: namespaceName(project.name, cluster.namespace), create: cluster.createNamespace, labels },
      { parent: this },
    );
    const namespace = this.namespace.namespaceName;
    const child = { parent: this, dependsOn: [this.namespace] };

    for (const [key, volume] of Object.entries(project.volumes ?? {})) {
      this.claims[key] = new KubernetesVolume(
        logicalName(name, key),
        { ...claimSpec(project, key, cluster), namespace, labels, annotations: volume.labels },
        child,
      );
    }
    for (const kind of ["secret", "config"] as const) {
      const planned = kind === "secret" ? plan.secrets : plan.configs;
      const declared = kind === "secret" ? project.secrets : project.configs;
      for (const [key, object] of Object.entries(planned)) {
        const spec = objectSpec(key, object);
        this.objects[`${kind}.${key}`] = new KubernetesObject(
          logicalName(name, key),
          {
            ...spec,
            kind,
            namespace,
            labels,
            annotations: declared?.[key]?.labels,
          },
          child,
        );
      }
    }

    for (const key of plan.order) {
      const service = project.services[key];
      const refs: PodRefs = {
        image: this.images[key]?.ref ?? service.image ?? "",
        secretName: (secret) => objectSpec(secret, plan.secrets[secret]).name,
        configName: (config) => objectSpec(config, plan.configs[config]).name,
        claimName: (volume) => claimSpec(project, volume, cluster).name,
      };
      const dependsOn: pulumi.Resource[] = [
        this.namespace,
        ...dependenciesOf(project, service)
          .map((dependency): pulumi.Resource | undefined => this.workloads[dependency.service] ?? this.kubernetesJobs[dependency.service])
          .filter((resource): resource is pulumi.Resource => resource !== undefined),
        ...(service.secrets ?? []).map((ref) => this.objects[`secret.${ref.source}`]),
        ...(service.configs ?? []).map((ref) => this.objects[`config.${ref.source}`]),
        ...(service.volumes ?? []).filter((m) => m.type === "volume" && m.source && this.claims[m.source]).map((m) => this.claims[m.source!]),
      ];
      const opts = { parent: this, dependsOn };
      if (plan.jobs.has(key)) {
        this.kubernetesJobs[key] = new KubernetesJob(
          logicalName(name, key),
          {
            namespace,
            job: jobSpec(project, key, refs, { configHash: plan.configHashes[key], contextHash: plan.images[key]?.contextHash }),
            timeoutSeconds: args.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS,
          },
          opts,
        );
        continue;
      }
      this.workloads[key] = new KubernetesWorkload(
        logicalName(name, key),
        {
          namespace,
          workload: workloadSpec(project, key, refs, plan.configHashes[key]),
          services: serviceSpecs(project, key, cluster.publishedPorts ?? "NodePort"),
        },
        opts,
      );
    }
  }

  private createWorkload(
    name: string,
    key: string,
    args: ComposeProjectArgs,
    plan: ProjectPlan,
    dockerHost: pulumi.Output<string | undefined>,
    definition: DockerTargetDefinition,
  ): void {
    const project = args.project;
    const service = project.services[key];
    const sshOptions = pulumi.output(args.dockerSshOptions ?? []);
    const image: pulumi.Input<string> = this.images[key]?.ref ?? service.image ?? "";
    const networkName = (network: string) => this.networks[network].networkName;
    const networkId = (network: string) => this.networks[network].networkId;
    const volumeName = (volume: string) => this.volumes[volume]?.volumeName ?? volumePhysicalName(project, volume);
    const secretRef = (secret: string): ObjectRef => ({ name: plan.secrets[secret].name, id: this.secrets[secret].secretId });
    const configRef = (config: string): ObjectRef => ({ name: plan.configs[config].name, id: this.configs[config].configId });
    const secretContent = (secret: string) => this.secrets[secret]?.contentBase64;
    const configContent = (config: string) => this.configs[config]?.contentBase64;

    const workloadOf = (other: string): pulumi.Resource | undefined => this.services[other] ?? this.containers[other] ?? this.jobs[other];
    const dependsOn = dependenciesOf(project, service)
      .map((dependency) => workloadOf(dependency.service))
      .filter((resource): resource is pulumi.Resource => resource !== undefined);
    // `network_mode: service:<name>` joins that service's container, so it must exist first.
    const sharedWith = service.network_mode?.startsWith("service:") ? workloadOf(service.network_mode.slice("service:".length)) : undefined;
    if (sharedWith !== undefined && !dependsOn.includes(sharedWith)) dependsOn.push(sharedWith);
    const opts = { parent: this, dependsOn };
    const waitForHealthy = plan.healthWaited.has(key);
    const imageAsWritten = service.image ?? plan.images[key]?.imageName ?? "";
    const forwarded = TARGET_DEFINITIONS[args.target].images.forwardsCredentials ? registryCredentialsFor(imageAsWritten, args) : undefined;

    if (plan.jobs.has(key)) {
      const contentHashes: Record<string, string> = {};
      for (const ref of service.secrets ?? []) contentHashes[`secret.${ref.source}`] = plan.secrets[ref.source].contentHash ?? plan.secrets[ref.source].name;
      for (const ref of service.configs ?? []) contentHashes[`config.${ref.source}`] = plan.configs[ref.source].contentHash ?? plan.configs[ref.source].name;
      const refs: JobRefs = {
        image,
        imageAsWritten,
        networkName,
        volumeName,
        secret: secretRef,
        config: configRef,
        secretContent,
        configContent,
        contentHashes,
        configHash: plan.configHashes[key],
        registryAuth: forwarded,
      };
      const scripts = definition.jobScripts(project, key, refs, { timeoutSeconds: args.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS });
      // The scripts name secrets, configs and volumes by physical name: wait for them explicitly.
      const referenced: pulumi.Resource[] = [
        ...(service.secrets ?? []).map((ref) => this.secrets[ref.source]),
        ...(service.configs ?? []).map((ref) => this.configs[ref.source]),
        ...(service.volumes ?? []).filter((m) => m.type === "volume" && m.source && this.volumes[m.source]).map((m) => this.volumes[m.source!]),
      ];
      this.jobs[key] = new Job(
        logicalName(name, key),
        {
          jobName: scripts.jobName,
          run: pulumi.all([scripts.run, sshOptions]).apply(([run, flags]) => withSshWrapper(run, flags)),
          remove: sshOptions.apply((flags) => withSshWrapper(scripts.remove, flags)),
          environment: pulumi.all([dockerHost, sshOptions]).apply(([host, flags]) => dockerCliEnvironment(host, flags)),
          stdinLines: scripts.stdinLines,
        },
        { ...opts, dependsOn: [...dependsOn, ...referenced] },
      );
      return;
    }

    if (definition.workload === "service") {
      this.services[key] = new Service(
        logicalName(name, key),
        {
          spec: {
            ...swarmServiceSpec(
              project,
              key,
              { image, imageAsWritten, networkId, volumeName, secret: secretRef, config: configRef },
              { waitForHealthy },
            ),
            ...(forwarded === undefined ? {} : { auth: { serverAddress: forwarded.server, username: forwarded.username, password: forwarded.password } }),
          },
          // A declared update policy asks for a controlled rollout: follow it to the end.
          rollout: service.deploy?.update_config !== undefined || service.deploy?.rollback_config !== undefined
            ? { dockerHost, sshOptions, timeoutSeconds: args.rolloutTimeoutSeconds ?? DEFAULT_ROLLOUT_TIMEOUT_SECONDS }
            : undefined,
        },
        opts,
      );
      return;
    }

    const replicas = Array.from({ length: Math.max(replicaCount(service), 0) }, (_, index) =>
      engineContainerSpec(
        project,
        key,
        index + 1,
        {
          image,
          networkName,
          volumeName,
          secretContent,
          configContent,
          containerNameOf: (other) => engineContainerName(project.name, other, 1, project.services[other]?.container_name),
        },
        { configHash: plan.configHashes[key], waitForHealthy },
      ),
    );
    this.containers[key] = new Container(logicalName(name, key), { replicas }, opts);
  }
}

/** The providers each platform needs, checked before anything is planned. */
function checkProviders(args: ComposeProjectArgs): void {
  const definition = TARGET_DEFINITIONS[args.target];
  if (definition === undefined) return;
  if (definition.platform === "docker" && args.provider === undefined) {
    throw new Error(`ComposeProject: the ${args.target} target needs a docker provider (provider)`);
  }
  if (definition.platform === "kubernetes") {
    if (args.kubernetes === undefined) throw new Error("ComposeProject: the kubernetes target needs a Kubernetes provider (kubernetes.provider)");
    const built = Object.keys(args.project.services).filter((key) => args.project.services[key].build !== undefined);
    if (built.length > 0 && args.provider === undefined) {
      throw new Error(`ComposeProject: services ${built.join(", ")} build their images, which needs a docker provider (provider) to build and push them`);
    }
  }
}

/** The image build of a service, as the docker provider's build takes it. */
function imageBuild(project: Project, build: NonNullable<Project["services"][string]["build"]>, contextHash: string, builder: ImageBuilder): ImageBuild {
  const buildx = builder === "buildx";
  return {
    context: build.context ?? ".",
    dockerfile: build.dockerfile,
    args: definedValues(build.args),
    target: build.target,
    network: build.network,
    platform: build.platforms?.[0],
    extraHosts: nonEmpty(Object.entries(build.extra_hosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`))),
    cacheFrom: nonEmpty(build.cache_from ?? []),
    cacheTo: buildx ? nonEmpty(build.cache_to ?? []) : undefined,
    additionalContexts: buildx ? nonEmpty(Object.keys(build.additional_contexts ?? {}).sort().map((key) => `${key}=${build.additional_contexts![key]}`)) : undefined,
    secrets: nonEmpty(buildSecrets(project, build.secrets)),
    labels: build.labels,
    tags: nonEmpty(build.tags ?? []),
    noCache: build.no_cache,
    pull: build.pull,
    shmSize: build.shm_size,
    ulimits: nonEmpty(convertUlimits(build.ulimits)),
    isolation: build.isolation,
    engineApi: !buildx,
    contextHash,
  };
}

/**
 * Credentials for the registry an image comes from, when it is the configured registry:
 * what `docker stack deploy --with-registry-auth` sends along so that every node can pull
 * a private image. The password stays a Pulumi secret.
 */
function registryCredentialsFor(imageName: string, args: ComposeProjectArgs): RegistryCredentials | undefined {
  const auth = args.registryAuth;
  if (args.registry === undefined || auth?.username === undefined || auth.password === undefined) return undefined;
  const server = registryHost(imageName);
  if (server !== registryHost(`${args.registry}/image`)) return undefined;
  return { server, username: auth.username, password: pulumi.secret(auth.password) };
}

/** The registry endpoint of an image name (`host[:port]/repo:tag`), with the configured scheme and credentials. */
function registryAuthFor(imageName: string, args: ComposeProjectArgs): docker.types.input.RegistryImageAuthConfig {
  const host = registryHost(imageName);
  const scheme = (args.insecureRegistries ?? []).includes(host) ? "http" : "https";
  return { address: `${scheme}://${host}`, username: args.registryAuth?.username, password: args.registryAuth?.password };
}

function nonEmpty<T>(values: T[]): T[] | undefined {
  return values.length === 0 ? undefined : values;
}

function definedValues(values: Record<string, string | null> | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== null) out[key] = value;
  return out;
}

/** The facts as registered: each service's environment a Pulumi secret, encrypted in the state. */
function registeredFacts(facts: ComposeFacts): pulumi.Inputs {
  const services: Record<string, pulumi.Inputs> = {};
  for (const [name, service] of Object.entries(facts.services)) services[name] = { ...service, environment: pulumi.secret(service.environment) };
  return { ...facts, services };
}
