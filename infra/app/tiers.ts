/**
 * The kinds of environment a deployment is: they select the policy rules (pinned images
 * outside dev, resource limits in prod) and whether a compose file's development secrets
 * may be deployed (dev only).
 */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type EnvironmentTier = (typeof ENVIRONMENTS)[number];

/** The tier a stack name implies (`dev`, `staging`, `prod`), if any. */
export function tierFromStackName(stack: string): EnvironmentTier | undefined {
  return (ENVIRONMENTS as readonly string[]).includes(stack) ? (stack as EnvironmentTier) : undefined;
}
