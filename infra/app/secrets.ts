/**
 * Configured secrets (`pulumi config set --secret --path 'secrets.<name>' ...`, or
 * ComposeApp's `secrets`) take the place of the compose file's source for that secret.
 * The compose file keeps declaring which secrets exist and who mounts them; the stack
 * decides their content. In dev, a secret without a configured value keeps its compose
 * source (the development files); in staging and prod every secret the project creates
 * must be configured.
 */
import type { Project } from "../compose/schema/index.ts";
import type { ReportIssue } from "./issues.ts";
import type { EnvironmentTier } from "./tiers.ts";

/** Variable that carries a configured secret's content to the resource graph. */
export function secretVariable(key: string): string {
  return `COMPOSE_PULUMI_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Reports configured secrets the project does not declare (or cannot take), and in staging and prod the ones missing. */
export function checkSecrets(project: Project, configured: readonly string[], tier: EnvironmentTier, report: ReportIssue): void {
  const declared = project.secrets ?? {};
  for (const key of configured) {
    const secret = declared[key];
    if (secret === undefined) {
      const names = Object.keys(declared);
      const known = names.length === 0 ? "it declares none" : `secrets: ${names.join(", ")}`;
      report([key], `no secret "${key}" in compose project "${project.name}" (${known})`);
    } else if (secret.external === true) {
      report([key], `secret "${key}" is external: its content is managed outside this project`);
    }
  }
  if (tier === "dev") return;
  for (const [key, secret] of Object.entries(declared)) {
    if (secret.external === true || configured.includes(key)) continue;
    report(
      [key],
      `is required in a ${tier} stack (the compose file's source is for development): pulumi config set --secret --path 'secrets.${key}' <value>`,
    );
  }
}

/**
 * The project reading each configured secret from its variable, and the variables to add
 * to the environment the graph reads secret content from.
 */
export function useConfiguredSecrets(project: Project, secrets: Readonly<Record<string, string>>): { project: Project; variables: Record<string, string> } {
  if (Object.keys(secrets).length === 0) return { project, variables: {} };
  const declared = { ...(project.secrets ?? {}) };
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(secrets)) {
    const secret = declared[key];
    if (secret === undefined) continue;
    const { file: _file, content: _content, environment: _environment, ...rest } = secret;
    const variable = secretVariable(key);
    declared[key] = { ...rest, environment: variable };
    variables[variable] = value;
  }
  return { project: { ...project, secrets: declared }, variables };
}
