/**
 * Images pinned to a tag or a digest outside dev: `latest` (or no tag, which means
 * latest) changes under a running stack, so the same deployment can run different code
 * on different nodes and cannot be rolled back to what it was.
 */
import { labelsOf, serviceOf, servicePath, stackTier, TYPES, Violations, type StackResource, type Violation } from "../resources.ts";

/** What is wrong with an image reference, or undefined when it is pinned. */
export function unpinnedReason(image: string): string | undefined {
  if (image.includes("@")) return undefined;
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon <= slash) return `"${image}" has no tag, which means "latest"`;
  if (image.slice(colon + 1) === "latest") return `"${image}" uses the tag "latest"`;
  return undefined;
}

/** The image as the user wrote it, for each resource that names one. */
function imageOf(resource: StackResource): string | undefined {
  switch (resource.type) {
    case TYPES.remoteImage:
    case TYPES.registryImage:
      return typeof resource.props.name === "string" ? resource.props.name : undefined;
    case TYPES.service: {
      const written = labelsOf(resource.props)["com.docker.stack.image"];
      if (written !== undefined) return written;
      const image = resource.props.taskSpec?.containerSpec?.image;
      return typeof image === "string" ? image : undefined;
    }
    case TYPES.container:
      return typeof resource.props.image === "string" && !resource.props.image.startsWith("sha256:") ? resource.props.image : undefined;
    default:
      return undefined;
  }
}

export function pinnedImages(resources: readonly StackResource[]): Violation[] {
  const tier = stackTier(resources);
  if (tier === "dev") return [];
  const violations = new Violations();
  for (const resource of resources) {
    const image = imageOf(resource);
    if (image === undefined) continue;
    const reason = unpinnedReason(image);
    if (reason === undefined) continue;
    const service = serviceOf(resource) ?? resource.name;
    violations.add(
      `${servicePath(service, "image")}: ${reason}; a ${tier} stack runs pinned images: use a version tag or a digest (name:1.2.3 or name@sha256:...)`,
      resource.urn,
    );
  }
  return violations.list;
}
