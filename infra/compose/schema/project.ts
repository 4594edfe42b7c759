/**
 * The whole file (ComposeFileSchema) and the canonical model (ProjectSchema). A file
 * may leave anything out; the model has a name and its services, every service in
 * long syntax with the values normalize fills in.
 */
import * as z from "zod";
import { ConfigSchema, SecretSchema } from "./file-objects.ts";
import { includeSchema } from "./include.ts";
import { ModelSchema } from "./models.ts";
import { volumeEntrySchema, VolumeSchema } from "./named-volumes.ts";
import { networkEntrySchema, NetworkSchema } from "./networks.ts";
import { composeObject, describeKind, isMapping, parsed, text, ValueProblem } from "./primitives.ts";
import { ServiceFileSchema, ServiceSchema } from "./service.ts";

const RESOURCE_NAME = /^[a-zA-Z0-9._-]+$/;

/** A mapping of named entries (services, networks, ...) whose names compose can use. */
function namedMap<V extends z.ZodType>(what: string, value: V) {
  return z
    .record(z.string(), value, { error: (issue) => (issue.code === "invalid_type" ? `expected a mapping of ${what}s, got ${describeKind(issue.input)}` : undefined) })
    .superRefine(
      (entries, ctx) => {
        if (!isMapping(entries)) return;
        for (const name of Object.keys(entries)) {
          if (!RESOURCE_NAME.test(name)) {
            ctx.addIssue({ code: "custom", path: [name], message: `invalid ${what} name "${name}": use only letters, digits, ".", "_" and "-"` });
          }
        }
      },
      { when: () => true },
    );
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export const projectName = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a project name, got ${describeKind(value)}`);
  if (!PROJECT_NAME.test(value)) {
    throw new ValueProblem(
      `invalid project name "${value}": use lowercase letters, digits, "_" and "-", starting with a letter or digit`,
    );
  }
  return value;
});

export const ComposeFileSchema = composeObject({
  /** Obsolete and ignored by compose; accepted so old files still load. */
  version: text.optional(),
  name: projectName.optional(),
  include: includeSchema.optional(),
  services: namedMap("service", ServiceFileSchema).optional(),
  networks: namedMap("network", networkEntrySchema).optional(),
  volumes: namedMap("volume", volumeEntrySchema).optional(),
  secrets: namedMap("secret", SecretSchema).optional(),
  configs: namedMap("config", ConfigSchema).optional(),
  models: namedMap("model", ModelSchema).optional(),
});

/**
 * Built on first use: loading files never validates against it (the tests check that it
 * accepts every loaded model), and building its canonical service schema was a fifth of
 * a command's start-up.
 */
export const ProjectSchema = z.lazy(() =>
  composeObject({
    name: projectName,
    services: namedMap("service", ServiceSchema),
    networks: namedMap("network", NetworkSchema).optional(),
    volumes: namedMap("volume", VolumeSchema).optional(),
    secrets: namedMap("secret", SecretSchema).optional(),
    configs: namedMap("config", ConfigSchema).optional(),
    models: namedMap("model", ModelSchema).optional(),
  }),
);
