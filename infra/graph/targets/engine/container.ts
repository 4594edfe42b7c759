/**
 * A compose service as engine containers, following what `docker compose up` creates:
 * one container per replica named `<project>-<service>-<n>`, with compose's labels, the
 * service name as a network alias, secrets and configs mounted or copied in, and, when a
 * dependent needs the service healthy, a wait for the healthcheck. Expressed in the docker
 * provider's `docker.Container` inputs; keys it cannot express are warned
 * through the capability table (infra/graph/capabilities).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { formatDuration } from "../../../compose/durations.ts";
import { engineContainerLabels, labelList } from "../../labels.ts";
import { engineContainerName } from "../../naming.ts";
import { enginePorts } from "../../ports.ts";
import { engineMounts, engineTmpfs, type VolumeNameOf } from "../../mounts.ts";
import { engineFileMounts, engineFiles, engineFileUploads } from "../../secrets.ts";
import { serviceNetworkKeys } from "../../networks.ts";
import { composeDependsOnEntries } from "../../depends-on.ts";
import { asList, convertEnvironment, convertExtraHosts, convertUlimits, effectiveCapabilities } from "../shared/convert.ts";
import type { DeployConfig, HealthcheckConfig, Project, ServiceConfig } from "../../model.ts";

const MIB = 1024 * 1024;

/** Bytes as the provider's whole mebibytes, rounded up (warnings.ts reports inexact ones). */
export function toMebibytes(bytes: number): number {
  return Math.ceil(bytes / MIB);
}

/**
 * Swap limit in MiB as the daemon records it, so that what is declared equals what the
 * provider reads back: `memswap_limit` when set (-1: unlimited); otherwise, with a memory
 * limit, twice the memory, which is what dockerd stores when only the memory is given
 * (a 0 swap limit means "not set" to dockerd too). A kernel without swap accounting makes
 * dockerd store -1 instead; that host's containers then preview a swap change.
 */
export function engineMemorySwap(memoryMebibytes: number | undefined, memswapLimit: number | undefined): number | undefined {
  if (memswapLimit !== undefined && memswapLimit < 0) return -1;
  if (memswapLimit !== undefined && memswapLimit > 0) return toMebibytes(memswapLimit);
  if (memoryMebibytes !== undefined && memoryMebibytes > 0) return memoryMebibytes * 2;
  return undefined;
}

/** Replicas compose starts: deploy.replicas, else scale, else 1. */
export function replicaCount(service: ServiceConfig): number {
  return service.deploy?.replicas ?? service.scale ?? 1;
}

/**
 * Compose's getRestartPolicy: deploy.restart_policy wins over `restart:` (none -> no,
 * on-failure -> on-failure with max_attempts, any -> always); no policy means "no".
 */
export function engineRestart(restart: string | undefined, policy: DeployConfig["restart_policy"]): { restart: string; maxRetryCount?: number } {
  if (policy !== undefined) {
    const name = policy.condition === "none" ? "no" : policy.condition === "on-failure" ? "on-failure" : "always";
    return policy.max_attempts !== undefined && name === "on-failure" ? { restart: name, maxRetryCount: policy.max_attempts } : { restart: name };
  }
  if (restart !== undefined) {
    const [name, count] = restart.split(":");
    return count === undefined ? { restart: name } : { restart: name, maxRetryCount: Number(count) };
  }
  return { restart: "no" };
}

export function engineHealthcheck(healthcheck: HealthcheckConfig | undefined): docker.types.input.ContainerHealthcheck | undefined {
  if (healthcheck === undefined) return undefined;
  if (healthcheck.disable === true) return { tests: ["NONE"] };
  const out: docker.types.input.ContainerHealthcheck = {};
  if (healthcheck.test !== undefined) out.tests = healthcheck.test;
  if (healthcheck.interval !== undefined) out.interval = formatDuration(healthcheck.interval);
  if (healthcheck.timeout !== undefined) out.timeout = formatDuration(healthcheck.timeout);
  if (healthcheck.start_period !== undefined) out.startPeriod = formatDuration(healthcheck.start_period);
  if (healthcheck.start_interval !== undefined) out.startInterval = formatDuration(healthcheck.start_interval);
  if (healthcheck.retries !== undefined) out.retries = healthcheck.retries;
  return out;
}

/** Seconds to wait for health: the healthcheck's own budget with a floor of one minute. */
export function healthWaitSeconds(healthcheck: HealthcheckConfig | undefined): number {
  const seconds = (ns: number | undefined, fallback: number) => (ns === undefined ? fallback : Math.ceil(ns / 1e9));
  const interval = seconds(healthcheck?.interval, 30);
  const timeout = seconds(healthcheck?.timeout, 30);
  const budget = seconds(healthcheck?.start_period, 0) + (healthcheck?.retries ?? 3) * (interval + timeout);
  return Math.max(60, budget);
}

/**
 * `gpus:` as the provider's container takes it: only "all" exists there. compose-go
 * writes `gpus: all` as one request with count -1, so that request means "all" too.
 */
export function engineGpus(gpus: ServiceConfig["gpus"]): "all" | undefined {
  if (gpus === undefined) return undefined;
  if (gpus === "all") return "all";
  if (gpus.length !== 1) return undefined;
  const [request] = gpus;
  const everyDevice = request.count === "all" || request.count === -1;
  const gpuOnly = (request.capabilities ?? ["gpu"]).every((capability) => capability === "gpu");
  const plain = request.device_ids === undefined && request.driver === undefined && !isSetMap(request.options);
  return everyDevice && gpuOnly && plain ? "all" : undefined;
}

function isSetMap(value: Record<string, unknown> | undefined): boolean {
  return value !== undefined && Object.keys(value).length > 0;
}

/** Network attachments, highest priority first (compose's order), then by key. */
export function engineNetworks(
  service: ServiceConfig,
  serviceKey: string,
  networkName: (key: string) => pulumi.Input<string>,
): docker.types.input.ContainerNetworksAdvanced[] {
  const keys = serviceNetworkKeys(service);
  const priority = (key: string) => service.networks?.[key]?.priority ?? 0;
  return [...keys]
    .sort((a, b) => priority(b) - priority(a) || (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => {
      const attachment = service.networks?.[key] ?? undefined;
      const out: docker.types.input.ContainerNetworksAdvanced = {
        name: networkName(key),
        aliases: [serviceKey, ...(attachment?.aliases ?? []).filter((alias) => alias !== serviceKey)],
      };
      if (attachment?.ipv4_address !== undefined) out.ipv4Address = attachment.ipv4_address;
      if (attachment?.ipv6_address !== undefined) out.ipv6Address = attachment.ipv6_address;
      if (attachment?.link_local_ips !== undefined) out.linkLocalIps = attachment.link_local_ips;
      const mac = attachment?.mac_address ?? (keys.length === 1 ? service.mac_address : undefined);
      if (mac !== undefined) out.macAddress = mac;
      if (attachment?.gw_priority !== undefined) out.gwPriority = attachment.gw_priority;
      if (attachment?.driver_opts !== undefined) {
        out.driverOpts = Object.keys(attachment.driver_opts).sort().map((k) => `${k}=${attachment.driver_opts![k]}`);
      }
      return out;
    });
}

export interface EngineContainerRefs {
  /** Image ID or digest reference to run. */
  image: pulumi.Input<string>;
  networkName(key: string): pulumi.Input<string>;
  volumeName: VolumeNameOf;
  /** Base64 content of a secret or config that is copied in (not bind-mounted). */
  secretContent(key: string): pulumi.Input<string> | undefined;
  configContent(key: string): pulumi.Input<string> | undefined;
  /** Container name of replica 1 of a service, for `network_mode: service:<name>`. */
  containerNameOf(service: string): string;
}

export interface EngineContainerOptions {
  /** Hash of everything that defines the container, for com.docker.compose.config-hash. */
  configHash: string;
  waitForHealthy: boolean;
}

/** The docker.Container inputs of replica `number` (1-based). */
export function engineContainerSpec(
  project: Project,
  key: string,
  number: number,
  refs: EngineContainerRefs,
  options: EngineContainerOptions,
): docker.ContainerArgs {
  const service = project.services[key];
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const spec: docker.ContainerArgs = {
    name: engineContainerName(project.name, key, number, service.container_name),
    image: refs.image,
    labels: labelList(
      engineContainerLabels(service.labels, {
        project: project.name,
        service: key,
        number,
        configHash: options.configHash,
        dependsOn: composeDependsOnEntries(project, service),
      }),
    ),
    ...engineRestart(service.restart, service.deploy?.restart_policy),
  };
  const fields = spec as unknown as Record<string, unknown>;
  const set = (field: keyof docker.ContainerArgs, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value) && value.length === 0) return;
    if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0) return;
    fields[field] = value;
  };

  set("command", service.command);
  set("entrypoints", service.entrypoint);
  const env = convertEnvironment(service.environment);
  set("envs", Object.keys(env).map((name) => `${name}=${env[name]}`));
  set("hostname", service.hostname);
  set("domainname", service.domainname);
  set("user", service.user);
  set("workingDir", service.working_dir);

  const networkMode = service.network_mode;
  if (networkMode !== undefined && networkMode !== "") {
    spec.networkMode = networkMode.startsWith("service:") ? `container:${refs.containerNameOf(networkMode.slice("service:".length))}` : networkMode;
  } else {
    set("networksAdvanced", engineNetworks(service, key, refs.networkName));
  }
  set("ports", enginePorts(service.ports));

  const secretFiles = engineFiles("secret", project, service.secrets, refs.secretContent);
  const configFiles = engineFiles("config", project, service.configs, refs.configContent);
  const serviceMounts = engineMounts(service, refs.volumeName);
  set("mounts", [...serviceMounts.mounts, ...engineFileMounts(secretFiles), ...engineFileMounts(configFiles)]);
  set("volumes", serviceMounts.binds);
  set("uploads", [...engineFileUploads(secretFiles), ...engineFileUploads(configFiles)]);
  set("tmpfs", engineTmpfs(service));

  const healthcheck = engineHealthcheck(service.healthcheck);
  set("healthcheck", healthcheck);
  if (options.waitForHealthy) {
    spec.wait = true;
    spec.waitTimeout = healthWaitSeconds(service.healthcheck);
  }

  if (service.logging?.driver !== undefined) spec.logDriver = service.logging.driver;
  set("logOpts", service.logging?.options);
  set("dns", asList(service.dns));
  set("dnsSearches", asList(service.dns_search));
  set("dnsOpts", service.dns_opt);
  set("hosts", convertExtraHosts(service.extra_hosts));
  set("sysctls", service.sysctls);
  set("ulimits", convertUlimits(service.ulimits));
  if (service.cap_add !== undefined || service.cap_drop !== undefined) {
    const caps = effectiveCapabilities(service.cap_add, service.cap_drop);
    const capabilities: docker.types.input.ContainerCapabilities = {};
    if (caps.add.length > 0) capabilities.adds = caps.add;
    if (caps.drop.length > 0) capabilities.drops = caps.drop;
    set("capabilities", capabilities);
  }
  set("init", service.init);
  if (service.privileged === true) spec.privileged = true;
  if (service.read_only === true) spec.readOnly = true;
  if (service.tty === true) spec.tty = true;
  if (service.stdin_open === true) spec.stdinOpen = true;
  set("stopSignal", service.stop_signal);
  if (service.stop_grace_period !== undefined) spec.stopTimeout = Math.ceil(service.stop_grace_period / 1e9);
  set(
    "devices",
    (service.devices ?? []).map((device) => ({ hostPath: device.source, containerPath: device.target ?? device.source, permissions: device.permissions ?? "rwm" })),
  );
  set("deviceCgroupRules", service.device_cgroup_rules);
  set("securityOpts", service.security_opt);
  if (service.shm_size !== undefined) spec.shmSize = toMebibytes(service.shm_size);
  set("pidMode", service.pid);
  set("ipcMode", service.ipc);
  set("cgroupParent", service.cgroup_parent);
  set("cgroupnsMode", service.cgroup);
  set("groupAdds", service.group_add);
  set("usernsMode", service.userns_mode);
  set("runtime", service.runtime);
  set("platform", service.platform);
  set("storageOpts", service.storage_opt);
  set("gpus", engineGpus(service.gpus));

  const memory = limits?.memory ?? service.mem_limit;
  if (memory !== undefined) spec.memory = toMebibytes(memory);
  const memoryReservation = reservations?.memory ?? service.mem_reservation;
  if (memoryReservation !== undefined) spec.memoryReservation = toMebibytes(memoryReservation);
  const memorySwap = engineMemorySwap(spec.memory as number | undefined, service.memswap_limit);
  if (memorySwap !== undefined) spec.memorySwap = memorySwap;
  const cpus = limits?.cpus ?? service.cpus;
  if (cpus !== undefined) spec.cpus = String(cpus);
  set("cpuShares", service.cpu_shares);
  set("cpuPeriod", service.cpu_period);
  set("cpuQuota", service.cpu_quota);
  set("cpuSet", service.cpuset);
  return spec;
}
