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
const resolvedByLoader: Capability = { engine: C, swarm: C, kubernetes: C, job: C, note: "resolved by the loader" };

/** Ignored on Kubernetes: the pod spec has nothing that expresses the key. */
const noPodField = warn("is not supported on the kubernetes target (a pod spec cannot express it); ignored");
/** Ignored on Kubernetes with the reason given, which says what Kubernetes does instead. */
const kube = (reason: string) => warn(`is not supported on the kubernetes target (${reason}); ignored`);
const flatNetwork = kube("pods share one flat network and reach each other by Service name; no NetworkPolicy is derived");
const podAddresses = kube("the cluster assigns pod addresses");

/** Converted everywhere. */
const all: Capability = { engine: C, swarm: C, kubernetes: C, job: C };
/** Ignored everywhere, with the generic per-target reason. */
const none: Capability = {
  engine: nowhere("engine"),
  swarm: nowhere("swarm"),
  kubernetes: nowhere("kubernetes"),
  job: { engine: nowhere("engine"), swarm: nowhere("swarm"), kubernetes: nowhere("kubernetes") },
};
/** Ignored everywhere: neither the providers nor the docker CLI express it. */
const unsupported: Capability = { engine: engineContainer, swarm: swarmService, kubernetes: noPodField, job: { engine: engineJob, swarm: swarmJob, kubernetes: noPodField } };
/** A container-only key: the engine container and the engine job carry it; a swarm service cannot. */
const containerOnly = (kubernetes: Support): Capability => ({ engine: C, swarm: swarmService, kubernetes, job: { engine: C, swarm: swarmJob, kubernetes } });
/** Only `docker create` (an engine job) carries it. */
const engineJobOnly: Capability = { engine: engineContainer, swarm: swarmService, kubernetes: noPodField, job: { engine: C, swarm: swarmJob, kubernetes: noPodField } };
/** A swarm-only key that Kubernetes converts too: engine warns, swarm and Kubernetes carry it. */
const swarmKey = (kubernetesJob: Support = C): Capability => ({ engine: swarmOnly, swarm: C, kubernetes: C, job: { engine: swarmOnly, swarm: C, kubernetes: kubernetesJob } });

function each(prefix: string, keys: readonly string[], capability: Capability): [string, Capability][] {
  return keys.map((key) => [`${prefix}.${key}`, capability]);
}

const svc = "services.*";

const service: [string, Capability][] = [
  [svc, all],
  ...each(svc, ["attach", "develop", "external_links", "models", "pull_refresh_after", "use_api_socket"], unsupported),
  [`${svc}.annotations`, { ...unsupported, kubernetes: C, job: { engine: engineJob, swarm: swarmJob, kubernetes: C }, note: "kubernetes: the pod's annotations" }],
  ...each(svc, ["post_start", "pre_stop"], {
    ...unsupported,
    kubernetes: kube("a container's lifecycle hook runs as the container's own user, without compose's user, privileged and environment"),
    job: { engine: engineJob, swarm: swarmJob, kubernetes: kube("a container's lifecycle hook runs as the container's own user, without compose's user, privileged and environment") },
  }),
  // A provider service is run by a docker compose plugin (a cloud database, a model runner): nothing here can run it.
  [`${svc}.provider`, { engine: providerService, swarm: providerService, kubernetes: providerService, job: providerService }],
  ...each(svc, ["cap_add", "cap_drop", "command", "entrypoint", "environment", "hostname", "image", "read_only", "working_dir"], all),
  [`${svc}.extra_hosts`, { ...all, note: "kubernetes: the pod's hostAliases" }],
  [`${svc}.group_add`, { ...all, note: "kubernetes: numeric groups only (supplementalGroups); a group name is warned" }],
  [`${svc}.user`, { ...all, note: "kubernetes: numeric `uid[:gid]` only (runAsUser, runAsGroup); a user name is warned" }],
  [`${svc}.labels`, { ...all, note: "kubernetes: the pod's annotations (a compose label need not be a valid Kubernetes label)" }],
  [`${svc}.init`, { ...all, kubernetes: kube("a pod has no init process of its own"), job: { engine: C, swarm: C, kubernetes: kube("a pod has no init process of its own") } }],
  [`${svc}.stop_signal`, {
    ...all,
    kubernetes: kube("the kubelet stops a container with SIGTERM, then SIGKILL after stop_grace_period"),
    job: { engine: C, swarm: C, kubernetes: kube("the kubelet stops a container with SIGTERM, then SIGKILL after stop_grace_period") },
  }],
  ...each(svc, ["extends", "env_file", "label_file", "profiles"], resolvedByLoader),
  ...each(`${svc}.extends`, ["service", "file"], resolvedByLoader),
  ...each(`${svc}.env_file[]`, ["path", "required", "format"], resolvedByLoader),
  ...each(svc, ["cgroup", "cgroup_parent", "cpu_shares", "cpu_quota", "cpu_period", "cpuset", "device_cgroup_rules", "domainname", "mac_address", "security_opt", "storage_opt", "userns_mode"], containerOnly(noPodField)),
  [`${svc}.platform`, containerOnly(kube("the scheduler places pods by node labels such as kubernetes.io/arch: use a placement constraint"))],
  [`${svc}.shm_size`, containerOnly(kube("a pod's /dev/shm is the runtime's default; mount an emptyDir with medium Memory there instead"))],
  [`${svc}.privileged`, { ...containerOnly(C), note: "kubernetes: securityContext.privileged" }],
  [`${svc}.runtime`, { ...containerOnly(C), note: "kubernetes: the pod's runtimeClassName (a RuntimeClass of that name must exist)" }],
  ...each(svc, ["ipc", "pid"], { ...containerOnly(C), note: "kubernetes: only `host` (hostIPC, hostPID); another value is warned" }),
  ...each(svc, ["cpu_rt_period", "cpu_rt_runtime", "mem_swappiness", "oom_kill_disable", "oom_score_adj", "uts"], engineJobOnly),
  ...each(svc, ["cpu_count", "cpu_percent"], { ...unsupported, job: { engine: warn("only applies to Windows containers; ignored"), swarm: swarmJob, kubernetes: noPodField } }),
  [`${svc}.links`, {
    engine: engineContainer,
    swarm: swarmService,
    kubernetes: kube("pods reach each other by Service name"),
    job: { engine: warn("is not supported by a one-shot job (legacy links; use networks); ignored"), swarm: swarmJob, kubernetes: kube("pods reach each other by Service name") },
  }],
  [`${svc}.volumes_from`, unsupported],
  [`${svc}.blkio_config`, engineJobOnly],
  ...each(`${svc}.blkio_config`, ["weight", "weight_device", "device_read_bps", "device_read_iops", "device_write_bps", "device_write_iops"], all),
  ...["weight_device"].flatMap((list) => each(`${svc}.blkio_config.${list}[]`, ["path", "weight"], all)),
  ...["device_read_bps", "device_read_iops", "device_write_bps", "device_write_iops"].flatMap((list) => each(`${svc}.blkio_config.${list}[]`, ["path", "rate"], all)),
  [`${svc}.container_name`, { engine: C, swarm: swarmService, kubernetes: kube("a controller names its pods"), job: { engine: C, swarm: swarmJob, kubernetes: kube("a controller names its pods") }, note: "engine: an error with more than one replica" }],
  [`${svc}.cpus`, { engine: C, swarm: useDeployResources, kubernetes: C, job: { engine: C, swarm: useDeployResources, kubernetes: C }, note: "kubernetes: the container's CPU limit (deploy.resources wins)" }],
  [`${svc}.mem_limit`, { engine: C, swarm: useDeployResources, kubernetes: C, job: { engine: C, swarm: useDeployResources, kubernetes: C }, note: "engine: rounded up to whole MiB; kubernetes: the memory limit (deploy.resources wins)" }],
  [`${svc}.mem_reservation`, { engine: C, swarm: useDeployResources, kubernetes: C, job: { engine: C, swarm: useDeployResources, kubernetes: C }, note: "engine: rounded up to whole MiB; kubernetes: the memory request (deploy.resources wins)" }],
  [`${svc}.memswap_limit`, { engine: C, swarm: useDeployResources, kubernetes: kube("swap is the node's setting"), job: { engine: C, swarm: useDeployResources, kubernetes: kube("swap is the node's setting") } }],
  [`${svc}.pids_limit`, { engine: engineContainer, swarm: swarmService, kubernetes: kube("the kubelet's podPidsLimit limits processes per pod"), job: { engine: C, swarm: C, kubernetes: kube("the kubelet's podPidsLimit limits processes per pod") } }],
  [`${svc}.credential_spec`, { engine: engineContainer, swarm: C, kubernetes: kube("Windows pods name a gMSA in securityContext.windowsOptions"), job: { engine: engineJob, swarm: swarmJob, kubernetes: kube("Windows pods name a gMSA in securityContext.windowsOptions") } }],
  [`${svc}.credential_spec.config`, { engine: C, swarm: swarmService, kubernetes: C }],
  ...each(`${svc}.credential_spec`, ["file", "registry"], { engine: C, swarm: C, kubernetes: C }),
  [`${svc}.isolation`, { engine: engineContainer, swarm: C, kubernetes: noPodField, job: { engine: C, swarm: C, kubernetes: noPodField } }],
  [`${svc}.devices`, containerOnly(kube("devices reach pods through device plugins, as extended resources"))],
  ...each(`${svc}.devices[]`, ["source", "target", "permissions"], all),
  [`${svc}.stop_grace_period`, { ...all, note: "kubernetes: terminationGracePeriodSeconds, plus the 5 s a pod with ports keeps serving before it is stopped" }],
  [`${svc}.scale`, all],
  ...each(svc, ["dns", "dns_opt", "dns_search"], { ...all, note: "kubernetes: the pod's dnsConfig, added to the cluster's DNS" }),
  [`${svc}.sysctls`, { ...all, note: "kubernetes: securityContext.sysctls (the kubelet must allow an unsafe one)" }],
  [`${svc}.ulimits`, { engine: C, swarm: swarmService, kubernetes: kube("limits are the container runtime's defaults"), job: { engine: C, swarm: C, kubernetes: kube("limits are the container runtime's defaults") } }],
  ...each(`${svc}.ulimits.*`, ["single", "soft", "hard"], all),
  [`${svc}.tmpfs`, { ...all, note: "swarm and kubernetes: mount options (`/run:size=64m`) are warned, the tmpfs is mounted with defaults; kubernetes: an emptyDir in memory" }],
  [`${svc}.tty`, { engine: C, swarm: swarmService, kubernetes: C, job: C }],
  [`${svc}.stdin_open`, { engine: C, swarm: swarmService, kubernetes: C, job: warn("a job runs without its input attached; ignored") }],
  [`${svc}.expose`, { engine: engineContainer, swarm: swarmService, kubernetes: C, job: { engine: C, swarm: swarmJob, kubernetes: C }, note: "kubernetes: container ports, and ports of the service's ClusterIP Service" }],
  [`${svc}.gpus`, {
    engine: C,
    swarm: swarmService,
    kubernetes: kube("GPUs are extended resources of a device plugin, such as nvidia.com/gpu"),
    job: { engine: C, swarm: swarmJob, kubernetes: kube("GPUs are extended resources of a device plugin, such as nvidia.com/gpu") },
    note: "engine container: only `all` (or `count: all`/-1); a device list is warned",
  }],
  ...each(`${svc}.gpus[]`, ["capabilities", "count", "device_ids", "driver"], { engine: C, swarm: C, kubernetes: C, job: C }),
  [`${svc}.gpus[].options`, { engine: engineContainer, swarm: C, kubernetes: C, job: { engine: engineJob, swarm: C, kubernetes: C } }],
  [`${svc}.pull_policy`, {
    engine: warn("is not supported on the engine target (the image is pulled when it is missing, and built when the service has a build); ignored"),
    swarm: swarmService,
    kubernetes: C,
    job: { engine: warn("is not supported on the engine target (the image is pulled when it is missing, and built when the service has a build); ignored"), swarm: swarmService, kubernetes: C },
    unset: ["missing"],
    note: "kubernetes: imagePullPolicy (`always` Always, `never` Never, otherwise IfNotPresent)",
  }],
  [`${svc}.restart`, { engine: C, swarm: C, kubernetes: C, job: neverRestarted, unset: ["no"], note: "warned when `deploy.restart_policy` disagrees (restart_policy wins); kubernetes: a Deployment always restarts its pods, so `on-failure` is warned" }],
  [`${svc}.network_mode`, { ...containerOnly(C), note: "kubernetes: `host` is hostNetwork; another mode is warned" }],

  [`${svc}.build`, all],
  ...each(`${svc}.build`, ["context", "dockerfile", "args", "network", "target", "extra_hosts", "cache_from", "labels", "no_cache", "pull", "shm_size", "isolation"], all),
  [`${svc}.build.platforms`, { ...all, note: "only the first platform is built; the others are warned" }],
  [`${svc}.build.ulimits`, all],
  ...each(`${svc}.build.ulimits.*`, ["single", "soft", "hard"], all),
  [`${svc}.build.dockerfile_inline`, {
    engine: error("cannot be built by the docker provider's image build; write it to a file and set build.dockerfile"),
    swarm: error("cannot be built by the docker provider's image build; write it to a file and set build.dockerfile"),
    kubernetes: error("cannot be built by the docker provider's image build; write it to a file and set build.dockerfile"),
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

  [`${svc}.configs`, { ...all, note: "kubernetes: a ConfigMap, mounted with subPath at the target (a subPath mount is not updated in place: a new content rolls the pods)" }],
  ...each(`${svc}.configs[]`, ["source", "target", "mode"], { ...all, note: "engine: `uid`, `gid`, `mode` of a file-based config are warned (the file is bind-mounted)" }),
  ...each(`${svc}.configs[]`, ["uid", "gid"], { ...all, kubernetes: ownedByFsGroup(), job: { engine: C, swarm: C, kubernetes: ownedByFsGroup() }, note: "engine: `uid`, `gid`, `mode` of a file-based config are warned (the file is bind-mounted)" }),
  [`${svc}.secrets`, { ...all, note: "kubernetes: a Secret, mounted with subPath at the target (`/run/secrets/<name>` by default)" }],
  ...each(`${svc}.secrets[]`, ["source", "target", "mode"], { ...all, note: "engine: `uid`, `gid`, `mode` of a file-based secret are warned (the file is bind-mounted); an external secret is an error" }),
  ...each(`${svc}.secrets[]`, ["uid", "gid"], { ...all, kubernetes: ownedByFsGroup(), job: { engine: C, swarm: C, kubernetes: ownedByFsGroup() }, note: "engine: `uid`, `gid`, `mode` of a file-based secret are warned (the file is bind-mounted); an external secret is an error" }),

  [`${svc}.depends_on`, all],
  ...each(`${svc}.depends_on.*`, ["condition", "required"], all),
  [`${svc}.depends_on.*.restart`, dependentRestart()],

  [`${svc}.deploy`, all],
  [`${svc}.deploy.mode`, { ...all, note: "engine: `global` runs one container, `global-job` runs once (warned); kubernetes: `global` is a DaemonSet, `global-job` one Job (warned)" }],
  [`${svc}.deploy.replicas`, { ...all, note: "engine: a job runs once (warned); kubernetes: a Job's `parallelism` and `completions`" }],
  [`${svc}.deploy.labels`, { ...swarmKey(), note: "kubernetes: annotations of the Deployment, DaemonSet or Job" }],
  [`${svc}.deploy.endpoint_mode`, { ...swarmKey(notForJobs), note: "kubernetes: `dnsrr` is a headless Service (clusterIP: None)" }],
  [`${svc}.deploy.placement`, swarmKey()],
  [`${svc}.deploy.placement.constraints`, { ...all, note: "kubernetes: `node.labels.<label>` and `node.hostname` with `==` or `!=` become required node affinity; another constraint is warned" }],
  ...each(`${svc}.deploy.placement`, ["preferences", "max_replicas_per_node"], {
    ...all,
    kubernetes: kube("topologySpreadConstraints are not derived from swarm's spread preferences"),
    job: { engine: C, swarm: C, kubernetes: kube("topologySpreadConstraints are not derived from swarm's spread preferences") },
  }),
  [`${svc}.deploy.placement.preferences[].spread`, all],
  [`${svc}.deploy.update_config`, { engine: swarmOnly, swarm: C, kubernetes: C, job: notForJobs, note: "kubernetes: the Deployment's or DaemonSet's RollingUpdate strategy" }],
  ...each(`${svc}.deploy.update_config`, ["parallelism", "order"], { ...all, note: "kubernetes: `start-first` rolls with maxSurge = parallelism and maxUnavailable 0, `stop-first` the other way round" }),
  [`${svc}.deploy.update_config.monitor`, { ...all, note: "kubernetes: minReadySeconds" }],
  ...each(`${svc}.deploy.update_config`, ["delay", "failure_action", "max_failure_ratio"], {
    ...all,
    kubernetes: kube("a Deployment rolls without pauses and, when it stops progressing, reports the failure and never rolls back by itself"),
  }),
  [`${svc}.deploy.rollback_config`, { engine: swarmOnly, swarm: C, kubernetes: kube("a Deployment never rolls back by itself; `kubectl rollout undo` does"), job: notForJobs }],
  ...each(`${svc}.deploy.rollback_config`, ["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"], all),
  [`${svc}.deploy.resources`, { ...all, note: "kubernetes: the container's requests (reservations) and limits" }],
  ...each(`${svc}.deploy.resources`, ["limits", "reservations"], all),
  [`${svc}.deploy.resources.limits.cpus`, all],
  [`${svc}.deploy.resources.limits.memory`, { ...all, note: "engine: rounded up to whole MiB" }],
  [`${svc}.deploy.resources.limits.pids`, {
    engine: warn("is not supported on the engine target (the docker provider cannot express it); ignored"),
    swarm: warn("is not supported on the swarm target (the docker provider cannot express it); ignored"),
    kubernetes: kube("the kubelet's podPidsLimit limits processes per pod"),
    job: { engine: C, swarm: C, kubernetes: kube("the kubelet's podPidsLimit limits processes per pod") },
  }],
  [`${svc}.deploy.resources.reservations.cpus`, { engine: nowhere("engine"), swarm: C, kubernetes: C, job: { engine: nowhere("engine"), swarm: C, kubernetes: C } }],
  [`${svc}.deploy.resources.reservations.memory`, { ...all, note: "engine: rounded up to whole MiB" }],
  [`${svc}.deploy.resources.reservations.generic_resources`, {
    engine: nowhere("engine"),
    swarm: C,
    kubernetes: kube("extended resources are not derived from swarm's generic resources"),
    job: { engine: nowhere("engine"), swarm: C, kubernetes: kube("extended resources are not derived from swarm's generic resources") },
  }],
  [`${svc}.deploy.resources.reservations.generic_resources[].discrete_resource_spec`, all],
  ...each(`${svc}.deploy.resources.reservations.generic_resources[].discrete_resource_spec`, ["kind", "value"], all),
  [`${svc}.deploy.resources.reservations.devices`, none],
  [`${svc}.deploy.restart_policy`, { ...all, kubernetes: kube("a Deployment always restarts its pods, with the kubelet's back-off") }],
  [`${svc}.deploy.restart_policy.condition`, { engine: C, swarm: C, kubernetes: C, job: neverRestarted, unset: ["none"] }],
  ...each(`${svc}.deploy.restart_policy`, ["delay", "window"], { engine: nowhere("engine"), swarm: C, kubernetes: C, job: neverRestarted }),
  [`${svc}.deploy.restart_policy.max_attempts`, { engine: C, swarm: C, kubernetes: C, job: neverRestarted }],

  [`${svc}.healthcheck`, {
    engine: C,
    swarm: C,
    kubernetes: C,
    job: warn("a job runs to completion and is never waited on for health; ignored"),
    note: "an error with both `test` and `disable: true`; kubernetes: an exec readinessProbe (an unhealthy pod leaves its Service's endpoints and is not restarted)",
  }],
  ...each(`${svc}.healthcheck`, ["test", "interval", "timeout", "retries", "disable"], { engine: C, swarm: C, kubernetes: C }),
  [`${svc}.healthcheck.start_period`, { engine: C, swarm: C, kubernetes: C, note: "kubernetes: the probe's initialDelaySeconds" }],
  [`${svc}.healthcheck.start_interval`, {
    engine: C,
    swarm: warn("is not supported on the swarm target (the docker provider's service healthcheck cannot express it); ignored"),
    kubernetes: kube("a probe has one period"),
  }],

  [`${svc}.logging`, { ...all, kubernetes: kube("a pod's logs are kept by the node's container runtime and read with kubectl logs"), job: { engine: C, swarm: C, kubernetes: kube("a pod's logs are kept by the node's container runtime and read with kubectl logs") } }],
  [`${svc}.logging.driver`, all],
  [`${svc}.logging.options`, { ...all, note: "warned without `logging.driver`" }],

  [`${svc}.networks`, { ...all, note: "kubernetes: pods share one flat network; a service is reached by its Service name (the compose key, `_` as `-`) and networks do not isolate" }],
  [`${svc}.networks.*.aliases`, { ...all, kubernetes: kube("a service is reached by its Service name only"), job: { engine: C, swarm: C, kubernetes: kube("a service is reached by its Service name only") } }],
  [`${svc}.networks.*.driver_opts`, { engine: C, swarm: C, kubernetes: flatNetwork, job: { engine: engineJob, swarm: swarmJob, kubernetes: flatNetwork } }],
  [`${svc}.networks.*.interface_name`, none],
  ...each(`${svc}.networks.*`, ["ipv4_address", "ipv6_address", "link_local_ips"], { engine: C, swarm: swarmAddresses, kubernetes: podAddresses, job: { engine: C, swarm: swarmAddresses, kubernetes: podAddresses } }),
  ...each(`${svc}.networks.*`, ["mac_address", "priority", "gw_priority"], {
    engine: C,
    swarm: swarmAddresses,
    kubernetes: podAddresses,
    job: { engine: warn("is not supported by a one-shot job on the engine target (docker network connect cannot express it); ignored"), swarm: swarmAddresses, kubernetes: podAddresses },
  }),

  [`${svc}.ports`, {
    ...all,
    note: "a published range for one target port is an error; engine: a fixed published port with more than one replica is an error; kubernetes: ports of a ClusterIP Service, published ones also of a NodePort or LoadBalancer Service (stack config); a pod with ports keeps serving 5 s after it starts stopping (preStop sleep), while it leaves the Service",
  }],
  ...each(`${svc}.ports[]`, ["target", "published", "protocol"], all),
  [`${svc}.ports[].mode`, { ...all, note: "kubernetes: `host` also binds the port on the pod's node (hostPort)" }],
  [`${svc}.ports[].host_ip`, {
    engine: C,
    swarm: warn("is not supported on the swarm target (swarm publishes on every address); ignored"),
    kubernetes: kube("a Service listens on every node address"),
    job: { engine: C, swarm: warn("is not supported on the swarm target (swarm publishes on every address); ignored"), kubernetes: kube("a Service listens on every node address") },
  }],
  [`${svc}.ports[].name`, { engine: nowhere("engine"), swarm: C, kubernetes: C, job: { engine: nowhere("engine"), swarm: swarmJob, kubernetes: C } }],
  [`${svc}.ports[].app_protocol`, { ...none, kubernetes: C, job: { engine: nowhere("engine"), swarm: nowhere("swarm"), kubernetes: C }, note: "kubernetes: the Service port's appProtocol" }],

  [`${svc}.volumes`, {
    ...all,
    note: "a mount type other than `bind`, `volume`, `tmpfs` is an error; kubernetes: `bind` is a hostPath on the pod's node, `volume` a PersistentVolumeClaim (which starts empty: nothing is copied from the image), `tmpfs` an emptyDir in memory",
  }],
  ...each(`${svc}.volumes[]`, ["type", "source", "target", "read_only", "bind", "volume", "tmpfs"], all),
  [`${svc}.volumes[].consistency`, everywhere("has no effect on Linux daemons; ignored")],
  [`${svc}.volumes[].bind.propagation`, { ...all, kubernetes: kube("mountPropagation is not derived"), job: { engine: C, swarm: C, kubernetes: kube("mountPropagation is not derived") } }],
  [`${svc}.volumes[].bind.create_host_path`, { ...all, note: "swarm: a missing host path is never created (as `docker stack deploy`); kubernetes: hostPath type DirectoryOrCreate" }],
  [`${svc}.volumes[].bind.selinux`, { engine: C, swarm: nowhere("swarm"), kubernetes: kube("SELinux labels are the pod's seLinuxOptions"), job: { engine: C, swarm: nowhere("swarm"), kubernetes: kube("SELinux labels are the pod's seLinuxOptions") }, note: "engine: warned together with `bind.propagation`" }],
  [`${svc}.volumes[].bind.recursive`, none],
  [`${svc}.volumes[].volume.labels`, everywhere("is not supported; set labels on the top-level volume instead; ignored")],
  [`${svc}.volumes[].volume.nocopy`, all],
  [`${svc}.volumes[].volume.subpath`, {
    engine: C,
    swarm: warn("is not supported on the swarm target (the docker provider's service mount cannot express it); ignored"),
    kubernetes: C,
    job: { engine: C, swarm: swarmJob, kubernetes: C },
  }],
  ...each(`${svc}.volumes[].tmpfs`, ["size"], { ...all, note: "kubernetes: the emptyDir's sizeLimit" }),
  [`${svc}.volumes[].tmpfs.mode`, { ...all, kubernetes: kube("an emptyDir's mode is the runtime's"), job: { engine: C, swarm: C, kubernetes: kube("an emptyDir's mode is the runtime's") } }],
  [`${svc}.volumes[].image`, none],
];

/** Owner of a mounted Secret or ConfigMap file: Kubernetes sets only its mode. */
function ownedByFsGroup(): Support {
  return kube("a Secret or ConfigMap volume sets only the file's mode; the pod's fsGroup owns its files");
}

function dependentRestart(): Capability {
  const reason = warn("is not supported (a dependent is not restarted when its dependency is updated); ignored");
  return { engine: reason, swarm: reason, kubernetes: reason, job: reason };
}

/** The same warning on every target and for jobs. */
function everywhere(reason: string): Capability {
  return { engine: warn(reason), swarm: warn(reason), kubernetes: warn(reason), job: warn(reason) };
}

const both: Capability = { engine: C, swarm: C, kubernetes: C };
const objectKeys = (kind: string, keys: readonly string[]) => each(`${kind}.*`, keys, both);

const topLevel: [string, Capability][] = [
  ["name", both],
  ["services", both],
  ["networks", both],
  ["networks.*.name", { ...both, note: "kubernetes: no network object is created; pods share one flat network" }],
  ...each("networks.*", ["driver_opts", "ipam", "external", "internal", "enable_ipv6", "labels"], { ...both, kubernetes: flatNetwork }),
  ["networks.*.driver", { ...both, kubernetes: flatNetwork, note: "engine: `overlay` becomes a bridge network (warned)" }],
  ["networks.*.attachable", { ...both, kubernetes: flatNetwork, note: "engine: warned on an overlay network (a bridge is created)" }],
  ["networks.*.enable_ipv4", { engine: nowhere("engine"), swarm: nowhere("swarm"), kubernetes: nowhere("kubernetes"), unset: [true], note: "only `false` is warned; IPv4 is always on" }],
  ["networks.*.external.name", both],
  ...each("networks.*.ipam", ["driver", "config", "options"], both),
  ...each("networks.*.ipam.config[]", ["subnet", "ip_range", "gateway", "aux_addresses"], both),
  ["volumes", { ...both, note: "kubernetes: a PersistentVolumeClaim each, of the stack's storage class" }],
  ...objectKeys("volumes", ["name", "external"]),
  ["volumes.*.labels", { ...both, note: "kubernetes: the claim's annotations" }],
  ...each("volumes.*", ["driver", "driver_opts"], { ...both, kubernetes: kube("a claim's storage comes from its storage class: set kubernetes.storageClassName in the stack") }),
  ["volumes.*.external.name", both],
  ...["secrets", "configs"].flatMap((kind): [string, Capability][] => [
    [kind, both],
    ...objectKeys(kind, ["name", "file", "environment", "content", "external", "labels"]),
    [`${kind}.*.external.name`, both],
    [`${kind}.*.template_driver`, { engine: nowhere("engine"), swarm: nowhere("swarm"), kubernetes: nowhere("kubernetes") }],
  ]),
  // Later entries replace the generic ones above (the table is a Map).
  ...["volumes", "secrets", "configs"].map((kind): [string, Capability] => [
    `${kind}.*.name`,
    { ...both, note: "kubernetes: a created object is named by its key (`_` as `-`; the namespace scopes it), an external one by `name:`" },
  ]),
  ...["secrets", "configs"].map((kind): [string, Capability] => [
    `${kind}.*.external`,
    { ...both, note: `kubernetes: an existing ${kind === "secrets" ? "Secret" : "ConfigMap"} of that name in the namespace, holding the value under the key \`content\`` },
  ]),
  ...each("secrets.*", ["driver", "driver_opts"], { engine: nowhere("engine"), swarm: nowhere("swarm"), kubernetes: nowhere("kubernetes") }),
  ["models", { engine: nowhere("engine"), swarm: nowhere("swarm"), kubernetes: nowhere("kubernetes") }],
];

/** By key path. */
export const CAPABILITIES: ReadonlyMap<string, Capability> = new Map([...service, ...topLevel]);

export type { Capability, Support };
