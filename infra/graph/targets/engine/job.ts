/**
 * A one-shot job on one engine: `docker create` a container named as compose names it,
 * copy in secrets that have no host file, attach further networks, then `docker start
 * -a`, which streams the job's output and returns its exit code.
 */
import * as pulumi from "@pulumi/pulumi";
import { engineContainerLabels } from "../../labels.ts";
import { engineContainerName } from "../../naming.ts";
import { convertEnvironment } from "../shared/convert.ts";
import { serviceNetworkKeys } from "../../networks.ts";
import { engineFiles } from "../../secrets.ts";
import { composeDependsOnEntries } from "../../depends-on.ts";
import { shellQuote } from "../../shell.ts";
import { isCreatingBind } from "../../mounts.ts";
import { commonRunFlags } from "../shared/run-flags.ts";
import { cliMount, entrypointWords, inputsComment, line, script, type JobRefs, type JobScripts, type Words } from "../shared/job-script.ts";
import { engineJobFlags } from "./job-flags.ts";
import type { Project, ServiceConfig } from "../../model.ts";

/** Aliases and addresses of one network attachment, as `docker create` / `docker network connect` flags. */
function engineAttachmentFlags(service: ServiceConfig, key: string, network: string, aliasFlag: string): string[] {
  const attachment = service.networks?.[network] ?? undefined;
  const aliases = [key, ...(attachment?.aliases ?? []).filter((alias) => alias !== key)];
  const words = aliases.flatMap((alias) => [aliasFlag, alias]);
  if (attachment?.ipv4_address !== undefined) words.push("--ip", attachment.ipv4_address);
  if (attachment?.ipv6_address !== undefined) words.push("--ip6", attachment.ipv6_address);
  for (const address of attachment?.link_local_ips ?? []) words.push("--link-local-ip", address);
  return words;
}

export function engineJobScripts(project: Project, key: string, refs: JobRefs): JobScripts {
  const service = project.services[key];
  const name = engineContainerName(project.name, key, 1, service.container_name);
  const labels = engineContainerLabels(service.labels, {
    project: project.name,
    service: key,
    number: 1,
    configHash: refs.configHash,
    dependsOn: composeDependsOnEntries(project, service),
  });
  const words: Words = ["docker", "create", "--name", name];
  for (const label of Object.keys(labels).sort()) words.push("--label", `${label}=${labels[label]}`);
  const networks = serviceNetworkKeys(service);
  const networkMode = service.network_mode;
  if (networkMode !== undefined && networkMode !== "") {
    words.push("--network", networkMode);
  } else {
    words.push("--network", refs.networkName(networks[0]), ...engineAttachmentFlags(service, key, networks[0], "--network-alias"));
  }
  const env = convertEnvironment(service.environment);
  for (const variable of Object.keys(env)) words.push("--env", `${variable}=${env[variable]}`);
  for (const mount of service.volumes ?? []) {
    if (isCreatingBind(mount)) {
      const options = [mount.read_only === true ? "ro" : "", mount.bind?.selinux ?? ""].filter((o) => o !== "").join(",");
      words.push("--volume", `${mount.source}:${mount.target}${options === "" ? "" : `:${options}`}`);
    } else {
      words.push("--mount", cliMount(project, mount, "engine", refs.volumeName));
    }
  }
  const secretFiles = engineFiles("secret", project, service.secrets, refs.secretContent);
  const configFiles = engineFiles("config", project, service.configs, refs.configContent);
  for (const file of [...secretFiles, ...configFiles]) {
    if (file.hostFile !== undefined) words.push("--mount", `type=bind,source=${file.hostFile},target=${file.path},readonly`);
  }
  words.push(...commonRunFlags(service), ...engineJobFlags(service));
  const entry = entrypointWords(service);
  words.push(...entry.flag, refs.image, ...entry.leading, ...(service.command ?? []));

  const stdinLines: pulumi.Input<string>[] = [];
  const lines: (string | pulumi.Output<string>)[] = [
    "set -eu",
    inputsComment(refs),
    `name=${shellQuote(name)}`,
    `docker rm -f "$name" >/dev/null 2>&1 || true`,
    pulumi.interpolate`${line(words)} >/dev/null`,
  ];
  if (networkMode === undefined || networkMode === "") {
    for (const network of networks.slice(1)) {
      lines.push(pulumi.interpolate`${line(["docker", "network", "connect", ...engineAttachmentFlags(service, key, network, "--alias"), refs.networkName(network), name])}`);
    }
  }
  const copied = [...secretFiles, ...configFiles].filter((file) => file.hostFile === undefined && file.contentBase64 !== undefined);
  if (copied.length > 0) {
    lines.push(`files=$(mktemp -d)`, `trap 'rm -rf "$files"' EXIT`);
    copied.forEach((file, index) => {
      const variable = `JOB_FILE_${index}`;
      stdinLines.push(file.contentBase64!);
      // Read before any other command runs, so that none of them can consume the input.
      lines.splice(1 + index, 0, `IFS= read -r ${variable}`);
      const relative = file.path.replace(/^\/+/, "");
      const dir = relative.includes("/") ? relative.slice(0, relative.lastIndexOf("/")) : ".";
      lines.push(
        `mkdir -p "$files"/${shellQuote(dir)}`,
        `printf '%s' "$${variable}" | base64 -d > "$files"/${shellQuote(relative)}`,
        `chmod ${(file.mode ?? 0o444).toString(8)} "$files"/${shellQuote(relative)}`,
        `tar -C "$files" --numeric-owner --owner=${shellQuote(file.uid ?? "0")} --group=${shellQuote(file.gid ?? "0")} -c ${shellQuote(relative)} | docker cp - "$name":/`,
        `rm -rf "$files"/*`,
      );
    });
  }
  lines.push(
    `if docker start -a "$name"; then exit 0; fi`,
    `code=$(docker inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null || echo unknown)`,
    `echo "job $name failed with exit code $code; its output is above" >&2`,
    `exit 1`,
  );
  return { jobName: name, run: script(lines), remove: `docker rm -f ${shellQuote(name)} >/dev/null 2>&1 || true\n`, stdinLines };
}
