/**
 * Images pinned to a tag or a digest outside dev: `latest` (or no tag, which means
 * latest) changes under a running stack, so the same deployment can run different code
 * on different nodes and cannot be rolled back to what it was. A service that only builds
 * its image runs what this deployment built. Read from the compose facts, known at preview.
 */
import { composeProjects } from "../compose-facts.ts";
import { servicePath, stackTier, Violations, type StackResource, type Violation } from "../resources.ts";

/** What is wrong with an image reference, or undefined when it is pinned. */
export function unpinnedReason(image: string): string | undefined {
  if (image.includes("@")) return undefined;
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon <= slash) return `"${image}" has no tag, which means "latest"`;
  if (image.slice(colon + 1) === "latest") return `"${image}" uses the tag "latest"`;
  return undefined;
}

export function pinnedImages(resources: readonly StackResource[]): Violation[] {
  const tier = stackTier(resources);
  if (tier === "dev") return [];
  const { projects, unchecked } = composeProjects(resources);
  const violations = new Violations(unchecked);
  for (const { facts, urnOf } of projects) {
    for (const [service, { image }] of Object.entries(facts.services)) {
      const reason = image === undefined ? undefined : unpinnedReason(image);
      if (reason === undefined) continue;
      violations.add(
        `${servicePath(service, "image")}: ${reason}; a ${tier} stack runs pinned images: use a version tag or a digest (name:1.2.3 or name@sha256:...)`,
        urnOf(service),
      );
    }
  }
  return violations.list;
}
