/**
 * Top-level secrets and configs: content from at most one of file, environment or
 * content. One with none of them is accepted here, as docker stack deploy does.
 */
import * as z from "zod";
import { checkExternalConflicts, externalField, foldExternal } from "./external.ts";
import { composeObject, labelMap, optionsMap, str } from "./primitives.ts";

const SOURCES = ["file", "environment", "content"] as const;

function checkSources(object: { file?: unknown; environment?: unknown; content?: unknown }, ctx: z.core.$RefinementCtx<unknown>) {
  const given = SOURCES.filter((key) => object[key] !== undefined);
  if (given.length > 1) {
    ctx.addIssue({ code: "custom", path: [given[1]], message: `"${given[0]}" and "${given[1]}" cannot be used together: give the content one way` });
  }
}

export const SecretSchema = composeObject({
  name: str.optional(),
  file: str.optional(),
  environment: str.optional(),
  content: str.optional(),
  external: externalField.optional(),
  labels: labelMap.optional(),
  driver: str.optional(),
  driver_opts: optionsMap.optional(),
  template_driver: str.optional(),
}, checkSources, checkExternalConflicts).transform(foldExternal);

export const ConfigSchema = composeObject({
  name: str.optional(),
  file: str.optional(),
  environment: str.optional(),
  content: str.optional(),
  external: externalField.optional(),
  labels: labelMap.optional(),
  template_driver: str.optional(),
}, checkSources, checkExternalConflicts).transform(foldExternal);

export type SecretConfig = z.output<typeof SecretSchema>;
export type ConfigObjConfig = z.output<typeof ConfigSchema>;
