/**
 * What each target cannot express. A key the target cannot express becomes a warning
 * naming the key and the service (logged through Pulumi, never dropped silently); a
 * combination that cannot work becomes an error, and all errors are reported together
 * before any resource is created.
 */
import { formatPath } from "../compose/errors.ts";
import { dependenciesOf, jobServices } from "./depends-on.ts";
import { publishedPort } from "./ports.ts";
import { replicaCount } from "./engine-container.ts";
import type { Target } from "./naming.ts";
import type { Project, ServiceConfig } from "./model.ts";

export interface GraphIssue {
  /** Dotted path into the model, e.g. `services.web.ulimits`. */
  path: string;
  message: string;
}

export function formatGraphIssue(issue: GraphIssue): string {
  return `${issue.path}: ${issue.message}`;
}

/** Thrown before any resource is created; lists every problem found. */
export class GraphError extends Error {
  readonly issues: readonly GraphIssue[];
  constructor(issues: readonly GraphIssue[]) {
    super(issues.map(formatGraphIssue).join("\n"));
    this.name = "GraphError";
    this.issues = issues;
  }
}

export interface CheckOptions {
  target: Target;
  /** Registry that built images without an `image:` are pushed to on a swarm. */
  registry?: string;
}

export interface CheckResult {
  warnings: GraphIssue[];
  errors: GraphIssue[];
}

/** Service keys a target cannot express at all, with what happens instead. */
const UNSUPPORTED: Record<Target, Record<string, string>> = {
  swarm: Object.fromEntries(
    [
      "annotations", "attach", "blkio_config", "cgroup", "cgroup_parent", "container_name", "cpu_count", "cpu_percent",
      "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "develop",
      "device_cgroup_rules", "devices", "domainname", "expose", "external_links", "gpus", "ipc", "links", "mac_address",
      "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "oom_kill_disable",
      "oom_score_adj", "pid", "pids_limit", "platform", "post_start", "pre_stop", "privileged", "provider", "pull_policy",
      "pull_refresh_after", "runtime", "security_opt", "shm_size", "stdin_open", "storage_opt", "tty", "ulimits",
      "use_api_socket", "userns_mode", "uts", "volumes_from",
    ].map((key) => [key, "is not supported on the swarm target (the docker provider's service spec cannot express it); ignored"]),
  ),
  engine: Object.fromEntries(
    [
      "annotations", "attach", "blkio_config", "cpu_count", "cpu_percent", "cpu_rt_period", "cpu_rt_runtime",
      "credential_spec", "develop", "expose", "external_links", "isolation", "links", "mem_swappiness", "models",
      "oom_kill_disable", "oom_score_adj", "pids_limit", "post_start", "pre_stop", "provider", "pull_refresh_after",
      "use_api_socket", "uts", "volumes_from",
    ].map((key) => [key, "is not supported on the engine target (the docker provider's container cannot express it); ignored"]),
  ),
};

/** Build keys the provider's image build cannot express. */
const UNSUPPORTED_BUILD_KEYS = [
  "additional_contexts", "cache_to", "entitlements", "isolation", "labels", "no_cache", "privileged", "provenance", "pull",
  "sbom", "secrets", "shm_size", "ssh", "tags", "ulimits",
];

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
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
  const unsupported = UNSUPPORTED[target];
  for (const [field, value] of Object.entries(service)) {
    if (unsupported[field] !== undefined && isSet(value)) out.warn(at(field), unsupported[field]);
  }

  if (!isSet(service.image) && !isSet(service.build)) out.error(at(), "needs an image or a build");
  checkBuild(key, service, options, out);

  for (const [variable, value] of Object.entries(service.environment ?? {})) {
    if (value === null) out.warn(at("environment", variable), "has no value and is not set in the environment; not passed to the container");
  }

  const policy = service.deploy?.restart_policy;
  if (service.restart !== undefined && policy !== undefined && !restartAgrees(service.restart, policy.condition)) {
    out.warn(at("restart"), "deploy.restart_policy takes precedence; ignored");
  }
  if (jobs.has(key) && policy?.condition !== undefined && policy.condition !== "none") {
    out.warn(at("deploy", "restart_policy", "condition"), "a job runs once and is never restarted; ignored");
  }

  const health = service.healthcheck;
  if (health?.disable === true && (health.test ?? []).length > 0) out.error(at("healthcheck"), "test and disable can't be set at the same time");
  if (target === "swarm" && health?.start_interval !== undefined) {
    out.warn(at("healthcheck", "start_interval"), "is not supported on the swarm target (the docker provider's service healthcheck cannot express it); ignored");
  }
  if (service.logging !== undefined && service.logging.driver === undefined && isSet(service.logging.options)) {
    out.warn(at("logging", "options"), "without a logging driver cannot be expressed; ignored");
  }
  if (target === "swarm" && service.credential_spec?.config !== undefined) {
    out.warn(at("credential_spec", "config"), "is not supported on the swarm target (the docker provider's service spec cannot express it); ignored");
  }

  checkPorts(key, service, target, out);
  checkMounts(key, service, target, out);
  checkNetworks(key, service, target, out);
  checkDeploy(key, service, target, jobs.has(key), out);
  checkFileReferences(project, key, service, target, out);

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

function checkBuild(key: string, service: ServiceConfig, options: CheckOptions, out: Collector): void {
  const build = service.build;
  if (build === undefined) return;
  const at = (...rest: (string | number)[]) => ["services", key, "build", ...rest];
  if (build.dockerfile_inline !== undefined) {
    out.error(at("dockerfile_inline"), "cannot be built by the docker provider's image build; write it to a file and set build.dockerfile");
  }
  for (const field of UNSUPPORTED_BUILD_KEYS) {
    if (isSet((build as Record<string, unknown>)[field])) {
      out.warn(at(field), "is not supported by the docker provider's image build; ignored");
    }
  }
  if ((build.platforms ?? []).length > 1) out.warn(at("platforms"), "only the first platform is built; the others are ignored");
  for (const [arg, value] of Object.entries(build.args ?? {})) {
    if (value === null) out.warn(at("args", arg), "has no value and is not set in the environment; not passed to the build");
  }
  if (options.target === "swarm" && !isSet(service.image) && options.registry === undefined) {
    out.error(
      ["services", key, "image"],
      "is required with build on the swarm target: every node pulls the built image from the registry named here (e.g. 127.0.0.1:5000/app:1.0)",
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
    if (target === "swarm") {
      if (isSet(port.host_ip)) out.warn([...at, "host_ip"], "is not supported on the swarm target (swarm publishes on every address); ignored");
    } else {
      if (typeof published === "number" && replicas > 1) {
        out.error(at, `port ${published} is published by ${replicas} replicas on one engine; only one container can bind it`);
      }
      if (isSet(port.name)) out.warn([...at, "name"], "is not supported on the engine target; ignored");
    }
    if (isSet(port.app_protocol)) out.warn([...at, "app_protocol"], `is not supported on the ${target} target; ignored`);
  });
}

function checkMounts(key: string, service: ServiceConfig, target: Target, out: Collector): void {
  (service.volumes ?? []).forEach((mount, index) => {
    const at = ["services", key, "volumes", index];
    if (!["bind", "volume", "tmpfs"].includes(mount.type)) {
      out.error([...at, "type"], `mount type "${mount.type}" cannot be expressed on the ${target} target`);
      return;
    }
    if (isSet(mount.consistency)) out.warn([...at, "consistency"], "has no effect on Linux daemons; ignored");
    if (mount.bind?.recursive !== undefined) out.warn([...at, "bind", "recursive"], `is not supported on the ${target} target; ignored`);
    if (target === "swarm") {
      if (mount.bind?.selinux !== undefined) out.warn([...at, "bind", "selinux"], "is not supported on the swarm target; ignored");
      if (mount.volume?.subpath !== undefined) out.warn([...at, "volume", "subpath"], "is not supported on the swarm target (the docker provider's service mount cannot express it); ignored");
    } else if (mount.bind?.selinux !== undefined && mount.bind.propagation !== undefined) {
      out.warn([...at, "bind", "selinux"], "cannot be combined with a bind propagation on the engine target; ignored");
    }
    if (isSet(mount.volume?.labels)) out.warn([...at, "volume", "labels"], "is not supported; set labels on the top-level volume instead; ignored");
  });
  if (target === "swarm") {
    const tmpfs = service.tmpfs === undefined ? [] : Array.isArray(service.tmpfs) ? service.tmpfs : [service.tmpfs];
    tmpfs.forEach((entry, index) => {
      if (entry.includes(":")) out.warn(["services", key, "tmpfs", index], "mount options are not supported on the swarm target; the tmpfs is mounted with defaults");
    });
  }
}

function checkNetworks(key: string, service: ServiceConfig, target: Target, out: Collector): void {
  const engineOnly = ["ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "priority", "gw_priority"];
  for (const [network, attachment] of Object.entries(service.networks ?? {})) {
    if (attachment === null) continue;
    for (const [field, value] of Object.entries(attachment)) {
      if (!isSet(value)) continue;
      if (field === "interface_name") out.warn(["services", key, "networks", network, field], `is not supported on the ${target} target; ignored`);
      if (target === "swarm" && engineOnly.includes(field)) {
        out.warn(["services", key, "networks", network, field], "is not supported on the swarm target (swarm assigns addresses); ignored");
      }
    }
  }
}

function checkDeploy(key: string, service: ServiceConfig, target: Target, isJob: boolean, out: Collector): void {
  const deploy = service.deploy;
  if (deploy === undefined || deploy === null) return;
  const at = (...rest: (string | number)[]) => ["services", key, "deploy", ...rest];
  const reservations = deploy.resources?.reservations;
  const limits = deploy.resources?.limits;
  if (isSet(reservations?.devices)) out.warn(at("resources", "reservations", "devices"), `is not supported on the ${target} target; ignored`);
  if (limits?.pids !== undefined) out.warn(at("resources", "limits", "pids"), `is not supported on the ${target} target (the docker provider cannot express it); ignored`);
  if (target === "engine") {
    for (const field of ["update_config", "rollback_config", "placement", "endpoint_mode", "labels"] as const) {
      if (isSet(deploy[field])) out.warn(at(field), "only applies to a swarm; ignored on the engine target");
    }
    if (deploy.mode === "global") out.warn(at("mode"), "global runs one container on the engine target");
    if (deploy.mode === "global-job") out.warn(at("mode"), "global-job runs once on the engine target");
    if (reservations?.cpus !== undefined) out.warn(at("resources", "reservations", "cpus"), "is not supported on the engine target; ignored");
    if (isSet(reservations?.generic_resources)) out.warn(at("resources", "reservations", "generic_resources"), "is not supported on the engine target; ignored");
    const policy = deploy.restart_policy;
    if (policy?.delay !== undefined) out.warn(at("restart_policy", "delay"), "is not supported on the engine target; ignored");
    if (policy?.window !== undefined) out.warn(at("restart_policy", "window"), "is not supported on the engine target; ignored");
    for (const [field, value] of [["memory", limits?.memory], ["memory", reservations?.memory]] as const) {
      if (value !== undefined && value % (1024 * 1024) !== 0) {
        out.warn(at("resources", value === limits?.memory ? "limits" : "reservations", field), `${value} bytes is rounded up to whole MiB on the engine target`);
      }
    }
  } else if (isJob && (isSet(deploy.update_config) || isSet(deploy.rollback_config))) {
    out.warn(at(isSet(deploy.update_config) ? "update_config" : "rollback_config"), "does not apply to a job; ignored");
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
  for (const kind of ["secrets", "configs"] as const) {
    for (const [key, object] of Object.entries(project[kind] ?? {})) {
      const value = object as { driver?: string; template_driver?: string };
      if (value.driver !== undefined) out.warn([kind, key, "driver"], `is not supported on the ${target} target; ignored`);
      if (value.template_driver !== undefined) out.warn([kind, key, "template_driver"], `is not supported on the ${target} target; ignored`);
    }
  }
}
