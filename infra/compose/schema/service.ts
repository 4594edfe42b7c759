/**
 * One service: every compose-spec service key, short syntax expanded to long syntax.
 * `serviceShape` is shared by the file schema and the canonical model's schema.
 */
import * as z from "zod";
import { buildSchema, canonicalBuildSchema } from "./build.ts";
import { commandSchema, CanonicalCommandSchema } from "./command.ts";
import { dependsOnSchema, CanonicalDependencySchema } from "./depends-on.ts";
import { deploySchema } from "./deploy.ts";
import { devicesSchema, gpusSchema } from "./devices.ts";
import { envFilesSchema, CanonicalEnvFileSchema } from "./env-files.ts";
import { extraHostsSchema } from "./extra-hosts.ts";
import { fileRefsSchema } from "./file-refs.ts";
import { healthcheckSchema } from "./healthcheck.ts";
import { developSchema, serviceHookSchema } from "./lifecycle.ts";
import { mountsSchema } from "./mounts.ts";
import { CanonicalPortSchema, portsSchema } from "./ports.ts";
import {
  bool,
  byteSize,
  closedObject,
  composeObject,
  decimal,
  describeKind,
  duration,
  envMap,
  integer,
  isMapping,
  labelMap,
  oneOf,
  optionsMap,
  parsed,
  str,
  stringList,
  stringOrList,
  type Syntax,
  text,
  textList,
  ValueProblem,
} from "./primitives.ts";
import { serviceNetworksSchema } from "./service-networks.ts";
import { ulimitsSchema } from "./ulimits.ts";

const RESTART_POLICY = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

const restartPolicy = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a restart policy, got ${describeKind(value)}`);
  if (!RESTART_POLICY.test(value)) {
    throw new ValueProblem(`invalid restart policy "${value}": expected "no", "always", "on-failure[:max-retries]" or "unless-stopped"`);
  }
  return value;
});

const PULL_POLICY = /^(always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+)$/;

const pullPolicy = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a pull policy, got ${describeKind(value)}`);
  if (!PULL_POLICY.test(value)) {
    throw new ValueProblem(
      `invalid pull policy "${value}": expected always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration>`,
    );
  }
  return value;
});

/** expose: "3000", 8000, "3000-3005", "53/udp" -> text. */
const exposeSchema = z.array(
  parsed((value): string => {
    const port = typeof value === "number" ? String(value) : value;
    if (typeof port !== "string") throw new ValueProblem(`expected a port, got ${describeKind(value)}`);
    if (!/^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/i.test(port)) throw new ValueProblem(`invalid port "${port}"`);
    return port;
  }),
  { error: "expected a list of ports" },
);

const extendsSchema = z.union(
  [z.string().transform((service) => ({ service })), closedObject({ service: str, file: str.optional() })],
  { error: "expected a service name or a mapping with service and file" },
);

const loggingSchema = composeObject({
  driver: str.optional(),
  options: optionsMap.optional(),
});

const credentialSpecSchema = composeObject({
  config: str.optional(),
  file: str.optional(),
  registry: str.optional(),
});

const blkioLimit = (rate: z.ZodType<number, unknown>) => closedObject({ path: str, rate });
const blkioSchema = closedObject({
  weight: integer({ min: 10, max: 1000 }).optional(),
  weight_device: z.array(closedObject({ path: str, weight: integer({ min: 10, max: 1000 }) })).optional(),
  device_read_bps: z.array(blkioLimit(byteSize)).optional(),
  device_read_iops: z.array(blkioLimit(integer({ min: 0 }))).optional(),
  device_write_bps: z.array(blkioLimit(byteSize)).optional(),
  device_write_iops: z.array(blkioLimit(integer({ min: 0 }))).optional(),
});

/** compose-go `MultiOptions`: every option is a list of strings (a scalar is a list of one). */
const providerOptions = parsed((value): Record<string, string[]> => {
  if (!isMapping(value)) throw new ValueProblem(`expected a mapping, got ${describeKind(value)}`);
  const options: Record<string, string[]> = {};
  for (const [key, item] of Object.entries(value)) {
    const items = Array.isArray(item) ? item : [item];
    options[key] = items.map((entry, index) => {
      if (typeof entry === "string") return entry;
      if (typeof entry === "number" || typeof entry === "boolean") return String(entry);
      throw new ValueProblem(`expected a string, number or boolean, got ${describeKind(entry)}`, Array.isArray(item) ? [key, index] : [key]);
    });
  }
  return options;
});

const providerSchema = composeObject({
  type: str,
  options: providerOptions.optional(),
});

const serviceModelsSchema = z.union(
  [
    z.array(z.string()).transform((names) => Object.fromEntries(names.map((name) => [name, null])) as Record<string, null>),
    z.record(z.string(), z.union([z.null(), composeObject({ endpoint_var: str.optional(), model_var: str.optional() })])),
  ],
  { error: "expected a list of model names or a mapping" },
);

/** `pid: null` is allowed by compose-spec and means "not set". */
const nullableString = z.union([z.null(), z.string()], { error: "expected a string" });

const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const containerName = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a string, got ${describeKind(value)}`);
  if (!CONTAINER_NAME.test(value)) {
    throw new ValueProblem(`invalid container name "${value}": use letters, digits, "_", "." and "-", starting with a letter or digit`);
  }
  return value;
});

export function serviceShape(syntax: Syntax) {
  return {
    annotations: labelMap.optional(),
    attach: bool.optional(),
    build: buildSchema(syntax).optional(),
    blkio_config: blkioSchema.optional(),
    cap_add: stringList.optional(),
    cap_drop: stringList.optional(),
    cgroup: oneOf("cgroup", ["host", "private"] as const).optional(),
    cgroup_parent: str.optional(),
    command: commandSchema.optional(),
    configs: fileRefsSchema.optional(),
    container_name: containerName.optional(),
    cpu_count: integer({ min: 0 }).optional(),
    cpu_percent: decimal({ min: 0, max: 100 }).optional(),
    cpu_shares: integer().optional(),
    cpu_quota: integer().optional(),
    cpu_period: integer().optional(),
    cpu_rt_period: integer().optional(),
    cpu_rt_runtime: integer().optional(),
    cpus: decimal({ min: 0 }).optional(),
    cpuset: str.optional(),
    credential_spec: credentialSpecSchema.optional(),
    depends_on: dependsOnSchema.optional(),
    deploy: z.union([z.null(), deploySchema(syntax)], { error: "expected a mapping" }).optional(),
    develop: developSchema.optional(),
    device_cgroup_rules: stringList.optional(),
    devices: devicesSchema.optional(),
    dns: stringOrList.optional(),
    dns_opt: stringList.optional(),
    dns_search: stringOrList.optional(),
    domainname: str.optional(),
    entrypoint: commandSchema.optional(),
    env_file: envFilesSchema.optional(),
    environment: envMap.optional(),
    expose: exposeSchema.optional(),
    extends: extendsSchema.optional(),
    external_links: stringList.optional(),
    extra_hosts: extraHostsSchema.optional(),
    gpus: gpusSchema.optional(),
    group_add: textList.optional(),
    healthcheck: healthcheckSchema(syntax).optional(),
    hostname: str.optional(),
    image: str.optional(),
    init: bool.optional(),
    ipc: str.optional(),
    isolation: str.optional(),
    label_file: stringOrList.optional(),
    labels: labelMap.optional(),
    links: stringList.optional(),
    logging: loggingSchema.optional(),
    mac_address: str.optional(),
    mem_limit: byteSize.optional(),
    mem_reservation: byteSize.optional(),
    mem_swappiness: integer({ min: 0, max: 100 }).optional(),
    memswap_limit: byteSize.optional(),
    models: serviceModelsSchema.optional(),
    network_mode: str.optional(),
    networks: serviceNetworksSchema.optional(),
    oom_kill_disable: bool.optional(),
    oom_score_adj: integer({ min: -1000, max: 1000 }).optional(),
    pid: nullableString.optional(),
    pids_limit: integer().optional(),
    platform: str.optional(),
    ports: portsSchema.optional(),
    post_start: z.array(serviceHookSchema).optional(),
    pre_stop: z.array(serviceHookSchema).optional(),
    privileged: bool.optional(),
    profiles: stringList.optional(),
    provider: providerSchema.optional(),
    pull_policy: pullPolicy.optional(),
    pull_refresh_after: str.optional(),
    read_only: bool.optional(),
    restart: restartPolicy.optional(),
    runtime: str.optional(),
    scale: integer({ min: 0 }).optional(),
    secrets: fileRefsSchema.optional(),
    security_opt: stringList.optional(),
    shm_size: byteSize.optional(),
    stdin_open: bool.optional(),
    stop_grace_period: duration(syntax).optional(),
    stop_signal: str.optional(),
    storage_opt: optionsMap.optional(),
    sysctls: labelMap.optional(),
    tmpfs: stringOrList.optional(),
    tty: bool.optional(),
    ulimits: ulimitsSchema(syntax).optional(),
    use_api_socket: bool.optional(),
    user: text.optional(),
    userns_mode: str.optional(),
    uts: str.optional(),
    volumes: mountsSchema.optional(),
    volumes_from: stringList.optional(),
    working_dir: str.optional(),
  };
}

function checkService(
  service: { scale?: unknown; deploy?: unknown },
  ctx: z.core.$RefinementCtx<unknown>,
) {
  const replicas = isMapping(service.deploy) ? service.deploy.replicas : undefined;
  if (typeof service.scale === "number" && typeof replicas === "number" && service.scale !== replicas) {
    ctx.addIssue({ code: "custom", path: ["scale"], message: `"scale" (${service.scale}) and "deploy.replicas" (${replicas}) disagree` });
  }
}

export const ServiceFileSchema = composeObject(serviceShape("file"), checkService);

/** The canonical service: long syntax only, with what normalize always fills made required. Built on first use, as ProjectSchema. */
export const ServiceSchema = z.lazy(() =>
  composeObject({
    ...serviceShape("canonical"),
    build: canonicalBuildSchema().optional(),
    command: CanonicalCommandSchema,
    entrypoint: CanonicalCommandSchema,
    depends_on: z.record(z.string(), CanonicalDependencySchema).optional(),
    env_file: z.array(CanonicalEnvFileSchema).optional(),
    ports: z.array(CanonicalPortSchema).optional(),
  }, checkService),
);
