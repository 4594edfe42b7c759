/**
 * Everything ComposeProject decides before it creates a resource: warnings, the errors that
 * stop the deployment, the content (and so the names) of created secrets and configs, image
 * names, which services run as jobs or are waited on for health, and the deployment order.
 * Reading secret files happens here, through injected sources, so that a missing file is
 * reported together with every other problem and nothing is half-created.
 */
import { checkProject, GraphError, type GraphIssue } from "./warnings.ts";
import { contentHash } from "./naming.ts";
import { TARGET_DEFINITIONS, type Target } from "./targets/index.ts";
import { serviceConfigHash } from "./config-hash.ts";
import { deploymentOrder, healthWaitedServices, jobServices } from "./depends-on.ts";
import { ContentError, externalObjectName, fileObjectContent, fileObjectPhysicalName, fileObjects, type ContentSources, type ObjectKind } from "./secrets.ts";
import type { Project } from "./model.ts";

export interface PlannedObject {
  key: string;
  external: boolean;
  /** Physical name (content-hashed when created). */
  name: string;
  contentBase64?: string;
  contentHash?: string;
}

export interface PlannedImage {
  /** `image:` as written, or the name derived for a built image without one. */
  imageName: string;
  build: boolean;
  push: boolean;
  /** Hash of the build context's files, for a built image. */
  contextHash?: string;
  /**
   * The service that builds this image, when another service of the project builds the
   * image this one names: the image is that build (engine) or that push (swarm), never
   * pulled separately, so a first deploy of a new tag cannot race the build.
   */
  builtBy?: string;
}

export interface ProjectPlan {
  warnings: GraphIssue[];
  order: string[];
  jobs: Set<string>;
  healthWaited: Set<string>;
  secrets: Record<string, PlannedObject>;
  configs: Record<string, PlannedObject>;
  images: Record<string, PlannedImage | undefined>;
  /** Per service: hash of its definition and of the content it mounts (compose's config-hash). */
  configHashes: Record<string, string>;
}

export interface PlanOptions {
  target: Target;
  registry?: string;
  /** How images are built (components/image.ts): the Engine API build unless `buildx`. */
  builder?: "buildx" | "engine-api";
  sources: ContentSources;
}

function planObjects(project: Project, kind: ObjectKind, sources: ContentSources, errors: GraphIssue[]): Record<string, PlannedObject> {
  const out: Record<string, PlannedObject> = {};
  for (const [key, object] of Object.entries(fileObjects(project, kind))) {
    if (object.external === true) {
      out[key] = { key, external: true, name: externalObjectName(key, object) };
      continue;
    }
    try {
      const content = fileObjectContent(kind, key, object, sources);
      out[key] = {
        key,
        external: false,
        name: fileObjectPhysicalName(project, key, object, content),
        contentBase64: content.toString("base64"),
        contentHash: contentHash(content),
      };
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      const [path, ...rest] = error.message.split(": ");
      errors.push({ path, message: rest.join(": ") });
    }
  }
  return out;
}

function planImage(project: Project, key: string, options: PlanOptions, errors: GraphIssue[]): PlannedImage | undefined {
  const service = project.services[key];
  const rules = TARGET_DEFINITIONS[options.target].images;
  const build = service.build;
  let imageName = service.image;
  if (imageName === undefined) {
    if (build === undefined) return undefined;
    imageName = rules.builtImageName(project.name, key, options.registry);
  }
  if (build === undefined) {
    if (rules.needsNoPull(imageName)) return undefined;
    return { imageName, build: false, push: false };
  }
  const planned: PlannedImage = { imageName, build: true, push: rules.pushBuilt };
  try {
    planned.contextHash = options.sources.hashBuildContext(build.context ?? ".", build.dockerfile);
  } catch (error) {
    errors.push({ path: `services.${key}.build.context`, message: (error as Error).message });
  }
  return planned;
}

/** Points each pulled image that a service of the project builds at that build. */
function linkSharedImages(images: Record<string, PlannedImage | undefined>): void {
  const builders = new Map<string, string>();
  for (const key of Object.keys(images).sort()) {
    const image = images[key];
    if (image?.build === true && !builders.has(image.imageName)) builders.set(image.imageName, key);
  }
  for (const [key, image] of Object.entries(images)) {
    const builder = image !== undefined && !image.build ? builders.get(image.imageName) : undefined;
    if (builder !== undefined) images[key] = { ...image!, builtBy: builder };
  }
}

/** Throws GraphError listing every problem; otherwise returns the plan. */
export function planProject(project: Project, options: PlanOptions): ProjectPlan {
  const check = checkProject(project, { target: options.target, registry: options.registry, builder: options.builder });
  const errors = [...check.errors];
  const secrets = planObjects(project, "secret", options.sources, errors);
  const configs = planObjects(project, "config", options.sources, errors);
  let order: string[] = [];
  try {
    order = deploymentOrder(project);
  } catch (error) {
    errors.push({ path: "services", message: (error as Error).message });
  }
  const images: Record<string, PlannedImage | undefined> = {};
  for (const key of order) images[key] = planImage(project, key, options, errors);
  linkSharedImages(images);
  if (errors.length > 0) throw new GraphError(errors);

  const configHashes: Record<string, string> = {};
  for (const key of order) {
    const service = project.services[key];
    const mounted = [
      ...(service.secrets ?? []).map((ref) => `secret:${ref.source}:${secrets[ref.source]?.contentHash ?? ""}`),
      ...(service.configs ?? []).map((ref) => `config:${ref.source}:${configs[ref.source]?.contentHash ?? ""}`),
    ];
    configHashes[key] = serviceConfigHash(service, mounted);
  }
  return {
    warnings: check.warnings,
    order,
    jobs: jobServices(project),
    healthWaited: healthWaitedServices(project),
    secrets,
    configs,
    images,
    configHashes,
  };
}
