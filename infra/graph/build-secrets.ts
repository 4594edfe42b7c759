/**
 * `build.secrets` as BuildKit build secrets: each names a top-level secret, passed to the
 * build by reference (a file path, or the name of an environment variable of the
 * deployment), never by value, so no secret content reaches the state or the command
 * line. The id is what a Dockerfile's `RUN --mount=type=secret,id=...` names.
 */
import type { Project, ServiceConfig } from "./model.ts";

export interface BuildSecret {
  id: string;
  src?: string;
  env?: string;
}

type BuildSecretRefs = NonNullable<NonNullable<ServiceConfig["build"]>["secrets"]>;

/** The id a build secret is mounted under: its target when that is a plain name, else its source. */
export function buildSecretId(ref: BuildSecretRefs[number]): string {
  return ref.target !== undefined && ref.target !== "" && !ref.target.includes("/") ? ref.target : ref.source;
}

/** Secrets that can be passed; the others are warned (infra/graph/warnings.ts). */
export function buildSecrets(project: Project, refs: BuildSecretRefs | undefined): BuildSecret[] {
  const out: BuildSecret[] = [];
  for (const ref of refs ?? []) {
    const secret = project.secrets?.[ref.source];
    if (secret?.file !== undefined) out.push({ id: buildSecretId(ref), src: secret.file });
    else if (secret?.environment !== undefined) out.push({ id: buildSecretId(ref), env: secret.environment });
  }
  return out;
}
