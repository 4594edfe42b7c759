/** Top-level include: a path, or {path, env_file, project_directory}; paths become lists. */
import * as z from "zod";
import { closedObject, str, stringOrList } from "./primitives.ts";

const IncludeLongSchema = closedObject({
  path: stringOrList,
  env_file: stringOrList.optional(),
  project_directory: str.optional(),
});

export type IncludeConfig = z.output<typeof IncludeLongSchema>;

export const includeSchema = z.array(
  z.union([z.string().transform((path): IncludeConfig => ({ path: [path] })), IncludeLongSchema], {
    error: "expected a path or a mapping with path, env_file and project_directory",
  }),
  { error: "expected a list of files to include" },
);
