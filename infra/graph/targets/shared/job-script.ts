/**
 * What the scripts that run a compose service once to completion through the docker CLI
 * share, whatever the target (see components/job.ts for why they are scripts). Everything that defines the run (image reference, command,
 * environment, mounts, secret and config names and content hashes) is part of the script
 * text or of its environment, so the Job re-runs exactly when one of them changes.
 *
 * - engine: `docker create` a container named as compose names it, copy in secrets that
 *   have no host file, attach further networks, then `docker start -a`, which streams the
 *   job's output and returns its exit code.
 * - swarm: a `replicated-job` (or `global-job`) service with restart condition none; the
 *   script polls its tasks until all completed, or prints the task errors and the
 *   service's logs and fails.
 */
import * as pulumi from "@pulumi/pulumi";
import { stackLabels } from "../../labels.ts";
import { shellJoin } from "../../shell.ts";
import type { ObjectRef } from "../../secrets.ts";
import type { Project, ServiceConfig, ServiceMount } from "../../model.ts";
import type { Target } from "../target.ts";

/** Words of a command line; inputs resolve before quoting. */
export type Words = pulumi.Input<string>[];

export const DEFAULT_JOB_TIMEOUT_SECONDS = 600;

export interface JobScripts {
  jobName: string;
  run: pulumi.Output<string>;
  remove: string;
  /**
   * Lines the run script reads from its standard input, in order: the base64 contents of
   * secrets and configs copied into the container. They travel on stdin, never in the
   * command text or its environment; the caller marks them secret.
   */
  stdinLines: pulumi.Input<string>[];
}

export interface JobRefs {
  image: pulumi.Input<string>;
  imageAsWritten: string;
  networkName(key: string): pulumi.Input<string>;
  volumeName(key: string): pulumi.Input<string>;
  /** Swarm: physical name of a secret or config (the CLI resolves it to an ID). */
  secret(key: string): ObjectRef;
  config(key: string): ObjectRef;
  /** Engine: base64 content of secrets and configs that are copied in. */
  secretContent(key: string): pulumi.Input<string> | undefined;
  configContent(key: string): pulumi.Input<string> | undefined;
  /** Content hashes of the secrets and configs the job uses, by key. */
  contentHashes: Record<string, string>;
  /** Hash of the service definition and mounted content (com.docker.compose.config-hash). */
  configHash: string;
  /**
   * Swarm: credentials for the image's registry, passed on to every node that runs a task
   * (`docker service create --with-registry-auth`). The password travels on the script's
   * standard input, never in its text or environment.
   */
  registryAuth?: RegistryCredentials;
}

export interface RegistryCredentials {
  /** `host[:port]` of the registry, as in the image name. */
  server: string;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
}

export function line(words: Words): pulumi.Output<string> {
  return pulumi.all(words).apply((resolved) => shellJoin(resolved));
}

export function script(lines: (string | pulumi.Output<string>)[]): pulumi.Output<string> {
  return pulumi.all(lines).apply((resolved) => resolved.join("\n") + "\n");
}

/** A `--mount` value in the docker CLI's CSV form. */
export function cliMount(project: Project, mount: ServiceMount, target: Target, volumeName: (key: string) => pulumi.Input<string>): pulumi.Output<string> {
  const fields: pulumi.Input<string>[] = [`type=${mount.type}`];
  if (mount.source !== undefined && mount.source !== "") {
    const source = mount.type === "volume" ? volumeName(mount.source) : mount.source;
    fields.push(pulumi.interpolate`source=${source}`);
  }
  fields.push(`target=${mount.target}`);
  if (mount.read_only === true) fields.push("readonly");
  if (mount.type === "bind" && mount.bind?.propagation !== undefined) fields.push(`bind-propagation=${mount.bind.propagation}`);
  if (mount.type === "volume") {
    if (mount.volume?.nocopy === true) fields.push("volume-nocopy");
    if (target === "engine" && mount.volume?.subpath !== undefined) fields.push(`volume-subpath=${mount.volume.subpath}`);
    const volume = mount.source !== undefined ? project.volumes?.[mount.source] : undefined;
    if (target === "swarm" && volume !== undefined && volume.external !== true) {
      if (volume.driver !== undefined) fields.push(`volume-driver=${volume.driver}`);
      for (const [k, v] of Object.entries(stackLabels(project.name, volume.labels))) fields.push(`volume-label=${k}=${v}`);
      for (const [k, v] of Object.entries(volume.driver_opts ?? {})) fields.push(`volume-opt=${k}=${v}`);
    }
  }
  if (mount.type === "tmpfs") {
    if (mount.tmpfs?.size !== undefined) fields.push(`tmpfs-size=${mount.tmpfs.size}`);
    if (mount.tmpfs?.mode !== undefined) fields.push(`tmpfs-mode=${mount.tmpfs.mode.toString(8)}`);
  }
  return pulumi.all(fields).apply((resolved) => resolved.join(","));
}

/** Entrypoint flag and leading arguments: the CLI takes one entrypoint word. */
export function entrypointWords(service: ServiceConfig): { flag: string[]; leading: string[] } {
  const entrypoint = service.entrypoint;
  if (entrypoint === null || entrypoint === undefined) return { flag: [], leading: [] };
  if (entrypoint.length === 0) return { flag: ["--entrypoint", ""], leading: [] };
  return { flag: ["--entrypoint", entrypoint[0]], leading: entrypoint.slice(1) };
}

export function inputsComment(refs: JobRefs): string {
  const hashes = Object.keys(refs.contentHashes).sort().map((key) => `${key}=${refs.contentHashes[key]}`);
  return hashes.length === 0 ? "# inputs: none" : `# inputs: ${hashes.join(" ")}`;
}
