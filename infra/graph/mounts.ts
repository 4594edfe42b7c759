/**
 * Service volumes as mounts. Swarm follows docker/cli's convert/volume.go: a named volume
 * mounts the project's volume by its physical name and, unless external, carries the
 * volume's driver, options and (namespace) labels, because each node creates the volume
 * when a task first uses it. One engine mounts the project's created volumes by name.
 * `tmpfs:` paths become tmpfs mounts on a swarm (the swarm API has no tmpfs map).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { labelList, objectLabels } from "./labels.ts";
import { objectName } from "./naming.ts";
import type { Project, ServiceConfig, ServiceMount } from "./model.ts";

type SwarmMount = docker.types.input.ServiceTaskSpecContainerSpecMount;
type EngineMount = docker.types.input.ContainerMount;

/** Physical name of a project volume, as an input that orders mounts after the volume. */
export type VolumeNameOf = (key: string) => pulumi.Input<string>;

/** Mount types the docker provider can express, per target. */
export const MOUNT_TYPES_BY_TARGET = {
  swarm: ["bind", "volume", "tmpfs"],
  engine: ["bind", "volume", "tmpfs"],
} as const;

function base(mount: ServiceMount): { type: string; target: string; readOnly?: boolean } {
  const out: { type: string; target: string; readOnly?: boolean } = { type: mount.type, target: mount.target };
  if (mount.read_only === true) out.readOnly = true;
  return out;
}

/**
 * Bind and tmpfs mounts read the same on both targets: the provider's swarm and container
 * mount types share these fields.
 */
function bindOrTmpfs(mount: ServiceMount): {
  source?: string;
  bindOptions?: { propagation: string };
  tmpfsOptions?: { sizeBytes?: number; mode?: number };
} {
  if (mount.type === "bind") {
    return mount.bind?.propagation === undefined
      ? { source: mount.source }
      : { source: mount.source, bindOptions: { propagation: mount.bind.propagation } };
  }
  if (mount.tmpfs?.size === undefined && mount.tmpfs?.mode === undefined) return {};
  const tmpfsOptions: { sizeBytes?: number; mode?: number } = {};
  if (mount.tmpfs.size !== undefined) tmpfsOptions.sizeBytes = mount.tmpfs.size;
  if (mount.tmpfs.mode !== undefined) tmpfsOptions.mode = mount.tmpfs.mode;
  return { tmpfsOptions };
}

export function swarmMount(project: Project, mount: ServiceMount, volumeName: VolumeNameOf): SwarmMount {
  const out: SwarmMount = base(mount);
  switch (mount.type) {
    case "volume": {
      if (mount.source === undefined || mount.source === "") {
        if (mount.volume?.nocopy === true) out.volumeOptions = { noCopy: true };
        return out;
      }
      const volume = project.volumes?.[mount.source];
      out.source = volumeName(mount.source);
      const options: docker.types.input.ServiceTaskSpecContainerSpecMountVolumeOptions = {};
      if (mount.volume?.nocopy === true) options.noCopy = true;
      if (volume !== undefined && volume.external !== true) {
        options.labels = labelList(objectLabels("swarm", "volume", project.name, mount.source, volume.labels));
        if (volume.driver !== undefined) options.driverName = volume.driver;
        if (volume.driver_opts !== undefined) options.driverOptions = volume.driver_opts;
      }
      out.volumeOptions = options;
      return out;
    }
    case "bind":
    case "tmpfs":
      return Object.assign(out, bindOrTmpfs(mount));
    default:
      throw new Error(`mount type "${mount.type}" cannot be expressed on a swarm`);
  }
}

export function engineMount(mount: ServiceMount, volumeName: VolumeNameOf): EngineMount {
  const out: EngineMount = base(mount);
  switch (mount.type) {
    case "volume": {
      const options: docker.types.input.ContainerMountVolumeOptions = {};
      if (mount.volume?.nocopy === true) options.noCopy = true;
      if (mount.volume?.subpath !== undefined) options.subpath = mount.volume.subpath;
      if (mount.source !== undefined && mount.source !== "") out.source = volumeName(mount.source);
      if (Object.keys(options).length > 0) out.volumeOptions = options;
      return out;
    }
    case "bind":
    case "tmpfs":
      return Object.assign(out, bindOrTmpfs(mount));
    default:
      throw new Error(`mount type "${mount.type}" cannot be expressed on one engine`);
  }
}

/** Mounts of a service on a swarm, including its `tmpfs:` paths, in the order written. */
export function swarmMounts(project: Project, service: ServiceConfig, volumeName: VolumeNameOf): SwarmMount[] {
  const mounts = (service.volumes ?? []).map((mount) => swarmMount(project, mount, volumeName));
  for (const path of tmpfsPaths(service)) mounts.push(tmpfsPathMount(path));
  return mounts;
}

/**
 * A bind mount that may create its host path goes through the daemon's binds (`-v`), which
 * create a missing directory, as `docker compose` does; the mount API would refuse it.
 */
export function isCreatingBind(mount: ServiceMount): boolean {
  return mount.type === "bind" && mount.bind?.create_host_path !== false && mount.bind?.propagation === undefined;
}

export function engineBind(mount: ServiceMount): docker.types.input.ContainerVolume {
  const out: docker.types.input.ContainerVolume = { hostPath: mount.source, containerPath: mount.target };
  if (mount.read_only === true) out.readOnly = true;
  if (mount.bind?.selinux !== undefined) out.selinuxRelabel = mount.bind.selinux;
  return out;
}

export function engineMounts(service: ServiceConfig, volumeName: VolumeNameOf): { mounts: EngineMount[]; binds: docker.types.input.ContainerVolume[] } {
  const mounts: EngineMount[] = [];
  const binds: docker.types.input.ContainerVolume[] = [];
  for (const mount of service.volumes ?? []) {
    if (isCreatingBind(mount)) binds.push(engineBind(mount));
    else mounts.push(engineMount(mount, volumeName));
  }
  return { mounts, binds };
}

/** `tmpfs:` entries, each "path" or "path:options". */
export function tmpfsPaths(service: ServiceConfig): string[] {
  const value = service.tmpfs as string | string[] | undefined;
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function tmpfsPathMount(entry: string): SwarmMount {
  const [path] = entry.split(":", 1);
  return { type: "tmpfs", target: path };
}

/** The engine's tmpfs map: path -> mount options. */
export function engineTmpfs(service: ServiceConfig): Record<string, string> | undefined {
  const paths = tmpfsPaths(service);
  if (paths.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const entry of paths) {
    const colon = entry.indexOf(":");
    if (colon === -1) out[entry] = "";
    else out[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return out;
}

/** Physical name of a project volume for mounts that reference it by key. */
export function volumePhysicalName(project: Project, key: string): string {
  const volume = project.volumes?.[key];
  return objectName(project.name, key, volume?.name);
}
