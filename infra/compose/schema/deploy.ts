/**
 * services.*.deploy: what `docker stack deploy` reads (mode, replicas, placement,
 * resources, restart/update/rollback policies, endpoint mode).
 */
import * as z from "zod";
import {
  byteSize,
  composeObject,
  decimal,
  describeKind,
  duration,
  integer,
  isMapping,
  labelMap,
  oneOf,
  parsed,
  str,
  stringList,
  type Syntax,
  ValueProblem,
} from "./primitives.ts";

export const DEPLOY_MODES = ["replicated", "global", "replicated-job", "global-job"] as const;

function updateConfig(syntax: Syntax, failureActions: readonly string[]) {
  return composeObject({
    parallelism: integer({ min: 0 }).optional(),
    delay: duration(syntax).optional(),
    failure_action: oneOf("failure action", failureActions).optional(),
    monitor: duration(syntax).optional(),
    max_failure_ratio: decimal({ min: 0 }).optional(),
    order: oneOf("update order", ["start-first", "stop-first"] as const).optional(),
  });
}

/** `count: all` or a number of devices. */
const deviceCount = parsed((value): number | "all" => {
  // compose-go holds "all" as -1, so `config` output (which prints -1) reads back the same.
  if (value === "all" || value === -1) return "all";
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  throw new ValueProblem(`expected a number of devices or "all", got ${typeof value === "string" ? `"${value}"` : describeKind(value)}`);
});

const deviceRequestShape = {
  capabilities: stringList.optional(),
  count: deviceCount.optional(),
  device_ids: stringList.optional(),
  driver: str.optional(),
  options: labelMap.optional(),
};

const countOrIds = (device: { count?: unknown; device_ids?: unknown }, ctx: z.core.$RefinementCtx<unknown>) => {
  if (device.count !== undefined && device.device_ids !== undefined) {
    ctx.addIssue({ code: "custom", path: ["device_ids"], message: '"count" and "device_ids" cannot be used together' });
  }
};

export const deviceRequestSchema = composeObject(deviceRequestShape, countOrIds);

const genericResourceSchema = composeObject({
  discrete_resource_spec: composeObject({
    kind: str.optional(),
    value: integer({ min: 0 }).optional(),
  }).optional(),
});

const resourceLimits = composeObject({
  cpus: decimal({ min: 0 }).optional(),
  memory: byteSize.optional(),
  pids: integer().optional(),
});

const resourceReservations = composeObject({
  cpus: decimal({ min: 0 }).optional(),
  memory: byteSize.optional(),
  generic_resources: z.array(genericResourceSchema).optional(),
  devices: z
    .array(
      composeObject(deviceRequestShape, countOrIds, (device, ctx) => {
        if (device.capabilities === undefined && device.driver === undefined) {
          ctx.addIssue({ code: "custom", message: 'a device reservation needs "capabilities" or "driver"' });
        }
      }),
    )
    .optional(),
});

export function deploySchema(syntax: Syntax) {
  return composeObject({
    mode: oneOf("deploy mode", DEPLOY_MODES).optional(),
    replicas: integer({ min: 0 }).optional(),
    labels: labelMap.optional(),
    endpoint_mode: oneOf("endpoint mode", ["vip", "dnsrr"] as const).optional(),
    update_config: updateConfig(syntax, ["continue", "pause", "rollback"]).optional(),
    rollback_config: updateConfig(syntax, ["continue", "pause"]).optional(),
    resources: composeObject({
      limits: resourceLimits.optional(),
      reservations: resourceReservations.optional(),
    }).optional(),
    restart_policy: composeObject({
      condition: oneOf("restart condition", ["none", "on-failure", "any"] as const).optional(),
      delay: duration(syntax).optional(),
      max_attempts: integer({ min: 0 }).optional(),
      window: duration(syntax).optional(),
    }).optional(),
    placement: composeObject({
      constraints: stringList.optional(),
      preferences: z.array(composeObject({ spread: str.optional() })).optional(),
      max_replicas_per_node: integer({ min: 0 }).optional(),
    }).optional(),
  }, (deploy, ctx) => {
    const global = deploy.mode === "global" || deploy.mode === "global-job";
    if (global && deploy.replicas !== undefined) {
      ctx.addIssue({ code: "custom", path: ["replicas"], message: `"replicas" cannot be used with deploy mode "${deploy.mode}"` });
    }
    if (global && isMapping(deploy.placement) && deploy.placement.max_replicas_per_node !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["placement", "max_replicas_per_node"],
        message: `"max_replicas_per_node" cannot be used with deploy mode "${deploy.mode}"`,
      });
    }
  });
}

export type DeployConfig = z.output<ReturnType<typeof deploySchema>>;
