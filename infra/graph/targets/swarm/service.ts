/**
 * A compose service as a swarm service spec, following docker/cli's
 * cli/compose/convert/service.go (what `docker stack deploy` sends), expressed in the
 * docker provider's `docker.Service` inputs. Keys the provider cannot express are
 * reported by warnings.ts, not dropped silently here.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { formatDuration } from "../../../compose/durations.ts";
import { labelList, stackLabels, swarmServiceLabels } from "../../labels.ts";
import { swarmServiceName } from "../../naming.ts";
import { swarmEndpointSpec } from "../../ports.ts";
import { swarmMounts, type VolumeNameOf } from "../../mounts.ts";
import { swarmConfigRefs, swarmSecretRefs, type ObjectRef } from "../../secrets.ts";
import { isUserDefinedNetwork, networkPhysicalName, serviceNetworkKeys } from "../../networks.ts";
import type { DeployConfig, HealthcheckConfig, Project, ServiceConfig } from "../../model.ts";
import { asList, convertEnvironment, convertExtraHosts, effectiveCapabilities } from "../shared/convert.ts";


export class ConversionError extends Error {}

/** docker/cli's convertDeployMode, for the modes a docker.Service can run. */
export function convertDeployMode(mode: string | undefined, replicas: number | undefined): docker.types.input.ServiceMode {
  switch (mode ?? "replicated") {
    case "global":
      if (replicas !== undefined) throw new ConversionError("replicas can only be used with replicated or replicated-job mode");
      return { global: true };
    case "replicated":
      return { replicated: replicas === undefined ? {} : { replicas } };
    default:
      throw new ConversionError(`deploy mode "${mode}" runs as a job, not as a service`);
  }
}

/** Decimal CPUs to nano CPUs exactly, as docker's opts.ParseCPUs (no float rounding). */
export function parseNanoCpus(cpus: number): number {
  const text = cpus.toFixed(12).replace(/0+$/, "");
  const [whole, fraction = ""] = text.split(".");
  if (fraction.length > 9) throw new ConversionError(`cpus ${cpus}: value is too precise`);
  return Number(whole) * 1e9 + Number(fraction.padEnd(9, "0"));
}

/** docker/cli's convertRestartPolicy: deploy.restart_policy, else the legacy `restart:`. */
export function convertRestartPolicy(restart: string | undefined, policy: DeployConfig["restart_policy"]): docker.types.input.ServiceTaskSpecRestartPolicy | undefined {
  if (policy !== undefined) {
    const out: docker.types.input.ServiceTaskSpecRestartPolicy = {};
    if (policy.condition !== undefined) out.condition = policy.condition;
    if (policy.max_attempts !== undefined) out.maxAttempts = policy.max_attempts;
    // The provider sends an unset delay or window as 0s and reads 0s back: declaring them
    // keeps every preview after an up free of changes on services that did not change.
    out.delay = formatDuration(policy.delay ?? 0);
    out.window = formatDuration(policy.window ?? 0);
    return out;
  }
  if (restart === undefined || restart === "") return undefined;
  const [name, count] = restart.split(":");
  const maxAttempts = count === undefined ? 0 : Number(count);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 0) {
    throw new ConversionError(`invalid restart policy: maximum retry count must be a non-negative integer, got "${count}"`);
  }
  // Delay and window as the provider sends and reads them back when unset (see above).
  const withAttempts = (condition: string): docker.types.input.ServiceTaskSpecRestartPolicy =>
    maxAttempts > 0 ? { condition, delay: "0s", maxAttempts, window: "0s" } : { condition, delay: "0s", window: "0s" };
  switch (name) {
    case "no":
      return undefined;
    case "always":
    case "unless-stopped":
      return withAttempts("any");
    case "on-failure":
      return withAttempts("on-failure");
    default:
      throw new ConversionError(
        `invalid restart policy: unknown policy '${name}' (must be one of 'no', 'always', 'on-failure', or 'unless-stopped')`,
      );
  }
}

type UpdateConfig = NonNullable<DeployConfig["update_config"]>;

/** docker/cli's convertUpdateConfig (also used for rollback_config): parallelism defaults to 1. */
export function convertUpdateConfig(source: UpdateConfig | undefined): docker.types.input.ServiceUpdateConfig | undefined {
  if (source === undefined) return undefined;
  const out: docker.types.input.ServiceUpdateConfig = { parallelism: source.parallelism ?? 1 };
  if (source.delay !== undefined) out.delay = formatDuration(source.delay);
  if (source.failure_action !== undefined) out.failureAction = source.failure_action;
  if (source.monitor !== undefined) out.monitor = formatDuration(source.monitor);
  if (source.max_failure_ratio !== undefined) out.maxFailureRatio = String(source.max_failure_ratio);
  if (source.order !== undefined) out.order = source.order;
  return out;
}

/** docker/cli's convertResources. */
export function convertResources(resources: DeployConfig["resources"]): docker.types.input.ServiceTaskSpecResources | undefined {
  if (resources === undefined) return undefined;
  const out: docker.types.input.ServiceTaskSpecResources = {};
  const limits = resources.limits;
  if (limits !== undefined) {
    out.limits = {};
    if (limits.cpus !== undefined) out.limits.nanoCpus = parseNanoCpus(limits.cpus);
    if (limits.memory !== undefined) out.limits.memoryBytes = limits.memory;
  }
  const reservations = resources.reservations;
  if (reservations !== undefined) {
    const reservation: docker.types.input.ServiceTaskSpecResourcesReservation = {};
    if (reservations.cpus !== undefined) reservation.nanoCpus = parseNanoCpus(reservations.cpus);
    if (reservations.memory !== undefined) reservation.memoryBytes = reservations.memory;
    const discrete = (reservations.generic_resources ?? [])
      .map((resource) => resource.discrete_resource_spec)
      .filter((spec) => spec !== undefined && spec.kind !== undefined)
      .map((spec) => `${spec!.kind}=${spec!.value ?? 0}`);
    if (discrete.length > 0) reservation.genericResources = { discreteResourcesSpecs: discrete };
    out.reservation = reservation;
  }
  return out;
}

/** docker/cli's convertHealthcheck; `disable` is the test ["NONE"]. */
export function convertHealthcheck(healthcheck: HealthcheckConfig | undefined): docker.types.input.ServiceTaskSpecContainerSpecHealthcheck | undefined {
  if (healthcheck === undefined) return undefined;
  if (healthcheck.disable === true) {
    if ((healthcheck.test ?? []).length !== 0) throw new ConversionError("test and disable can't be set at the same time");
    return { tests: ["NONE"] };
  }
  const out: docker.types.input.ServiceTaskSpecContainerSpecHealthcheck = {};
  if (healthcheck.test !== undefined) out.tests = healthcheck.test;
  if (healthcheck.interval !== undefined) out.interval = formatDuration(healthcheck.interval);
  if (healthcheck.timeout !== undefined) out.timeout = formatDuration(healthcheck.timeout);
  if (healthcheck.start_period !== undefined) out.startPeriod = formatDuration(healthcheck.start_period);
  if (healthcheck.retries !== undefined) out.retries = healthcheck.retries;
  return out;
}

/** docker/cli's convertDNSConfig, plus dns_opt, which the swarm API accepts too. */
export function convertDnsConfig(service: ServiceConfig): docker.types.input.ServiceTaskSpecContainerSpecDnsConfig | undefined {
  const dns = asList(service.dns);
  const search = asList(service.dns_search);
  const options = asList(service.dns_opt);
  if (dns.length === 0 && search.length === 0 && options.length === 0) return undefined;
  const out: docker.types.input.ServiceTaskSpecContainerSpecDnsConfig = { nameservers: dns };
  if (search.length > 0) out.searches = search;
  if (options.length > 0) out.options = options;
  return out;
}

export function convertPlacement(placement: DeployConfig["placement"]): docker.types.input.ServiceTaskSpecPlacement | undefined {
  if (placement === undefined) return undefined;
  const out: docker.types.input.ServiceTaskSpecPlacement = {};
  if (placement.constraints !== undefined && placement.constraints.length > 0) out.constraints = placement.constraints;
  const prefs = (placement.preferences ?? []).filter((p) => p.spread !== undefined).map((p) => `spread=${p.spread}`);
  if (prefs.length > 0) out.prefs = prefs;
  if (placement.max_replicas_per_node !== undefined) out.maxReplicas = placement.max_replicas_per_node;
  return out;
}

export interface SwarmServiceRefs {
  /** What tasks run: the built image's digest reference, or the image as written. */
  image: pulumi.Input<string>;
  /** `image:` as written, for the com.docker.stack.image label. */
  imageAsWritten: string;
  /** The network's ID: the docker provider reads attachments back as IDs, so a name would drift on refresh. */
  networkId(key: string): pulumi.Input<string>;
  volumeName: VolumeNameOf;
  secret(key: string): ObjectRef;
  config(key: string): ObjectRef;
}

/** docker/cli's convertServiceNetworks: sorted by physical name, service name as alias. */
export function convertServiceNetworks(project: Project, serviceKey: string, service: ServiceConfig, networkId: (key: string) => pulumi.Input<string>): docker.types.input.ServiceTaskSpecNetworksAdvanced[] {
  return serviceNetworkKeys(service)
    .map((key) => ({ key, physical: networkPhysicalName(project, key) }))
    .sort((a, b) => (a.physical < b.physical ? -1 : a.physical > b.physical ? 1 : 0))
    .map(({ key, physical }) => {
      const attachment = service.networks?.[key] ?? undefined;
      const aliases = [...(attachment?.aliases ?? [])];
      if (isUserDefinedNetwork(physical)) aliases.push(serviceKey);
      const out: docker.types.input.ServiceTaskSpecNetworksAdvanced = { id: networkId(key), aliases };
      if (attachment?.driver_opts !== undefined) {
        out.driverOpts = Object.keys(attachment.driver_opts).sort().map((k) => `${k}=${attachment.driver_opts![k]}`);
      }
      return out;
    });
}

/** When a dependent waits for health, the create/update returns once tasks converge. */
export const HEALTH_CONVERGE: docker.types.input.ServiceConvergeConfig = { delay: "2s", timeout: "5m" };

export interface SwarmServiceOptions {
  waitForHealthy: boolean;
}

export function swarmServiceSpec(project: Project, key: string, refs: SwarmServiceRefs, options: SwarmServiceOptions): docker.ServiceArgs {
  const service = project.services[key];
  const deploy = service.deploy;
  const containerSpec: docker.types.input.ServiceTaskSpecContainerSpec = { image: refs.image };
  const fields = containerSpec as unknown as Record<string, unknown>;
  const set = (field: keyof docker.types.input.ServiceTaskSpecContainerSpec, value: unknown) => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) fields[field] = value;
  };
  set("commands", service.entrypoint ?? undefined);
  set("args", service.command ?? undefined);
  set("hostname", service.hostname);
  set("hosts", convertExtraHosts(service.extra_hosts));
  set("dnsConfig", convertDnsConfig(service));
  set("healthcheck", convertHealthcheck(service.healthcheck));
  const env = convertEnvironment(service.environment);
  if (Object.keys(env).length > 0) containerSpec.env = env;
  set("labels", labelList(stackLabels(project.name, service.labels)));
  set("dir", service.working_dir);
  set("user", service.user);
  set("groups", service.group_add);
  set("mounts", swarmMounts(project, service, refs.volumeName));
  if (service.stop_grace_period !== undefined) containerSpec.stopGracePeriod = formatDuration(service.stop_grace_period);
  set("stopSignal", service.stop_signal);
  set("secrets", swarmSecretRefs(service.secrets, refs.secret));
  set("configs", swarmConfigRefs(service.configs, refs.config));
  if (service.read_only === true) containerSpec.readOnly = true;
  if (service.init !== undefined) containerSpec.init = service.init;
  set("isolation", service.isolation);
  // Always sent (empty when unset): the provider reads an empty map back, and an absent
  // input would show as a change on every preview.
  containerSpec.sysctl = service.sysctls ?? {};
  const caps = effectiveCapabilities(service.cap_add, service.cap_drop);
  set("capAdds", caps.add);
  set("capDrops", caps.drop);
  const credentialSpec = service.credential_spec;
  if (credentialSpec !== undefined && (credentialSpec.file !== undefined || credentialSpec.registry !== undefined)) {
    containerSpec.privileges = { credentialSpec: { file: credentialSpec.file, registry: credentialSpec.registry } };
  }

  const taskSpec: docker.types.input.ServiceTaskSpec = { containerSpec };
  const resources = convertResources(deploy?.resources);
  if (resources !== undefined) taskSpec.resources = resources;
  const restartPolicy = convertRestartPolicy(service.restart, deploy?.restart_policy);
  if (restartPolicy !== undefined) taskSpec.restartPolicy = restartPolicy;
  const placement = convertPlacement(deploy?.placement);
  if (placement !== undefined) taskSpec.placement = placement;
  taskSpec.networksAdvanceds = convertServiceNetworks(project, key, service, refs.networkId);
  if (service.logging?.driver !== undefined) {
    taskSpec.logDriver = { name: service.logging.driver };
    if (service.logging.options !== undefined) taskSpec.logDriver.options = service.logging.options;
  }

  const spec: docker.ServiceArgs = {
    name: swarmServiceName(project.name, key),
    labels: labelList(swarmServiceLabels(project.name, deploy?.labels, refs.imageAsWritten)),
    taskSpec,
    // `scale` is compose-spec's replica count when deploy.replicas is not given.
    mode: convertDeployMode(deploy?.mode, deploy?.replicas ?? (deploy?.mode === "global" ? undefined : service.scale)),
    endpointSpec: swarmEndpointSpec(deploy?.endpoint_mode, service.ports),
  };
  const updateConfig = convertUpdateConfig(deploy?.update_config);
  if (updateConfig !== undefined) spec.updateConfig = updateConfig;
  const rollbackConfig = convertUpdateConfig(deploy?.rollback_config);
  if (rollbackConfig !== undefined) spec.rollbackConfig = rollbackConfig;
  if (options.waitForHealthy) spec.convergeConfig = HEALTH_CONVERGE;
  return spec;
}
