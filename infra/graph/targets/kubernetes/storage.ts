/**
 * Named volumes as PersistentVolumeClaims. Compose names no size and no storage class, so
 * both come from the stack (kubernetes.volumeSize, kubernetes.storageClassName; without a
 * class the cluster's default provisions). A claim is ReadWriteOnce, what every provisioner
 * offers: replicas that share a volume must then run on one node, as a local Docker volume
 * shared by a swarm service's tasks is per node too. An external volume is an existing
 * claim of that name.
 */
import type { Project } from "../../model.ts";
import { kubernetesName } from "./names.ts";

export const DEFAULT_VOLUME_SIZE = "1Gi";

export interface ClaimSpec {
  /** The claim's name in the namespace. */
  name: string;
  external: boolean;
  storageClassName?: string;
  size: string;
}

/** The claim a compose volume key names. */
export function claimName(project: Project, key: string): string {
  const volume = project.volumes?.[key];
  // An external volume's `name:` is the existing claim's name, taken as it is.
  if (volume?.external === true) return volume.name ?? key;
  return kubernetesName(key);
}

export function claimSpec(project: Project, key: string, options: { storageClassName?: string; volumeSize?: string }): ClaimSpec {
  return {
    name: claimName(project, key),
    external: project.volumes?.[key]?.external === true,
    storageClassName: options.storageClassName,
    size: options.volumeSize ?? DEFAULT_VOLUME_SIZE,
  };
}
