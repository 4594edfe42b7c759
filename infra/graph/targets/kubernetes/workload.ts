/**
 * A compose service as a Kubernetes pod template, and the Deployment or DaemonSet that
 * runs it. Each compose key lands where the capability table says (its notes name the
 * field); what a pod cannot express is warned there, not here.
 *
 * - `entrypoint` is the container's `command`, `command` its `args` (Docker's ENTRYPOINT
 *   and CMD, which Kubernetes names the other way round);
 * - the healthcheck is an exec readinessProbe: the pod is ready once the check passes, which
 *   is what `service_healthy` waits for (the provider awaits the rollout's readiness);
 * - `deploy.resources` (and the legacy `cpus`, `mem_limit`, `mem_reservation`) are the
 *   container's limits and requests;
 * - secrets and configs are mounted file by file (subPath) at their compose targets;
 * - Kubernetes expands `$(NAME)` in env values, command and args; compose does not, so a
 *   literal `$(` is escaped as `$$(`.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { HealthcheckConfig, Project, ServiceConfig, ServiceMount } from "../../model.ts";
import { contentHash } from "../../naming.ts";
import { engineFilePath } from "../../secrets.ts";
import { tmpfsPaths } from "../../mounts.ts";
import { LABEL_COMPOSE_CONFIG_HASH } from "../../labels.ts";
import { convertEnvironment, effectiveCapabilities } from "../shared/convert.ts";
import { kubernetesName } from "./names.ts";
import { composeAnnotations, selectorLabels, workloadLabels } from "./labels.ts";
import { placement } from "./placement.ts";
import { containerPorts } from "./service.ts";
import { CONTENT_KEY } from "./objects.ts";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;
type PodTemplate = k8s.types.input.core.v1.PodTemplateSpec;

const NANOS_PER_SECOND = 1e9;

/**
 * How long a pod that serves ports keeps serving after it is told to stop, before its
 * container gets the stop signal (a preStop sleep). Removing a pod from a Service's
 * endpoints and kube-proxy's rules on every node takes a moment after the pod starts
 * terminating; a server that closed its socket at once would refuse the connections
 * still routed to it. Swarm takes a task out of its load balancer before stopping it;
 * this is the Kubernetes way to the same effect. It counts against the grace period,
 * which is therefore stop_grace_period plus this when the service sets one.
 */
export const ENDPOINT_DRAIN_SECONDS = 5;

/** Physical names the pod spec refers to, by compose key. */
export interface PodRefs {
  /** What the container runs: the image as written, or a built image by digest. */
  image: pulumi.Input<string>;
  secretName(key: string): string;
  configName(key: string): string;
  claimName(key: string): string;
}

export interface PodOptions {
  /** A one-shot Job's pod: never restarted in place, never probed for readiness. */
  job: boolean;
  /** compose's config hash: the service's definition and the content it mounts. */
  configHash: string;
}

/** Whole seconds, rounded up (a probe or a grace period has second granularity). */
function seconds(nanos: number | undefined): number | undefined {
  return nanos === undefined ? undefined : Math.max(1, Math.ceil(nanos / NANOS_PER_SECOND));
}

/** Kubernetes reads `$(NAME)` as a reference to another variable; `$$(` is its literal `$(`. */
export function literal(text: string): string {
  return text.replace(/\$\(/g, () => "$$(");
}

function literals(words: string[] | null | undefined): string[] | undefined {
  return words === null || words === undefined ? undefined : words.map(literal);
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && item !== null)) as T;
}

function nonEmpty<T>(values: T[]): T[] | undefined {
  return values.length === 0 ? undefined : values;
}

/** The healthcheck as an exec readinessProbe; undefined when there is none or it is disabled. */
export function readinessProbe(health: HealthcheckConfig | undefined): k8s.types.input.core.v1.Probe | undefined {
  const test = health?.test ?? [];
  if (health === undefined || health.disable === true || test.length === 0 || test[0] === "NONE") return undefined;
  const command = test[0] === "CMD-SHELL" ? ["/bin/sh", "-c", test.slice(1).join(" ")] : test[0] === "CMD" ? test.slice(1) : test;
  return defined({
    exec: { command },
    periodSeconds: seconds(health.interval),
    timeoutSeconds: seconds(health.timeout),
    initialDelaySeconds: health.start_period === undefined ? undefined : Math.floor(health.start_period / NANOS_PER_SECOND),
    // Docker counts `retries` consecutive failures before unhealthy, as failureThreshold does.
    failureThreshold: health.retries === undefined || health.retries === 0 ? undefined : health.retries,
  });
}

/** CPUs as Kubernetes quantities: millicores when fractional. */
function cpuQuantity(cpus: number): string {
  return Number.isInteger(cpus) ? String(cpus) : `${Math.round(cpus * 1000)}m`;
}

/** Limits and requests: deploy.resources wins over the legacy service-level keys. */
export function resources(service: ServiceConfig): k8s.types.input.core.v1.ResourceRequirements | undefined {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const cpuLimit = limits?.cpus ?? service.cpus;
  const memoryLimit = limits?.memory ?? service.mem_limit;
  const memoryRequest = reservations?.memory ?? service.mem_reservation;
  const quantities = (cpu: number | undefined, memory: number | undefined): Record<string, string> | undefined => {
    const out: Record<string, string> = {};
    if (cpu) out.cpu = cpuQuantity(cpu);
    if (memory) out.memory = String(memory);
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const limitsSet = quantities(cpuLimit, memoryLimit);
  const requestsSet = quantities(reservations?.cpus, memoryRequest);
  if (limitsSet === undefined && requestsSet === undefined) return undefined;
  return defined({ limits: limitsSet, requests: requestsSet });
}

/** `uid[:gid]` when numeric; a user name has no field in a pod (warned). */
export function numericUser(user: string | undefined): { runAsUser?: number; runAsGroup?: number } | undefined {
  const match = user === undefined ? null : /^(\d+)(?::(\d+))?$/.exec(user);
  if (match === null) return undefined;
  return defined({ runAsUser: Number(match[1]), runAsGroup: match[2] === undefined ? undefined : Number(match[2]) });
}

function securityContext(service: ServiceConfig): k8s.types.input.core.v1.SecurityContext | undefined {
  const caps = effectiveCapabilities(service.cap_add, service.cap_drop);
  // Kubernetes names capabilities without the CAP_ prefix.
  const bare = (names: string[]) => nonEmpty(names.map((name) => name.replace(/^CAP_/, "")));
  const capabilities = defined({ add: bare(caps.add), drop: bare(caps.drop) });
  const out = defined({
    ...numericUser(service.user),
    privileged: service.privileged === true ? true : undefined,
    readOnlyRootFilesystem: service.read_only === true ? true : undefined,
    capabilities: Object.keys(capabilities).length > 0 ? capabilities : undefined,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

function pullPolicy(policy: string | undefined): string | undefined {
  if (policy === undefined || policy === "missing" || policy === "if_not_present") return undefined;
  if (policy === "always") return "Always";
  if (policy === "never") return "Never";
  return "IfNotPresent";
}

/** A pod volume name for a mount that has no compose key: from its path, not its position. */
function pathVolumeName(prefix: string, path: string): string {
  return `${prefix}-${contentHash(path)}`;
}

interface Mounts {
  volumes: Volume[];
  mounts: VolumeMount[];
}

function addVolume(out: Mounts, volume: Volume): void {
  if (!out.volumes.some((existing) => existing.name === volume.name)) out.volumes.push(volume);
}

function serviceMount(out: Mounts, mount: ServiceMount, refs: PodRefs): void {
  const readOnly = mount.read_only === true ? true : undefined;
  if (mount.type === "volume" && mount.source !== undefined && mount.source !== "") {
    const name = `volume-${kubernetesName(mount.source)}`;
    addVolume(out, { name, persistentVolumeClaim: { claimName: refs.claimName(mount.source) } });
    out.mounts.push(defined({ name, mountPath: mount.target, readOnly, subPath: mount.volume?.subpath }));
  } else if (mount.type === "volume") {
    // An anonymous volume lives as long as its container: an emptyDir lives as long as the pod.
    const name = pathVolumeName("anonymous", mount.target);
    addVolume(out, { name, emptyDir: {} });
    out.mounts.push(defined({ name, mountPath: mount.target, readOnly }));
  } else if (mount.type === "bind") {
    const name = pathVolumeName("bind", mount.source ?? "");
    addVolume(out, { name, hostPath: defined({ path: mount.source ?? "", type: mount.bind?.create_host_path === false ? undefined : "DirectoryOrCreate" }) });
    out.mounts.push(defined({ name, mountPath: mount.target, readOnly }));
  } else if (mount.type === "tmpfs") {
    const name = pathVolumeName("tmpfs", mount.target);
    addVolume(out, { name, emptyDir: defined({ medium: "Memory", sizeLimit: mount.tmpfs?.size === undefined ? undefined : String(mount.tmpfs.size) }) });
    out.mounts.push(defined({ name, mountPath: mount.target, readOnly }));
  }
}

function podMounts(service: ServiceConfig, refs: PodRefs): Mounts {
  const out: Mounts = { volumes: [], mounts: [] };
  for (const mount of service.volumes ?? []) serviceMount(out, mount, refs);
  for (const entry of tmpfsPaths(service)) {
    const path = entry.split(":", 1)[0];
    const name = pathVolumeName("tmpfs", path);
    addVolume(out, { name, emptyDir: { medium: "Memory" } });
    out.mounts.push({ name, mountPath: path });
  }
  for (const [kind, refsOf] of [["secret", service.secrets], ["config", service.configs]] as const) {
    for (const ref of refsOf ?? []) {
      const name = `${kind}-${kubernetesName(ref.source)}`;
      // compose's default file mode, as a swarm task gets it (Kubernetes' own default is 0644).
      const items = [{ key: CONTENT_KEY, path: CONTENT_KEY, mode: ref.mode ?? 0o444 }];
      addVolume(out, kind === "secret" ? { name, secret: { secretName: refs.secretName(ref.source), items } } : { name, configMap: { name: refs.configName(ref.source), items } });
      // One file at the compose target, beside whatever the image has in that directory.
      out.mounts.push({ name, mountPath: engineFilePath(kind, ref), subPath: CONTENT_KEY, readOnly: true });
    }
  }
  // Code-point order, the same on every machine (localeCompare follows the locale).
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byPath = (a: { mountPath: unknown }, b: { mountPath: unknown }) => compare(String(a.mountPath), String(b.mountPath));
  const byName = (a: { name: unknown }, b: { name: unknown }) => compare(String(a.name), String(b.name));
  return { volumes: out.volumes.sort(byName), mounts: out.mounts.sort(byPath) };
}

/** A long-running service whose ports a Service routes to. */
function drains(service: ServiceConfig, options: PodOptions): boolean {
  return !options.job && containerPorts(service).length > 0;
}

function container(key: string, service: ServiceConfig, refs: PodRefs, options: PodOptions, mounts: VolumeMount[]): Container {
  const environment = convertEnvironment(service.environment);
  return defined({
    name: kubernetesName(key),
    image: refs.image,
    imagePullPolicy: pullPolicy(service.pull_policy),
    command: literals(service.entrypoint),
    args: literals(service.command),
    workingDir: service.working_dir,
    env: nonEmpty(Object.keys(environment).map((name) => ({ name, value: literal(environment[name]) }))),
    ports: nonEmpty(containerPorts(service)),
    readinessProbe: options.job ? undefined : readinessProbe(service.healthcheck),
    lifecycle: drains(service, options) ? { preStop: { sleep: { seconds: ENDPOINT_DRAIN_SECONDS } } } : undefined,
    resources: resources(service),
    securityContext: securityContext(service),
    volumeMounts: nonEmpty(mounts),
    tty: service.tty === true ? true : undefined,
    stdin: service.stdin_open === true && !options.job ? true : undefined,
  });
}

function podSecurityContext(service: ServiceConfig): k8s.types.input.core.v1.PodSecurityContext | undefined {
  const groups = (service.group_add ?? []).filter((group) => /^\d+$/.test(group)).map(Number);
  const sysctls = Object.keys(service.sysctls ?? {}).sort().map((name) => ({ name, value: String(service.sysctls![name]) }));
  const out = defined({ supplementalGroups: nonEmpty(groups), sysctls: nonEmpty(sysctls) });
  return Object.keys(out).length > 0 ? out : undefined;
}

function dnsConfig(service: ServiceConfig): k8s.types.input.core.v1.PodDNSConfig | undefined {
  const list = (value: string | string[] | undefined | null) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
  const options = (service.dns_opt ?? []).map((option) => {
    const [name, value] = option.split(":", 2);
    return defined({ name, value });
  });
  const out = defined({ nameservers: nonEmpty(list(service.dns)), searches: nonEmpty(list(service.dns_search)), options: nonEmpty(options) });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A pod's hostname is one DNS label (infra/graph/targets/kubernetes/checks.ts warns about others). */
export function isDnsLabel(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name);
}

/** Whether a service mounts a project volume (a ReadWriteOnce claim). */
export function mountsClaim(service: ServiceConfig): boolean {
  return (service.volumes ?? []).some((mount) => mount.type === "volume" && mount.source !== undefined && mount.source !== "");
}

/** The pod a service runs as, with its labels and annotations. */
export function podTemplate(project: Project, key: string, refs: PodRefs, options: PodOptions): PodTemplate {
  const service = project.services[key];
  const mounts = podMounts(service, refs);
  const hostAliases = Object.entries(service.extra_hosts ?? {})
    .map(([host, addresses]) => addresses.map((ip) => ({ ip, hostnames: [host] })))
    .flat();
  const spec: PodSpec = defined({
    containers: [container(key, service, refs, options, mounts.mounts)],
    volumes: nonEmpty(mounts.volumes),
    // A Job's pod is not restarted in place: a failure fails the Job, and its dependents wait on nothing.
    restartPolicy: options.job ? "Never" : undefined,
    hostname: service.hostname !== undefined && isDnsLabel(service.hostname) ? service.hostname : undefined,
    hostAliases: nonEmpty(hostAliases),
    dnsConfig: dnsConfig(service),
    securityContext: podSecurityContext(service),
    hostNetwork: service.network_mode === "host" ? true : undefined,
    hostPID: service.pid === "host" ? true : undefined,
    hostIPC: service.ipc === "host" ? true : undefined,
    runtimeClassName: service.runtime,
    terminationGracePeriodSeconds: service.stop_grace_period === undefined
      ? undefined
      : Math.ceil(service.stop_grace_period / NANOS_PER_SECOND) + (drains(service, options) ? ENDPOINT_DRAIN_SECONDS : 0),
    affinity: placement(service.deploy?.placement?.constraints).affinity,
  });
  const annotations = { ...(composeAnnotations(service.labels) ?? {}), ...(service.annotations ?? {}), [LABEL_COMPOSE_CONFIG_HASH]: options.configHash };
  return {
    metadata: { labels: workloadLabels(project.name, key, options.job ? "job" : "service"), annotations },
    spec,
  };
}

/** Deployments and DaemonSets roll by update_config; without one, Kubernetes' own defaults apply. */
export function rollingUpdate(service: ServiceConfig): { maxSurge: number | string; maxUnavailable: number | string } | undefined {
  const update = service.deploy?.update_config;
  if (update === undefined) return undefined;
  // Swarm updates `parallelism` tasks at a time (0: all at once), one batch after another.
  const batch: number | string = update.parallelism === undefined ? 1 : update.parallelism === 0 ? "100%" : update.parallelism;
  return update.order === "start-first" ? { maxSurge: batch, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: batch };
}

export type WorkloadKind = "Deployment" | "DaemonSet";

export interface WorkloadSpec {
  kind: WorkloadKind;
  /** The workload's name in the namespace: the compose key. */
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  spec: k8s.types.input.apps.v1.DeploymentSpec | k8s.types.input.apps.v1.DaemonSetSpec;
}

/** `mode: global` runs a pod on every node (a DaemonSet); otherwise a Deployment of `replicas`. */
export function workloadSpec(project: Project, key: string, refs: PodRefs, configHash: string): WorkloadSpec {
  const service = project.services[key];
  const template = podTemplate(project, key, refs, { job: false, configHash });
  const selector = { matchLabels: selectorLabels(project.name, key) };
  const update = rollingUpdate(service);
  const monitor = service.deploy?.update_config?.monitor;
  const minReadySeconds = monitor === undefined || monitor === 0 ? undefined : Math.ceil(monitor / NANOS_PER_SECOND);
  const common = { kind: undefined, name: kubernetesName(key), labels: workloadLabels(project.name, key, "service"), annotations: composeAnnotations(service.deploy?.labels) };
  if (service.deploy?.mode === "global") {
    return {
      ...common,
      kind: "DaemonSet",
      spec: defined({ selector, template, minReadySeconds, updateStrategy: update === undefined ? undefined : { type: "RollingUpdate", rollingUpdate: update } }),
    };
  }
  return {
    ...common,
    kind: "Deployment",
    spec: defined({
      replicas: service.deploy?.replicas ?? service.scale ?? 1,
      selector,
      template,
      minReadySeconds,
      // Without an update policy, a pod holding a ReadWriteOnce claim is stopped before its
      // replacement starts (as `docker compose up` replaces a container): a surge pod on
      // another node could never attach the claim, and the rollout would never finish.
      strategy: update !== undefined ? { type: "RollingUpdate", rollingUpdate: update } : mountsClaim(service) ? { type: "Recreate" } : undefined,
    }),
  };
}
