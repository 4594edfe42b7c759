/** services.*.build: a context path (or URL), or the long form. */
import * as z from "zod";
import { extraHostsSchema } from "./extra-hosts.ts";
import { fileRefsSchema } from "./file-refs.ts";
import {
  bool,
  byteSize,
  composeObject,
  describeKind,
  envMap,
  isMapping,
  labelMap,
  parsed,
  str,
  stringList,
  type Syntax,
  ValueProblem,
} from "./primitives.ts";
import { ulimitsSchema } from "./ulimits.ts";

/** build.ssh: ["default", "id=path"] or {id: path}; an id without a path uses the agent. */
const sshSchema = parsed((value): Record<string, string | null> => {
  const keys: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item !== "string") throw new ValueProblem(`expected "default" or "id=path", got ${describeKind(item)}`, [index]);
      const equals = item.indexOf("=");
      if (equals === -1) {
        if (item !== "default") throw new ValueProblem(`invalid ssh key "${item}": write "default" or "id=path"`, [index]);
        keys[item] = null;
      } else keys[item.slice(0, equals)] = item.slice(equals + 1);
    });
    return keys;
  }
  if (isMapping(value)) {
    for (const [id, path] of Object.entries(value)) {
      if (path !== null && typeof path !== "string") throw new ValueProblem(`expected a path, got ${describeKind(path)}`, [id]);
      keys[id] = path;
    }
    return keys;
  }
  throw new ValueProblem(`expected a list such as ["default"] or a mapping of id to path, got ${describeKind(value)}`);
});

/** `provenance`, `sbom`: true/false or an attestation option string. */
const flagOrText = parsed((value): boolean | string => {
  if (typeof value === "boolean" || typeof value === "string") return value;
  throw new ValueProblem(`expected true, false or a string, got ${describeKind(value)}`);
});

export function buildLongShape(syntax: Syntax) {
  return {
    context: str.optional(),
    dockerfile: str.optional(),
    dockerfile_inline: str.optional(),
    entitlements: stringList.optional(),
    args: envMap.optional(),
    ssh: sshSchema.optional(),
    labels: labelMap.optional(),
    cache_from: stringList.optional(),
    cache_to: stringList.optional(),
    no_cache: bool.optional(),
    additional_contexts: labelMap.optional(),
    network: str.optional(),
    provenance: flagOrText.optional(),
    sbom: flagOrText.optional(),
    pull: bool.optional(),
    target: str.optional(),
    shm_size: byteSize.optional(),
    extra_hosts: extraHostsSchema.optional(),
    isolation: str.optional(),
    privileged: bool.optional(),
    secrets: fileRefsSchema.optional(),
    tags: stringList.optional(),
    ulimits: ulimitsSchema(syntax).optional(),
    platforms: stringList.optional(),
  };
}

function checkDockerfile(build: { dockerfile?: unknown; dockerfile_inline?: unknown }, ctx: z.core.$RefinementCtx<unknown>) {
  if (build.dockerfile !== undefined && build.dockerfile_inline !== undefined) {
    ctx.addIssue({ code: "custom", path: ["dockerfile_inline"], message: '"dockerfile" and "dockerfile_inline" cannot be used together' });
  }
}

export function buildSchema(syntax: Syntax) {
  const long = composeObject(buildLongShape(syntax), checkDockerfile);
  type BuildConfig = z.output<typeof long>;
  return z.union([z.string().transform((context): BuildConfig => ({ context })), long], {
    error: "expected a build context path or a mapping",
  });
}

/** The canonical model: long form, context resolved. */
export function canonicalBuildSchema() {
  return composeObject({ ...buildLongShape("canonical"), context: str }, checkDockerfile);
}

export type BuildConfig = z.output<ReturnType<typeof buildSchema>>;
