/** services.*.devices ("/dev/ttyUSB0:/dev/ttyUSB0:rwm" or long form) and services.*.gpus. */
import * as z from "zod";
import { deviceRequestSchema } from "./deploy.ts";
import { composeObject, str, ValueProblem, guarded } from "./primitives.ts";

const DeviceLongSchema = composeObject({
  source: str,
  target: str.optional(),
  permissions: str.optional(),
});

export type DeviceMapping = z.output<typeof DeviceLongSchema>;

function parseDevice(spec: string): DeviceMapping {
  const parts = spec.split(":");
  if (parts.length === 1) return { source: parts[0], target: parts[0], permissions: "rwm" };
  if (parts.length === 2) return { source: parts[0], target: parts[1], permissions: "rwm" };
  if (parts.length === 3) return { source: parts[0], target: parts[1], permissions: parts[2] };
  throw new ValueProblem(`invalid device "${spec}": too many colons, use the long syntax`);
}

export const devicesSchema = z.array(
  z.union([z.string().transform(guarded(parseDevice)), DeviceLongSchema], {
    error: "expected a device string such as \"/dev/ttyUSB0:/dev/ttyUSB0\" or a mapping",
  }),
);

export const gpusSchema = z.union([z.literal("all", { error: 'expected "all"' }), z.array(deviceRequestSchema)], {
  error: 'expected "all" or a list of device requests',
});
