/**
 * Labels of the project's Kubernetes objects: the recommended `app.kubernetes.io/*` labels
 * (so dashboards and `kubectl get -l` group them) plus compose's own project and service
 * labels, so a tool that looks for compose's labels finds them here too. The selector of a
 * workload is the smallest stable subset (name and instance): a selector is immutable, so
 * nothing that may change (an image, a version) is part of it.
 */
import { LABEL_COMPOSE_PROJECT, LABEL_COMPOSE_SERVICE, type Labels } from "../../labels.ts";

export const LABEL_NAME = "app.kubernetes.io/name";
export const LABEL_INSTANCE = "app.kubernetes.io/instance";
export const LABEL_PART_OF = "app.kubernetes.io/part-of";
export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
export const LABEL_COMPONENT = "app.kubernetes.io/component";
export const MANAGED_BY = "compose-pulumi";

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, alphanumeric at both ends. */
function labelValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

/** What selects a service's pods: its compose key within its project. */
export function selectorLabels(project: string, service: string): Labels {
  return { [LABEL_NAME]: labelValue(service), [LABEL_INSTANCE]: labelValue(project) };
}

/** Labels of a service's workload, its pods and its Services. `component` is `service` or `job`. */
export function workloadLabels(project: string, service: string, component: "service" | "job"): Labels {
  return {
    ...selectorLabels(project, service),
    [LABEL_PART_OF]: labelValue(project),
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_COMPONENT]: component,
    [LABEL_COMPOSE_PROJECT]: labelValue(project),
    [LABEL_COMPOSE_SERVICE]: labelValue(service),
  };
}

/** Labels of a project-level object (namespace, claim, Secret, ConfigMap). */
export function projectLabels(project: string): Labels {
  return { [LABEL_PART_OF]: labelValue(project), [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_COMPOSE_PROJECT]: labelValue(project) };
}

/**
 * Compose labels as annotations: a compose label's value is free text, which a Kubernetes
 * label value often cannot hold; an annotation holds any text.
 */
export function composeAnnotations(labels: Labels | undefined): Labels | undefined {
  return labels === undefined || Object.keys(labels).length === 0 ? undefined : { ...labels };
}
