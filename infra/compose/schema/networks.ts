/** Top-level networks: created networks (driver, ipam, ...) or external ones. */
import * as z from "zod";
import { checkExternalConflicts, externalField, foldExternal } from "./external.ts";
import { bool, composeObject, labelMap, optionsMap, str } from "./primitives.ts";

const ipamPoolSchema = composeObject({
  subnet: str.optional(),
  ip_range: str.optional(),
  gateway: str.optional(),
  aux_addresses: optionsMap.optional(),
});

export const networkShape = {
  name: str.optional(),
  driver: str.optional(),
  driver_opts: optionsMap.optional(),
  ipam: composeObject({
    driver: str.optional(),
    config: z.array(ipamPoolSchema).optional(),
    options: optionsMap.optional(),
  }).optional(),
  external: externalField.optional(),
  internal: bool.optional(),
  enable_ipv4: bool.optional(),
  enable_ipv6: bool.optional(),
  attachable: bool.optional(),
  labels: labelMap.optional(),
};

export const NetworkSchema = composeObject(networkShape, checkExternalConflicts).transform(foldExternal);
export type NetworkConfig = z.output<typeof NetworkSchema>;

/** `name:` with nothing under it is a network with every setting left to its default. */
export const networkEntrySchema = z.union([z.null().transform((): NetworkConfig => ({})), NetworkSchema], {
  error: "expected a mapping of network settings or nothing",
});

