/**
 * Secrets and configs: where their content comes from, their physical names (with a
 * short content hash, so a rotation creates a new object before the old one goes), and
 * how a service references them on each target.
 *
 * - swarm: docker/cli's convertFileObject: target defaults to the source key, uid and gid
 *   to "0", mode to 0444; references are sorted by name so reordering changes nothing.
 * - engine: as `docker compose`: a secret from a file is bind-mounted read-only at
 *   /run/secrets/<target>; one from an environment variable or inline content is copied
 *   into the container (with uid, gid and mode). Configs likewise, at /<target>.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import { contentHash, hashedObjectName, objectName } from "./naming.ts";
import type { ConfigObjConfig, FileReference, Project, SecretConfig } from "./model.ts";

export type ObjectKind = "secret" | "config";
type FileObject = SecretConfig | ConfigObjConfig;

/** Where content is read from; injected so the mapping stays free of I/O. */
export interface ContentSources {
  readFile(path: string): Buffer;
  environment: Readonly<Record<string, string | undefined>>;
  /** Content hash of an image build context (infra/graph/build-context.ts). */
  hashBuildContext(context: string, dockerfile?: string): string;
}

export class ContentError extends Error {}

export function fileObjects(project: Project, kind: ObjectKind): Record<string, FileObject> {
  return (kind === "secret" ? project.secrets : project.configs) ?? {};
}

/** The content of a project secret or config that the project creates. */
export function fileObjectContent(kind: ObjectKind, key: string, object: FileObject, sources: ContentSources): Buffer {
  const where = `${kind}s.${key}`;
  const source = object as { file?: string; environment?: string; content?: string };
  if (source.file !== undefined) {
    try {
      return sources.readFile(source.file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
      throw new ContentError(`${where}.file: cannot read "${source.file}": ${reason}`);
    }
  }
  if (source.environment !== undefined) {
    const value = sources.environment[source.environment];
    if (value === undefined) throw new ContentError(`${where}.environment: variable "${source.environment}" is not set`);
    return Buffer.from(value, "utf8");
  }
  if (source.content !== undefined) return Buffer.from(source.content, "utf8");
  throw new ContentError(`${where}: needs one of file, environment or content, or external: true`);
}

/** Base name before the hash: the explicit `name:` or `<project>_<key>`. */
export function fileObjectBaseName(project: Project, key: string, object: FileObject): string {
  return objectName(project.name, key, object.name);
}

/** Physical name of a created secret or config: base name plus content hash. */
export function fileObjectPhysicalName(project: Project, key: string, object: FileObject, content: Buffer): string {
  return hashedObjectName(fileObjectBaseName(project, key, object), contentHash(content));
}

/** Physical name of an external secret or config: its `name:`, else its key. */
export function externalObjectName(key: string, object: FileObject): string {
  return object.name !== undefined && object.name !== "" ? object.name : key;
}

export interface ObjectRef {
  /** Physical name, known before deployment. */
  name: string;
  /** Swarm object ID. */
  id: pulumi.Input<string>;
}

/**
 * The file name a swarm task gets: a secret's path under /run/secrets (compose's default
 * target) is given relative to it, the form the engine resolves to the same place, so a
 * spec reads the same whether the target was written or defaulted.
 */
export function taskFileName(kind: ObjectKind, ref: FileReference): string {
  const target = ref.target !== undefined && ref.target !== "" ? ref.target : ref.source;
  const secretsDir = "/run/secrets/";
  return kind === "secret" && target.startsWith(secretsDir) && target.length > secretsDir.length ? target.slice(secretsDir.length) : target;
}

function fileDefaults(kind: ObjectKind, ref: FileReference): { fileName: string; fileUid: string; fileGid: string; fileMode: number } {
  return {
    fileName: taskFileName(kind, ref),
    fileUid: ref.uid ?? "0",
    fileGid: ref.gid ?? "0",
    fileMode: ref.mode ?? 0o444,
  };
}

export function swarmSecretRefs(
  refs: readonly FileReference[] | undefined,
  resolve: (key: string) => ObjectRef,
): docker.types.input.ServiceTaskSpecContainerSpecSecret[] {
  return (refs ?? [])
    .map((ref) => {
      const object = resolve(ref.source);
      return { secretId: object.id, secretName: object.name, ...fileDefaults("secret", ref) };
    })
    .sort((a, b) => (a.secretName < b.secretName ? -1 : a.secretName > b.secretName ? 1 : 0));
}

export function swarmConfigRefs(
  refs: readonly FileReference[] | undefined,
  resolve: (key: string) => ObjectRef,
): docker.types.input.ServiceTaskSpecContainerSpecConfig[] {
  return (refs ?? [])
    .map((ref) => {
      const object = resolve(ref.source);
      return { configId: object.id, configName: object.name, ...fileDefaults("config", ref) };
    })
    .sort((a, b) => (a.configName < b.configName ? -1 : a.configName > b.configName ? 1 : 0));
}

/** Where a secret or config appears inside an engine container. */
export function engineFilePath(kind: ObjectKind, ref: FileReference): string {
  const target = ref.target !== undefined && ref.target !== "" ? ref.target : ref.source;
  if (target.startsWith("/")) return target;
  return kind === "secret" ? `/run/secrets/${target}` : `/${target}`;
}

export interface EngineFile {
  path: string;
  /** Bind-mounted from this host file. */
  hostFile?: string;
  /** Copied in with this content (base64, a secret). */
  contentBase64?: pulumi.Input<string>;
  uid?: string;
  gid?: string;
  mode?: number;
}

/** How each referenced secret or config reaches an engine container. */
export function engineFiles(
  kind: ObjectKind,
  project: Project,
  refs: readonly FileReference[] | undefined,
  contentOf: (key: string) => pulumi.Input<string> | undefined,
): EngineFile[] {
  const objects = fileObjects(project, kind);
  return (refs ?? []).map((ref) => {
    const object = objects[ref.source] as { file?: string; external?: boolean } | undefined;
    const path = engineFilePath(kind, ref);
    if (object?.file !== undefined) return { path, hostFile: object.file };
    const out: EngineFile = { path, contentBase64: contentOf(ref.source) };
    if (ref.uid !== undefined) out.uid = ref.uid;
    if (ref.gid !== undefined) out.gid = ref.gid;
    out.mode = ref.mode ?? 0o444;
    return out;
  });
}

export function engineFileMounts(files: readonly EngineFile[]): docker.types.input.ContainerMount[] {
  return files
    .filter((file) => file.hostFile !== undefined)
    .map((file) => ({ type: "bind", source: file.hostFile, target: file.path, readOnly: true }));
}

export function engineFileUploads(files: readonly EngineFile[]): docker.types.input.ContainerUpload[] {
  return files
    .filter((file) => file.hostFile === undefined && file.contentBase64 !== undefined)
    .map((file) => {
      const upload: docker.types.input.ContainerUpload = {
        file: file.path,
        contentBase64: file.contentBase64,
        permissions: (file.mode ?? 0o444).toString(8).padStart(4, "0"),
      };
      if (file.uid !== undefined) upload.owner = file.uid;
      if (file.gid !== undefined) upload.group = file.gid;
      return upload;
    });
}
