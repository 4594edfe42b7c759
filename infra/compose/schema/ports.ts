/**
 * services.*.ports: numbers ("3000"), short specs ("127.0.0.1:8080:80/udp", ranges
 * expanded one entry per port) and the long form, all as long-form entries.
 */
import * as z from "zod";
import { parsePortRange, parsePortSpec, PORT_PROTOCOLS } from "../port-spec.ts";
import { composeObject, describeKind, guarded, integer, oneOf, parsed, str, ValueProblem } from "./primitives.ts";

const portNumber = integer({ min: 0, max: 65535 });

/** `published` may be a number, a port or a range ("8000-8010"); kept as text like compose-go. */
const publishedPort = parsed((value): string => {
  const textValue = typeof value === "number" ? String(value) : value;
  if (typeof textValue !== "string") throw new ValueProblem(`expected a port or port range, got ${describeKind(value)}`);
  if (parsePortRange(textValue) === undefined) throw new ValueProblem(`invalid published port "${textValue}"`);
  return textValue;
});

export const portLongShape = {
  name: str.optional(),
  mode: oneOf("port mode", ["ingress", "host"] as const).optional(),
  host_ip: str.optional(),
  target: portNumber,
  published: publishedPort.optional(),
  protocol: oneOf("protocol", PORT_PROTOCOLS).optional(),
  app_protocol: str.optional(),
};

export const PortLongSchema = composeObject(portLongShape);
export type PortConfig = z.output<typeof PortLongSchema>;

const portItem = z.union(
  [
    z.number().transform((target, ctx): PortConfig[] => {
      if (!Number.isInteger(target) || target < 0 || target > 65535) {
        ctx.addIssue({ code: "custom", message: `invalid port ${target}` });
        return z.NEVER;
      }
      return [{ target }];
    }),
    z.string().transform(guarded((spec: string): PortConfig[] => parsePortSpec(spec))),
    PortLongSchema.transform((port): PortConfig[] => [port]),
  ],
  { error: "expected a port spec string, number or mapping" },
);

export const portsSchema = z
  .array(portItem, { error: "expected a list of ports" })
  .transform((lists) => lists.flat());

/** The canonical model: always long form, with mode and protocol filled in. */
export const CanonicalPortSchema = composeObject({
  ...portLongShape,
  mode: oneOf("port mode", ["ingress", "host"] as const),
  protocol: oneOf("protocol", PORT_PROTOCOLS),
});
