/**
 * The package's loader entry (`compose-pulumi/compose`): compose files in, one canonical
 * validated model out, as `docker compose config` computes it; every problem in one
 * ComposeError, each positioned as `FILE:LINE:COL: dotted.path: message`.
 *
 * @example
 * import { loadProject, ComposeError } from "compose-pulumi/compose";
 * const project = loadProject({ files: ["compose.yaml"] });
 */
export { loadProject, loadProjectWithEnvironment, type LoadOptions } from "./load.ts";
export { ComposeError, formatIssue, formatPath, type ComposeIssue, type PathSegment } from "./errors.ts";
export { renderModel, type RenderFormat } from "./render.ts";
export type {
  Config,
  Network,
  Project,
  Secret,
  Service,
  ServiceBuild,
  ServiceDeploy,
  ServiceHealthcheck,
  ServicePort,
  Volume,
} from "./schema/index.ts";
