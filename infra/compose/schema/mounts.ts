/**
 * services.*.volumes: short specs ("./src:/app:ro") and the long form with bind, volume,
 * tmpfs, npipe, cluster and image mounts.
 */
import * as z from "zod";
import { parseVolumeSpec, BIND_PROPAGATIONS, SELINUX_LABELS } from "../volume-spec.ts";
import { bool, byteSize, composeObject, fileMode, guarded, labelMap, oneOf, str } from "./primitives.ts";

export const MOUNT_TYPES = ["bind", "volume", "tmpfs", "npipe", "cluster", "image"] as const;

const mountLongShape = {
  type: oneOf("mount type", MOUNT_TYPES),
  source: str.optional(),
  target: str,
  read_only: bool.optional(),
  consistency: str.optional(),
  bind: composeObject({
    propagation: oneOf("bind propagation", BIND_PROPAGATIONS).optional(),
    create_host_path: bool.optional(),
    selinux: oneOf("SELinux label", SELINUX_LABELS).optional(),
    recursive: oneOf("recursive mode", ["enabled", "disabled", "writable", "readonly"] as const).optional(),
  }).optional(),
  volume: composeObject({
    labels: labelMap.optional(),
    nocopy: bool.optional(),
    subpath: str.optional(),
  }).optional(),
  tmpfs: composeObject({
    size: byteSize.optional(),
    mode: fileMode.optional(),
  }).optional(),
  image: composeObject({
    subpath: str.optional(),
  }).optional(),
};

/** Options blocks that only make sense for one mount type. */
const OPTIONS_FOR_TYPE = { bind: "bind", volume: "volume", tmpfs: "tmpfs", image: "image" } as const;

const MountLongSchema = composeObject(mountLongShape, (mount, ctx) => {
  for (const [key, type] of Object.entries(OPTIONS_FOR_TYPE)) {
    if (mount[key as keyof typeof OPTIONS_FOR_TYPE] !== undefined && mount.type !== type) {
      ctx.addIssue({ code: "custom", path: [key], message: `"${key}" options cannot be used with mount type "${mount.type}"` });
    }
  }
  if (mount.type === "tmpfs" && mount.source !== undefined) {
    ctx.addIssue({ code: "custom", path: ["source"], message: 'a tmpfs mount has no "source"' });
  }
  if ((mount.type === "bind" || mount.type === "npipe" || mount.type === "image") && mount.source === undefined) {
    ctx.addIssue({ code: "custom", path: ["source"], message: `a ${mount.type} mount needs a "source"` });
  }
});

export type VolumeMount = z.output<typeof MountLongSchema>;

export const mountsSchema = z.array(
  z.union([z.string().transform(guarded((spec: string): VolumeMount => parseVolumeSpec(spec))), MountLongSchema], {
    error: "expected a volume spec string or a mapping",
  }),
  { error: "expected a list of volumes" },
);
