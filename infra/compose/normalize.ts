/**
 * Every default of the canonical model, in one place.
 *
 * Two steps, as in compose-go v2.9.1:
 * - `completeModel` (always applied, also by compose-go when normalization is skipped):
 *   depends_on conditions and `required`, port mode and protocol, env_file `required`,
 *   `external: {name}` spelled as `name` + `external: true`, variables named without
 *   a value in `environment` / `build.args` taken from the environment, a secret's
 *   target `/run/secrets/<source>`, a device request without count or ids for all devices;
 * - `normalizeModel` (compose-go `Normalize`): the project name, command and entrypoint
 *   spelled null when not set, the implicit `default`
 *   network for services that declare none, physical names `<project>_<key>` (the key
 *   itself for external resources), dependencies implied by links / volumes_from /
 *   `service:` namespaces, the default Dockerfile, `pull_policy: if_not_present` spelled
 *   `missing`.
 */
import { isTree, treeOrEmpty, type Tree } from "./tree.ts";

export type Environment = Readonly<Record<string, string | undefined>>;

export function completeModel(model: Tree, environment: Environment): Tree {
  const out: Tree = { ...model };
  delete out.version;
  if (isTree(model.services)) {
    const services: Tree = {};
    for (const [name, service] of Object.entries(model.services)) {
      services[name] = completeService(treeOrEmpty(service), environment);
    }
    out.services = services;
  }
  for (const section of ["networks", "volumes", "secrets", "configs"]) {
    if (!isTree(model[section])) continue;
    const resources: Tree = {};
    for (const [key, resource] of Object.entries(model[section] as Tree)) resources[key] = completeExternal(treeOrEmpty(resource));
    out[section] = resources;
  }
  return out;
}

function completeService(service: Tree, environment: Environment): Tree {
  const out: Tree = { ...service };
  if (isTree(service.depends_on)) {
    const dependsOn: Tree = {};
    for (const [name, dependency] of Object.entries(service.depends_on)) {
      const entry = treeOrEmpty(dependency);
      dependsOn[name] = { ...entry, condition: entry.condition ?? "service_started", required: entry.required ?? true };
    }
    out.depends_on = dependsOn;
  }
  if (Array.isArray(service.ports)) {
    out.ports = service.ports.map((port) =>
      isTree(port) ? { ...port, mode: port.mode ?? "ingress", protocol: port.protocol ?? "tcp" } : port,
    );
  }
  if (Array.isArray(service.env_file)) {
    out.env_file = service.env_file.map((file) =>
      isTree(file) ? { ...file, required: file.required ?? true } : file,
    );
  }
  if (isTree(service.environment)) out.environment = resolveFromEnvironment(service.environment, environment, true);
  if (isTree(service.build) && isTree(service.build.args)) {
    out.build = { ...service.build, args: resolveFromEnvironment(service.build.args, environment, false) };
  }
  if (Array.isArray(service.secrets)) {
    out.secrets = service.secrets.map((ref) => (isTree(ref) && ref.target === undefined ? { ...ref, target: `/run/secrets/${String(ref.source)}` } : ref));
  }
  if (Array.isArray(service.gpus)) out.gpus = service.gpus.map(completeDeviceRequest);
  const reservations = treeOrEmpty(treeOrEmpty(treeOrEmpty(service.deploy).resources).reservations);
  if (Array.isArray(reservations.devices)) {
    const deploy = treeOrEmpty(service.deploy);
    const resources = treeOrEmpty(deploy.resources);
    out.deploy = { ...deploy, resources: { ...resources, reservations: { ...reservations, devices: reservations.devices.map(completeDeviceRequest) } } };
  }
  return out;
}

/** A device request that names neither a count nor device ids asks for all devices. */
function completeDeviceRequest(request: unknown): unknown {
  return isTree(request) && request.count === undefined && request.device_ids === undefined ? { ...request, count: "all" } : request;
}

/**
 * `KEY` without a value takes the environment's value. An unresolved environment entry
 * stays null (the container gets no such variable); an unresolved build arg is dropped.
 */
function resolveFromEnvironment(values: Tree, environment: Environment, keepUnresolved: boolean): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) {
      out[key] = value;
      continue;
    }
    const found = environment[key];
    if (found !== undefined) out[key] = found;
    else if (keepUnresolved) out[key] = null;
  }
  return out;
}

/** The legacy `external: {name: x}` is `name: x` + `external: true`. */
function completeExternal(resource: Tree): Tree {
  if (!isTree(resource.external)) return resource;
  const out: Tree = { ...resource, external: true };
  if (typeof resource.external.name === "string" && out.name === undefined) out.name = resource.external.name;
  return out;
}

export interface NormalizeOptions {
  projectName: string;
}

export function normalizeModel(model: Tree, options: NormalizeOptions): Tree {
  const out: Tree = { ...model, name: options.projectName };
  const services: Tree = {};
  let usesDefaultNetwork = false;
  for (const [name, value] of Object.entries(treeOrEmpty(model.services))) {
    const service: Tree = { ...treeOrEmpty(value) };
    // "Not set" is spelled null, as compose-go prints it: the image's own command applies.
    service.command ??= null;
    service.entrypoint ??= null;
    // A provider service is run by a compose plugin: it joins no network.
    if (service.network_mode === undefined && service.provider === undefined) {
      const networks = treeOrEmpty(service.networks);
      if (Object.keys(networks).length === 0) {
        service.networks = { default: null };
        usesDefaultNetwork = true;
      } else if (Object.prototype.hasOwnProperty.call(networks, "default")) {
        usesDefaultNetwork = true;
      }
    }
    if (service.pull_policy === "if_not_present") service.pull_policy = "missing";
    if (isTree(service.build) && service.build.dockerfile === undefined && service.build.dockerfile_inline === undefined) {
      service.build = { ...service.build, dockerfile: "Dockerfile" };
    }
    const implied = impliedDependencies(service);
    if (implied.length > 0) {
      const dependsOn: Tree = { ...treeOrEmpty(service.depends_on) };
      for (const { service: target, restart } of implied) {
        if (!Object.prototype.hasOwnProperty.call(dependsOn, target)) {
          dependsOn[target] = { condition: "service_started", restart, required: true };
        }
      }
      service.depends_on = dependsOn;
    }
    services[name] = service;
  }
  out.services = services;

  const networks: Tree = { ...treeOrEmpty(model.networks) };
  if (usesDefaultNetwork && !Object.prototype.hasOwnProperty.call(networks, "default")) networks.default = {};
  if (Object.keys(networks).length > 0 || model.networks !== undefined) out.networks = networks;

  for (const section of ["networks", "volumes", "secrets", "configs"]) {
    if (!isTree(out[section])) continue;
    const named: Tree = {};
    for (const [key, value] of Object.entries(out[section] as Tree)) {
      const resource = treeOrEmpty(value);
      named[key] =
        typeof resource.name === "string"
          ? resource
          : { ...resource, name: resource.external === true ? key : `${options.projectName}_${key}` };
    }
    out[section] = named;
  }
  return out;
}

/** Services a service uses implicitly: links, volumes_from and `service:` namespaces. */
function impliedDependencies(service: Tree): { service: string; restart: boolean }[] {
  const implied: { service: string; restart: boolean }[] = [];
  if (Array.isArray(service.links)) {
    for (const link of service.links) if (typeof link === "string") implied.push({ service: link.split(":")[0], restart: true });
  }
  for (const key of ["network_mode", "ipc", "pid", "uts", "cgroup"]) {
    const mode = service[key];
    if (typeof mode === "string" && mode.startsWith("service:")) implied.push({ service: mode.slice("service:".length), restart: true });
  }
  if (Array.isArray(service.volumes_from)) {
    for (const source of service.volumes_from) {
      if (typeof source === "string" && !source.startsWith("container:")) implied.push({ service: source.split(":")[0], restart: false });
    }
  }
  return implied;
}

/**
 * The project name as docker compose picks it: `--project-name`, else
 * COMPOSE_PROJECT_NAME, else the last `name:` of the files (normalized), else the
 * project directory's name (normalized).
 */
export function normalizeProjectName(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[_-]+/, "");
}

/** A name set on the command line or in COMPOSE_PROJECT_NAME is used as is, so it must already be valid. */
export function isValidProjectName(value: string): boolean {
  return value !== "" && normalizeProjectName(value) === value;
}
