/**
 * THE capability table: for every key path of the canonical compose model, what each
 * target (and a one-shot job on it) does when the key is set. Warnings, the README's
 * "Compose keys per target" table and the coverage test are all read from here; a key
 * without an entry for a column fails test/unit/graph/capabilities.test.ts.
 *
 * Paths are relative to the model's root: `services.*.ports[].host_ip` (`*` a name,
 * `[]` a list item). A column that warns or errors on a key covers everything below it.
 */
import { CONVERTED as C, error, warn, type Capability, type Support, type Target } from "./support.ts";

const swarmService = warn("is not supported on the swarm target (the docker provider's service spec cannot express it); ignored");
const engineContainer = warn("is not supported on the engine target (the docker provider's container cannot express it); ignored");
const engineJob = warn("is not supported by a one-shot job on the engine target (docker create cannot express it); ignored");
const swarmJob = warn("is not supported by a one-shot job on the swarm target (docker service create cannot express it); ignored");
const nowhere = (target: Target) => warn(`is not supported on the ${target} target; ignored`);
const swarmOnly = warn("only applies to a swarm; ignored on the engine target");
const notForJobs = warn("does not apply to a job; ignored");
const neverRestarted = warn("a job runs once and is never restarted; ignored");
const useDeployResources = warn("is not supported on the swarm target (use deploy.resources; docker stack deploy ignores it too); ignored");
const swarmAddresses = warn("is not supported on the swarm target (swarm assigns addresses); ignored");
const providerService = error("is run by a docker compose provider plugin, which no target here can run; deploy that resource another way and give the service an image, or leave it out with a profile");
const resolvedByLoader: Capability = { engine: C, swarm: C, job: C, note: "resolved by the loader" };

/** Converted everywhere. */
const all: Capability = { engine: C, swarm: C, job: C };
/** Ignored everywhere, with the generic per-target reason. */
const none: Capability = { engine: nowhere("engine"), swarm: nowhere("swarm"), job: { engine: nowhere("engine"), swarm: nowhere("swarm") } };
/** Ignored everywhere: neither the provider nor the docker CLI expresses it. */
const unsupported: Capability = { engine: engineContainer, swarm: swarmService, job: { engine: engineJob, swarm: swarmJob } };
/** A container-only key: the engine container and the engine job carry it; a swarm service cannot. */
const containerOnly: Capability = { engine: C, swarm: swarmService, job: { engine: C, swarm: swarmJob } };
/** Only `docker create` (an engine job) carries it. */
const engineJobOnly: Capability = { engine: engineContainer, swarm: swarmService, job: { engine: C, swarm: swarmJob } };
/** A swarm-only key: engine warns, swarm service and swarm job carry it. */
const swarmKey: Capability = { engine: swarmOnly, swarm: C, job: { engine: swarmOnly, swarm: C } };

function each(prefix: string, keys: readonly string[], capability: Capability): [string, Capability][] {
  return keys.map((key) => [`${prefix}.${key}`, capability]);
}

const svc = "services.*";

const service: [string, Capability][] = [
  [svc, all],
  ...each(svc, ["annotations", "attach", "develop", "external_links", "models", "post_start", "pre_stop", "pull_refresh_after", "use_api_socket"], unsupported),
  // A provider service is run by a docker compose plugin (a cloud database, a model runner): nothing here can run it.
  [`${svc}.provider`, { engine: providerService, swarm: providerService, job: { engine: providerService, swarm: providerService } }],
  ...each(svc, ["cap_add", "cap_drop", "command", "entrypoint", "environment", "extra_hosts", "group_add", "hostname", "image", "init", "labels", "read_only", "stop_signal", "user", "working_dir"], all),
  ...each(svc, ["extends", "env_file", "label_file", "profiles"], resolvedByLoader),
  ...each(`${svc}.extends`, ["service", "file"], resolvedByLoader),
  ...each(`${svc}.env_file[]`, ["path", "required", "format"], resolvedByLoader),
  ...each(svc, ["cgroup", "cgroup_parent", "cpu_shares", "cpu_quota", "cpu_period", "cpuset", "device_cgroup_rules", "domainname", "ipc", "mac_address", "pid", "platform", "privileged", "runtime", "security_opt", "shm_size", "storage_opt", "userns_mode"], containerOnly),
  ...each(svc, ["cpu_rt_period", "cpu_rt_runtime", "mem_swappiness", "oom_kill_disable", "oom_score_adj", "uts"], engineJobOnly),
  ...each(svc, ["cpu_count", "cpu_percent"], { ...unsupported, job: { engine: warn("only applies to Windows containers; ignored"), swarm: swarmJob } }),
  [`${svc}.links`, { engine: engineContainer, swarm: swarmService, job: { engine: warn("is not supported by a one-shot job (legacy links; use networks); ignored"), swarm: swarmJob } }],
  [`${svc}.volumes_from`, unsupported],
  [`${svc}.blkio_config`, engineJobOnly],
  ...each(`${svc}.blkio_config`, ["weight", "weight_device", "device_read_bps", "device_read_iops", "device_write_bps", "device_write_iops"], all),
  ...["weight_device"].flatMap((list) => each(`${svc}.blkio_config.${list}[]`, ["path", "weight"], all)),
  ...["device_read_bps", "device_read_iops", "device_write_bps", "device_write_iops"].flatMap((list) => each(`${svc}.blkio_config.${list}[]`, ["path", "rate"], all)),
  [`${svc}.container_name`, { engine: C, swarm: swarmService, job: { engine: C, swarm: swarmJob }, note: "engine: an error with more than one replica" }],
  [`${svc}.cpus`, { engine: C, swarm: useDeployResources, job: { engine: C, swarm: useDeployResources } }],
  [`${svc}.mem_limit`, { engine: C, swarm: useDeployResources, job: { engine: C, swarm: useDeployResources }, note: "engine: rounded up to whole MiB" }],
  [`${svc}.mem_reservation`, { engine: C, swarm: useDeployResources, job: { engine: C, swarm: useDeployResources }, note: "engine: rounded up to whole MiB" }],
  [`${svc}.memswap_limit`, { engine: C, swarm: useDeployResources, job: { engine: C, swarm: useDeployResources } }],
  [`${svc}.pids_limit`, { engine: engineContainer, swarm: swarmService, job: C }],
  [`${svc}.credential_spec`, { engine: engineContainer, swarm: C, job: { engine: engineJob, swarm: swarmJob } }],
  [`${svc}.credential_spec.config`, { engine: C, swarm: swarmService }],
  ...each(`${svc}.credential_spec`, ["file", "registry"], { engine: C, swarm: C }),
  [`${svc}.isolation`, { engine: engineContainer, swarm: C, job: C }],
  [`${svc}.devices`, containerOnly],
  ...each(`${svc}.devices[]`, ["source", "target", "permissions"], all),
  ...each(svc, ["dns", "dns_opt", "dns_search", "sysctls", "stop_grace_period", "scale"], all),
  [`${svc}.ulimits`, { engine: C, swarm: swarmService, job: C }],
  ...each(`${svc}.ulimits.*`, ["single", "soft", "hard"], all),
  [`${svc}.tmpfs`, { ...all, note: "swarm: mount options (`/run:size=64m`) are warned, the tmpfs is mounted with defaults" }],
  [`${svc}.tty`, { engine: C, swarm: swarmService, job: C }],
  [`${svc}.stdin_open`, { engine: C, swarm: swarmService, job: warn("a job runs without its input attached; ignored") }],
  [`${svc}.expose`, { engine: engineContainer, swarm: swarmService, job: { engine: C, swarm: swarmJob } }],
  [`${svc}.gpus`, { engine: C, swarm: swarmService, job: { engine: C, swarm: swarmJob }, note: "engine container: only `all` (or `count: all`/-1); a device list is warned" }],
  ...each(`${svc}.gpus[]`, ["capabilities", "count", "device_ids", "driver"], { engine: C, swarm: C, job: C }),
  [`${svc}.gpus[].options`, { engine: engineContainer, swarm: C, job: { engine: engineJob, swarm: C } }],
  [`${svc}.pull_policy`, {
    engine: warn("is not supported on the engine target (the image is pulled when it is missing, and built when the service has a build); ignored"),
    swarm: swarmService,
    job: { engine: warn("is not supported on the engine target (the image is pulled when it is missing, and built when the service has a build); ignored"), swarm: swarmService },
    unset: ["missing"],
  }],
  [`${svc}.restart`, { engine: C, swarm: C, job: neverRestarted, unset: ["no"], note: "warned when `deploy.restart_policy` disagrees (restart_policy wins)" }],
  [`${svc}.network_mode`, containerOnly],

  [`${svc}.build`, all],
  ...each(`${svc}.build`, ["context", "dockerfile", "args", "network", "target", "extra_hosts", "cache_from", "labels", "no_cache", "pull", "shm_size", "isolation"], all),
  [`${svc}.build.platforms`, { ...all, note: "only the first platform is built; the others are warned" }],
  [`${svc}.build.ulimits`, all],
  ...each(`${svc}.build.ulimits.*`, ["single", "soft", "hard"], all),
  [`${svc}.build.dockerfile_inline`, {
    engine: error("cannot be built by the docker provider's image build; write it to a file and set build.dockerfile"),
    swarm: error("cannot be built by the docker provider's image build; write it to a file and set build.dockerfile"),
    job: error("cannot be built by the docker provider's image build; write it to a file and set build.dockerfile"),
  }],
  [`${svc}.build.tags`, all],
  ...each(`${svc}.build`, ["additional_contexts", "cache_to"], { ...all, note: "only with `builder: buildx` (warned otherwise)" }),
  [`${svc}.build.secrets`, { ...all, note: "file and environment secrets, passed by reference" }],
  ...each(`${svc}.build.secrets[]`, ["source", "target"], all),
  ...each(`${svc}.build.secrets[]`, ["uid", "gid", "mode"], everywhere("a build secret is mounted by the Dockerfile's RUN --mount=type=secret, which sets its own uid, gid and mode; ignored")),
  [`${svc}.build.ssh`, everywhere("is not supported by the docker provider's image build (it forwards no SSH agent or keys); ignored")],
  ...each(`${svc}.build`, ["entitlements", "privileged"], everywhere("is not supported by the docker provider's image build (it grants no entitlements); ignored")),
  ...each(`${svc}.build`, ["provenance", "sbom"], everywhere("is not supported by the docker provider's image build (the daemon's own BuildKit attaches no attestations); ignored")),

  [`${svc}.configs`, all],
  ...each(`${svc}.configs[]`, ["source", "target", "uid", "gid", "mode"], { ...all, note: "engine: `uid`, `gid`, `mode` of a file-based config are warned (the file is bind-mounted)" }),
  [`${svc}.secrets`, all],
  ...each(`${svc}.secrets[]`, ["source", "target", "uid", "gid", "mode"], { ...all, note: "engine: `uid`, `gid`, `mode` of a file-based secret are warned (the file is bind-mounted); an external secret is an error" }),

  [`${svc}.depends_on`, all],
  ...each(`${svc}.depends_on.*`, ["condition", "required"], all),
  [`${svc}.depends_on.*.restart`, dependentRestart()],

  [`${svc}.deploy`, all],
  [`${svc}.deploy.mode`, { ...all, note: "engine: `global` runs one container, `global-job` runs once (warned)" }],
  [`${svc}.deploy.replicas`, { ...all, note: "engine: a job runs once (warned)" }],
  ...each(`${svc}.deploy`, ["labels", "endpoint_mode", "placement"], swarmKey),
  ...each(`${svc}.deploy.placement`, ["constraints", "preferences", "max_replicas_per_node"], all),
  [`${svc}.deploy.placement.preferences[].spread`, all],
  ...["update_config", "rollback_config"].flatMap((policy): [string, Capability][] => [
    [`${svc}.deploy.${policy}`, { engine: swarmOnly, swarm: C, job: notForJobs }],
    ...each(`${svc}.deploy.${policy}`, ["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"], all),
  ]),
  [`${svc}.deploy.resources`, all],
  ...each(`${svc}.deploy.resources`, ["limits", "reservations"], all),
  [`${svc}.deploy.resources.limits.cpus`, all],
  [`${svc}.deploy.resources.limits.memory`, { ...all, note: "engine: rounded up to whole MiB" }],
  [`${svc}.deploy.resources.limits.pids`, { engine: warn("is not supported on the engine target (the docker provider cannot express it); ignored"), swarm: warn("is not supported on the swarm target (the docker provider cannot express it); ignored"), job: C }],
  [`${svc}.deploy.resources.reservations.cpus`, { engine: nowhere("engine"), swarm: C, job: { engine: nowhere("engine"), swarm: C } }],
  [`${svc}.deploy.resources.reservations.memory`, { ...all, note: "engine: rounded up to whole MiB" }],
  [`${svc}.deploy.resources.reservations.generic_resources`, { engine: nowhere("engine"), swarm: C, job: { engine: nowhere("engine"), swarm: C } }],
  [`${svc}.deploy.resources.reservations.generic_resources[].discrete_resource_spec`, all],
  ...each(`${svc}.deploy.resources.reservations.generic_resources[].discrete_resource_spec`, ["kind", "value"], all),
  [`${svc}.deploy.resources.reservations.devices`, none],
  [`${svc}.deploy.restart_policy`, all],
  [`${svc}.deploy.restart_policy.condition`, { engine: C, swarm: C, job: neverRestarted, unset: ["none"] }],
  ...each(`${svc}.deploy.restart_policy`, ["delay", "window"], { engine: nowhere("engine"), swarm: C, job: neverRestarted }),
  [`${svc}.deploy.restart_policy.max_attempts`, { engine: C, swarm: C, job: neverRestarted }],

  [`${svc}.healthcheck`, { engine: C, swarm: C, job: warn("a job runs to completion and is never waited on for health; ignored"), note: "an error with both `test` and `disable: true`" }],
  ...each(`${svc}.healthcheck`, ["test", "interval", "timeout", "start_period", "retries", "disable"], { engine: C, swarm: C }),
  [`${svc}.healthcheck.start_interval`, { engine: C, swarm: warn("is not supported on the swarm target (the docker provider's service healthcheck cannot express it); ignored") }],

  [`${svc}.logging`, all],
  [`${svc}.logging.driver`, all],
  [`${svc}.logging.options`, { ...all, note: "warned without `logging.driver`" }],

  [`${svc}.networks`, all],
  [`${svc}.networks.*.aliases`, all],
  [`${svc}.networks.*.driver_opts`, { engine: C, swarm: C, job: { engine: engineJob, swarm: swarmJob } }],
  [`${svc}.networks.*.interface_name`, none],
  ...each(`${svc}.networks.*`, ["ipv4_address", "ipv6_address", "link_local_ips"], { engine: C, swarm: swarmAddresses, job: { engine: C, swarm: swarmAddresses } }),
  ...each(`${svc}.networks.*`, ["mac_address", "priority", "gw_priority"], {
    engine: C,
    swarm: swarmAddresses,
    job: { engine: warn("is not supported by a one-shot job on the engine target (docker network connect cannot express it); ignored"), swarm: swarmAddresses },
  }),

  [`${svc}.ports`, { ...all, note: "a published range for one target port is an error; engine: a fixed published port with more than one replica is an error" }],
  ...each(`${svc}.ports[]`, ["mode", "target", "published", "protocol"], all),
  [`${svc}.ports[].host_ip`, { engine: C, swarm: warn("is not supported on the swarm target (swarm publishes on every address); ignored"), job: { engine: C, swarm: warn("is not supported on the swarm target (swarm publishes on every address); ignored") } }],
  [`${svc}.ports[].name`, { engine: nowhere("engine"), swarm: C, job: { engine: nowhere("engine"), swarm: swarmJob } }],
  [`${svc}.ports[].app_protocol`, none],

  [`${svc}.volumes`, { ...all, note: "a mount type other than `bind`, `volume`, `tmpfs` is an error" }],
  ...each(`${svc}.volumes[]`, ["type", "source", "target", "read_only", "bind", "volume", "tmpfs"], all),
  [`${svc}.volumes[].consistency`, { engine: warn("has no effect on Linux daemons; ignored"), swarm: warn("has no effect on Linux daemons; ignored"), job: warn("has no effect on Linux daemons; ignored") }],
  [`${svc}.volumes[].bind.propagation`, all],
  [`${svc}.volumes[].bind.create_host_path`, { ...all, note: "swarm: a missing host path is never created (as `docker stack deploy`)" }],
  [`${svc}.volumes[].bind.selinux`, { engine: C, swarm: nowhere("swarm"), job: { engine: C, swarm: nowhere("swarm") }, note: "engine: warned together with `bind.propagation`" }],
  [`${svc}.volumes[].bind.recursive`, none],
  [`${svc}.volumes[].volume.labels`, {
    engine: warn("is not supported; set labels on the top-level volume instead; ignored"),
    swarm: warn("is not supported; set labels on the top-level volume instead; ignored"),
    job: warn("is not supported; set labels on the top-level volume instead; ignored"),
  }],
  [`${svc}.volumes[].volume.nocopy`, all],
  [`${svc}.volumes[].volume.subpath`, { engine: C, swarm: warn("is not supported on the swarm target (the docker provider's service mount cannot express it); ignored"), job: { engine: C, swarm: swarmJob } }],
  ...each(`${svc}.volumes[].tmpfs`, ["size", "mode"], all),
  [`${svc}.volumes[].image`, none],
];

function dependentRestart(): Capability {
  const reason = warn("is not supported (a dependent is not restarted when its dependency is updated); ignored");
  return { engine: reason, swarm: reason, job: reason };
}

/** The same warning on every target and for jobs. */
function everywhere(reason: string): Capability {
  return { engine: warn(reason), swarm: warn(reason), job: warn(reason) };
}

const both: Capability = { engine: C, swarm: C };
const objectKeys = (kind: string, keys: readonly string[]) => each(`${kind}.*`, keys, both);

const topLevel: [string, Capability][] = [
  ["name", both],
  ["services", both],
  ["networks", both],
  ...objectKeys("networks", ["name", "driver_opts", "ipam", "external", "internal", "enable_ipv6", "labels"]),
  ["networks.*.driver", { ...both, note: "engine: `overlay` becomes a bridge network (warned)" }],
  ["networks.*.attachable", { ...both, note: "engine: warned on an overlay network (a bridge is created)" }],
  ["networks.*.enable_ipv4", { engine: nowhere("engine"), swarm: nowhere("swarm"), unset: [true], note: "only `false` is warned; IPv4 is always on" }],
  ["networks.*.external.name", both],
  ...each("networks.*.ipam", ["driver", "config", "options"], both),
  ...each("networks.*.ipam.config[]", ["subnet", "ip_range", "gateway", "aux_addresses"], both),
  ["volumes", both],
  ...objectKeys("volumes", ["name", "driver", "driver_opts", "external", "labels"]),
  ["volumes.*.external.name", both],
  ...["secrets", "configs"].flatMap((kind): [string, Capability][] => [
    [kind, both],
    ...objectKeys(kind, ["name", "file", "environment", "content", "external", "labels"]),
    [`${kind}.*.external.name`, both],
    [`${kind}.*.template_driver`, { engine: nowhere("engine"), swarm: nowhere("swarm") }],
  ]),
  ...each("secrets.*", ["driver", "driver_opts"], { engine: nowhere("engine"), swarm: nowhere("swarm") }),
  ["models", { engine: nowhere("engine"), swarm: nowhere("swarm") }],
];

/** By key path. */
export const CAPABILITIES: ReadonlyMap<string, Capability> = new Map([...service, ...topLevel]);

export type { Capability, Support };
