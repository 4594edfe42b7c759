/** services.*.networks: a list of names, or name -> attachment options (or null). */
import * as z from "zod";
import { composeObject, integer, optionsMap, str, stringList } from "./primitives.ts";

const attachmentSchema = composeObject({
  aliases: stringList.optional(),
  interface_name: str.optional(),
  ipv4_address: str.optional(),
  ipv6_address: str.optional(),
  link_local_ips: stringList.optional(),
  mac_address: str.optional(),
  driver_opts: optionsMap.optional(),
  priority: integer().optional(),
  gw_priority: integer().optional(),
});

export type NetworkAttachment = z.output<typeof attachmentSchema>;

const attachmentsMap = z.record(
  z.string(),
  z.union([z.null(), attachmentSchema], { error: "expected a mapping of network options or nothing" }),
);

export const serviceNetworksSchema = z.union(
  [
    z.array(z.string({ error: "expected a network name" })).transform((names) => {
      const attachments: Record<string, NetworkAttachment | null> = {};
      for (const name of names) attachments[name] = null;
      return attachments;
    }),
    attachmentsMap,
  ],
  { error: "expected a list of network names or a mapping of network name to options" },
);
