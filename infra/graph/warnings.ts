/**
 * What each target cannot express. Key by key, the capability table decides
 * (infra/graph/capabilities): a key the target ignores becomes a warning naming the key
 * and the service (logged through Pulumi, never dropped silently). Here live the rules
 * that depend on values and combinations: a combination that cannot work becomes an
 * error, and all errors are reported together before any resource is created.
 */
import { formatPath } from "../compose/errors.ts";
import { checkCapabilities, checkKeys, isSet } from "./capabilities/check.ts";
import { dependenciesOf, jobServices } from "./depends-on.ts";
import { publishedPort } from "./ports.ts";
import { engineGpus, replicaCount } from "./targets/engine/container.ts";
import { checkKubernetesNames, checkKubernetesService } from "./targets/kubernetes/checks.ts";
import type { Target } from "./capabilities/support.ts";
import type { Project, ServiceConfig } from "./model.ts";
import type { GraphIssue } from "./graph-error.ts";

export { GraphError, formatGraphIssue, type GraphIssue } from "./graph-error.ts";

export interface CheckOptions {
  target: Target;
  /** Registry that built images without an `image:` are pushed to on a swarm. */
  registry?: string;
  /** How images are built; the Engine API's build endpoint takes no buildx-only keys. */
  builder?: "buildx" | "engine-api";
}

export interface CheckResult {
  warnings: GraphIssue[];
  errors: GraphIssue[];
}

class Collector {
  readonly warnings: GraphIssue[] = [];
  readonly errors: GraphIssue[] = [];
  warn(path: (string | number)[], message: string) {
    this.warnings.push({ path: formatPath(path), message });
  }
  error(path: (string | number)[], message: string) {
    this.errors.push({ path: formatPath(path), message });
  }
}

export function checkProject(project: Project, options: CheckOptions): CheckResult {
  const out = new Collector();
  const { target } = options;
  const jobs = jobServices(project);
  for (const key of Object.keys(project.services).sort()) {
    checkService(project, key, project.services[key], options, jobs, out);
  }
  checkProjectObjects(project, target, out);
  if (target === "kubernetes") checkKubernetesNames(project, out);
  return { warnings: out.warnings, errors: out.errors };
}

function checkService(
  project: Project,
  key: string,
  service: ServiceConfig,
  options: CheckOptions,
  jobs: Set<string>,
  out: Collector,
): void {
  const { target } = options;
  const at = (...rest: (string | number)[]) => ["services", key, ...rest];
  checkKeys(service, at(), "services.*", target, jobs.has(key) ? "job" : "service", out);

  // A provider service has its own error from the capability table.
  if (!isSet(service.image) && !isSet(service.build) && !isSet(service.provider)) out.error(at(), "needs an image or a build");
  checkBuild(project, key, service, options, out);

  for (const [variable, value] of Object.entries(service.environment ?? {})) {
    if (value === null) out.warn(at("environment", variable), "has no value and is not set in the environment; not passed to the container");
  }

  const policy = service.deploy?.restart_policy;
  if (service.restart !== undefined && policy !== undefined && !restartAgrees(service.restart, policy.condition)) {
    out.warn(at("restart"), "deploy.restart_policy takes precedence; ignored");
  }

  const health = service.healthcheck;
  if (health?.disable === true && (health.test ?? []).length > 0) out.error(at("healthcheck"), "test and disable can't be set at the same time");
  if (service.logging !== undefined && service.logging.driver === undefined && isSet(service.logging.options)) {
    out.warn(at("logging", "options"), "without a logging driver cannot be expressed; ignored");
  }

  if (target === "engine" && !jobs.has(key) && isSet(service.gpus) && engineGpus(service.gpus) === undefined) {
    out.warn(at("gpus"), "a device list cannot be expressed on the engine target (the docker provider's container takes only `all`); ignored");
  }
  checkPorts(key, service, target, out);
  checkMounts(key, service, target, out);
  checkDeploy(key, service, target, jobs.has(key), out);
  checkFileReferences(project, key, service, target, out);
  if (target === "kubernetes") checkKubernetesService(key, service, jobs.has(key), out);

  for (const dependency of dependenciesOf(project, service)) {
    const dependencyService = project.services[dependency.service];
    if (dependencyService === undefined) {
      out.error(at("depends_on", dependency.service), `depends on service "${dependency.service}", which is not defined`);
      continue;
    }
    if (dependency.condition === "service_healthy") {
      const check = dependencyService.healthcheck;
      if (check === undefined || check.disable === true || (check.test ?? []).length === 0) {
        out.error(at("depends_on", dependency.service), `waits for "${dependency.service}" to be healthy, but "${dependency.service}" has no healthcheck`);
      }
      if (jobs.has(dependency.service)) {
        out.error(at("depends_on", dependency.service), `waits for "${dependency.service}" to be healthy, but "${dependency.service}" runs to completion as a job`);
      }
    }
  }
  if (target === "engine") {
    const replicas = jobs.has(key) ? 1 : replicaCount(service);
    if (replicas > 1 && isSet(service.container_name)) {
      out.error(at("container_name"), `"${service.container_name}" cannot name ${replicas} replicas: container names must be unique`);
    }
    if (jobs.has(key) && replicaCount(service) > 1) {
      out.warn(at("deploy", "replicas"), "a job runs once on the engine target; replicas ignored");
    }
  }
}

/** Whether a legacy `restart:` says the same as a restart_policy condition. */
function restartAgrees(restart: string, condition: string | undefined): boolean {
  const name = restart.split(":")[0];
  const equivalent: Record<string, string> = { no: "none", always: "any", "unless-stopped": "any", "on-failure": "on-failure" };
  return equivalent[name] === (condition ?? "any");
}

function checkBuild(project: Project, key: string, service: ServiceConfig, options: CheckOptions, out: Collector): void {
  const build = service.build;
  if (build === undefined) return;
  const at = (...rest: (string | number)[]) => ["services", key, "build", ...rest];
  if (options.builder !== "buildx") {
    for (const field of ["cache_to", "additional_contexts"] as const) {
      if (isSet(build[field])) out.warn(at(field), "needs `builder: buildx`; the Engine API build (the default) ignores it");
    }
  }
  (build.secrets ?? []).forEach((ref, index) => {
    const secret = project.secrets?.[ref.source];
    if (secret !== undefined && secret.file === undefined && secret.environment === undefined) {
      out.warn(at("secrets", index), `secret "${ref.source}" can reach a build only from a file or an environment variable; ignored`);
    }
  });
  if ((build.platforms ?? []).length > 1) out.warn(at("platforms"), "only the first platform is built; the others are ignored");
  for (const [arg, value] of Object.entries(build.args ?? {})) {
    if (value === null) out.warn(at("args", arg), "has no value and is not set in the environment; not passed to the build");
  }
  if (options.target !== "engine" && !isSet(service.image) && options.registry === undefined) {
    out.error(
      ["services", key, "image"],
      `is required with build on the ${options.target} target: every node pulls the built image from the registry named here (e.g. 127.0.0.1:5000/app:1.0)`,
    );
  }
}

function checkPorts(key: string, service: ServiceConfig, target: Target, out: Collector): void {
  const replicas = replicaCount(service);
  (service.ports ?? []).forEach((port, index) => {
    const at = ["services", key, "ports", index];
    const published = publishedPort(port);
    if (typeof published === "object") {
      out.error(at, `published port range "${published.range}" for one target port cannot be expressed; publish one port per target`);
    }
    if (target === "engine" && typeof published === "number" && replicas > 1) {
      out.error(at, `port ${published} is published by ${replicas} replicas on one engine; only one container can bind it`);
    }
  });
}

function checkMounts(key: string, service: ServiceConfig, target: Target, out: Collector): void {
  (service.volumes ?? []).forEach((mount, index) => {
    const at = ["services", key, "volumes", index];
    if (!["bind", "volume", "tmpfs"].includes(mount.type)) {
      out.error([...at, "type"], `mount type "${mount.type}" cannot be expressed on the ${target} target`);
      return;
    }
    if (target === "engine" && mount.bind?.selinux !== undefined && mount.bind.propagation !== undefined) {
      out.warn([...at, "bind", "selinux"], "cannot be combined with a bind propagation on the engine target; ignored");
    }
  });
  if (target !== "engine") {
    const tmpfs = service.tmpfs === undefined ? [] : Array.isArray(service.tmpfs) ? service.tmpfs : [service.tmpfs];
    tmpfs.forEach((entry, index) => {
      if (entry.includes(":")) out.warn(["services", key, "tmpfs", index], `mount options are not supported on the ${target} target; the tmpfs is mounted with defaults`);
    });
  }
}

function checkDeploy(key: string, service: ServiceConfig, target: Target, isJob: boolean, out: Collector): void {
  const deploy = service.deploy;
  if (deploy === undefined || deploy === null) return;
  const at = (...rest: (string | number)[]) => ["services", key, "deploy", ...rest];
  const reservations = deploy.resources?.reservations;
  const limits = deploy.resources?.limits;
  if (target === "engine") {
    if (deploy.mode === "global") out.warn(at("mode"), "global runs one container on the engine target");
    if (deploy.mode === "global-job") out.warn(at("mode"), "global-job runs once on the engine target");
    for (const [field, value] of [["memory", limits?.memory], ["memory", reservations?.memory]] as const) {
      if (value !== undefined && value % (1024 * 1024) !== 0) {
        out.warn(at("resources", value === limits?.memory ? "limits" : "reservations", field), `${value} bytes is rounded up to whole MiB on the engine target`);
      }
    }
  }
}

function checkFileReferences(project: Project, key: string, service: ServiceConfig, target: Target, out: Collector): void {
  for (const kind of ["secrets", "configs"] as const) {
    const objects = (project[kind] ?? {}) as Record<string, { external?: boolean; file?: string }>;
    (service[kind] ?? []).forEach((ref, index) => {
      const at = ["services", key, kind, index];
      const object = objects[ref.source];
      if (object === undefined) {
        out.error(at, `refers to ${kind.slice(0, -1)} "${ref.source}", which is not defined`);
        return;
      }
      if (target === "engine" && object.external === true) {
        out.error(at, `external ${kind.slice(0, -1)} "${ref.source}" exists only on a swarm; the engine target cannot use it`);
      }
      if (target === "engine" && object.file !== undefined && (ref.uid !== undefined || ref.gid !== undefined || ref.mode !== undefined)) {
        out.warn(at, "uid, gid and mode of a file-based secret or config are not supported on the engine target (the file is bind-mounted); ignored");
      }
    });
  }
}

function checkProjectObjects(project: Project, target: Target, out: Collector): void {
  for (const [key, network] of Object.entries(project.networks ?? {})) {
    if (network === null || network === undefined || network.external === true) continue;
    if (target === "engine" && network.driver === "overlay") {
      out.warn(["networks", key, "driver"], "overlay needs a swarm; a bridge network is created on the engine target");
      if (network.attachable === true) out.warn(["networks", key, "attachable"], "only applies to overlay networks; ignored on the engine target");
    }
  }
  for (const kind of ["networks", "volumes", "secrets", "configs", "models"] as const) {
    checkCapabilities(project[kind], [kind], kind, target, "service", out);
  }
}
