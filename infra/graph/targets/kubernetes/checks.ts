/**
 * The Kubernetes target's rules that depend on values, beside the capability table's key
 * by key decisions: values a pod cannot express are warned (and ignored), names that
 * collide once made DNS-1123 are errors. infra/graph/warnings.ts runs them.
 */
import type { Project, ServiceConfig } from "../../model.ts";
import { publishedPort } from "../../ports.ts";
import { collidingNames, kubernetesName } from "./names.ts";
import { placement } from "./placement.ts";
import { inNodePortRange, NODE_PORT_RANGE } from "./service.ts";
import { isDnsLabel, mountsClaim, numericUser } from "./workload.ts";

export interface CheckSink {
  warn(path: (string | number)[], message: string): void;
  error(path: (string | number)[], message: string): void;
}

export function checkKubernetesService(key: string, service: ServiceConfig, isJob: boolean, out: CheckSink): void {
  const at = (...rest: (string | number)[]) => ["services", key, ...rest];
  if (service.user !== undefined && numericUser(service.user) === undefined) {
    out.warn(at("user"), `"${service.user}" is a name: the kubernetes target takes a numeric uid[:gid] (runAsUser); the image's user runs`);
  }
  (service.group_add ?? []).forEach((group, index) => {
    if (!/^\d+$/.test(group)) out.warn(at("group_add", index), `"${group}" is a name: the kubernetes target takes numeric supplemental groups; ignored`);
  });
  for (const field of ["pid", "ipc"] as const) {
    const value = service[field];
    if (value !== undefined && value !== null && value !== "host") out.warn(at(field), `"${value}" cannot be expressed on the kubernetes target (only "host"); ignored`);
  }
  if (service.network_mode !== undefined && service.network_mode !== "host") {
    out.warn(at("network_mode"), `"${service.network_mode}" cannot be expressed on the kubernetes target (each pod has its own network; only "host" is hostNetwork); ignored`);
  }
  if (!isJob && service.restart !== undefined && service.restart.startsWith("on-failure")) {
    out.warn(at("restart"), "a Deployment always restarts its pods on the kubernetes target (restartPolicy Always); on-failure ignored");
  }
  if (service.hostname !== undefined && !isDnsLabel(service.hostname)) {
    out.warn(at("hostname"), `"${service.hostname}" is not one DNS label, which a pod's hostname must be; ignored`);
  }
  const replicas = service.deploy?.mode === "global" ? "every node" : (service.deploy?.replicas ?? service.scale ?? 1) > 1 ? `${service.deploy?.replicas ?? service.scale} replicas` : undefined;
  if (!isJob && replicas !== undefined && mountsClaim(service)) {
    out.warn(at("volumes"), `a named volume is a ReadWriteOnce claim on the kubernetes target: with ${replicas}, only the pods on the node that attached it can start`);
  }
  (service.volumes ?? []).forEach((mount, index) => {
    if (mount.type === "bind") {
      out.warn(at("volumes", index), `binds ${mount.source} of the node that runs the pod (a hostPath), not of the machine that deploys: put the file in a config or an image`);
    }
  });
  if (service.deploy?.mode === "global-job") out.warn(at("deploy", "mode"), "global-job runs one Job on the kubernetes target, not one per node");
  for (const { index, constraint } of placement(service.deploy?.placement?.constraints).unconverted) {
    out.warn(at("deploy", "placement", "constraints", index), `"${constraint}" reads no node label on the kubernetes target; ignored`);
  }
  (service.ports ?? []).forEach((port, index) => {
    const published = publishedPort(port);
    if (typeof published === "number" && !inNodePortRange(published)) {
      out.warn(
        at("ports", index),
        `published port ${published} is outside the NodePort range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}: a NodePort Service gets a node port the cluster assigns (a LoadBalancer Service publishes ${published})`,
      );
    }
  });
}

/** Keys of one kind that would share a Kubernetes name, and services whose name cannot name a Service. */
export function checkKubernetesNames(project: Project, out: CheckSink): void {
  for (const key of Object.keys(project.services).sort()) {
    // A Service's name is a DNS-1035 label: it starts with a letter.
    if (!/^[a-z]/.test(kubernetesName(key))) out.error(["services", key], `is named "${kubernetesName(key)}" on the kubernetes target, and a Service's name must start with a letter: rename it`);
  }
  for (const kind of ["services", "volumes", "secrets", "configs"] as const) {
    for (const [name, keys] of collidingNames(Object.keys(project[kind] ?? {}).sort())) {
      for (const key of keys) {
        const others = keys.filter((other) => other !== key).map((other) => `"${other}"`).join(", ");
        out.error([kind, key], `is named "${name}" on the kubernetes target, as ${others} is: rename one of them`);
      }
    }
  }
}
