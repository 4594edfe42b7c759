/**
 * services.*.secrets, services.*.configs and build.secrets: a bare name, or
 * {source, target, uid, gid, mode}. The default target is normalize's business.
 */
import * as z from "zod";
import { composeObject, fileMode, str, text } from "./primitives.ts";

export const fileRefShape = {
  source: str,
  target: str.optional(),
  uid: text.optional(),
  gid: text.optional(),
  mode: fileMode.optional(),
};

const FileRefLongSchema = composeObject(fileRefShape);
export type FileRef = z.output<typeof FileRefLongSchema>;

export const fileRefsSchema = z.array(
  z.union([z.string().transform((source): FileRef => ({ source })), FileRefLongSchema], {
    error: "expected a name or a mapping with source, target, uid, gid and mode",
  }),
  { error: "expected a list of names or mappings" },
);
