/**
 * Compose secrets and configs as Secrets and ConfigMaps. A created one is named by its
 * compose key plus the short hash of its content, as on a swarm: new content is a new
 * object, the pods that mount it get a new template (they mount it by name) and roll onto
 * it, and only then is the old object deleted. The objects are immutable, which the name
 * guarantees anyway, and which spares the API server watching them. An external one is an
 * existing Secret or ConfigMap of that name in the namespace.
 */
import type { PlannedObject } from "../../plan.ts";
import { suffixedName } from "./names.ts";

/** The key of the one entry a compose secret or config becomes in its Secret or ConfigMap. */
export const CONTENT_KEY = "content";

/** Physical name of a secret or config in the namespace. */
export function objectName(key: string, planned: PlannedObject): string {
  if (planned.external) return planned.name;
  return suffixedName(key, planned.contentHash ?? "");
}

export interface KubernetesObjectSpec {
  name: string;
  external: boolean;
  /** The content, base64 (a created object only). */
  contentBase64?: string;
  contentHash?: string;
}

export function objectSpec(key: string, planned: PlannedObject): KubernetesObjectSpec {
  return { name: objectName(key, planned), external: planned.external, contentBase64: planned.contentBase64, contentHash: planned.contentHash };
}
