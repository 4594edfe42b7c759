/** services.*.env_file: a path, or a list of paths and {path, required, format}. */
import * as z from "zod";
import { bool, composeObject, str } from "./primitives.ts";

export const envFileShape = {
  path: str,
  required: bool.optional(),
  format: str.optional(),
};

const EnvFileLongSchema = composeObject(envFileShape);
export type EnvFile = z.output<typeof EnvFileLongSchema>;

// A bare path is a required file: that is what the short form has always meant.
const envFileItem = z.union([z.string().transform((path): EnvFile => ({ path, required: true })), EnvFileLongSchema], {
  error: "expected a path or a mapping with path and required",
});

export const envFilesSchema = z.union(
  [z.string().transform((path): EnvFile[] => [{ path, required: true }]), z.array(envFileItem)],
  { error: "expected a path or a list of paths" },
);

export const CanonicalEnvFileSchema = composeObject({ ...envFileShape, required: bool });
