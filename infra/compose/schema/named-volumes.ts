/** Top-level volumes: created volumes (driver, driver_opts, labels) or external ones. */
import * as z from "zod";
import { checkExternalConflicts, externalField, foldExternal } from "./external.ts";
import { composeObject, labelMap, optionsMap, str } from "./primitives.ts";

export const VolumeSchema = composeObject({
  name: str.optional(),
  driver: str.optional(),
  driver_opts: optionsMap.optional(),
  external: externalField.optional(),
  labels: labelMap.optional(),
}, checkExternalConflicts).transform(foldExternal);

export type VolumeConfig = z.output<typeof VolumeSchema>;

export const volumeEntrySchema = z.union([z.null().transform((): VolumeConfig => ({})), VolumeSchema], {
  error: "expected a mapping of volume settings or nothing",
});
