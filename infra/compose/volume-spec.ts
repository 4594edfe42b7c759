/**
 * Short volume syntax ("/data", "./src:/app:ro", "data:/var/lib/data:nocopy",
 * "C:\\data:/data", "/src:/dst:rw,z,rshared") expanded to the long syntax exactly as
 * compose-go's ParseVolume does: a source that looks like a path makes a bind mount
 * (which creates a missing host path, as docker-compose always did); anything else
 * names a volume; a lone path is an anonymous volume.
 */
import { posix } from "node:path";

export const BIND_PROPAGATIONS = ["rprivate", "private", "rshared", "shared", "rslave", "slave"] as const;
export const SELINUX_LABELS = ["z", "Z"] as const;

export type BindPropagation = (typeof BIND_PROPAGATIONS)[number];
export type SelinuxLabel = (typeof SELINUX_LABELS)[number];

export type ShortVolumeMount = {
  type: "bind" | "volume";
  source?: string;
  target: string;
  read_only?: true;
  bind?: { propagation?: BindPropagation; create_host_path?: boolean; selinux?: SelinuxLabel };
  volume?: { nocopy?: true };
};

export class VolumeSpecError extends Error {
  readonly spec: string;
  readonly reason: string;

  constructor(spec: string, reason: string) {
    super(`invalid volume "${spec}": ${reason}`);
    this.spec = spec;
    this.reason = reason;
    this.name = "VolumeSpecError";
  }
}

export function parseVolumeSpec(spec: string): ShortVolumeMount {
  if (spec === "") throw new VolumeSpecError(spec, "empty volume spec");
  const chars = Array.from(spec);
  if (chars.length <= 2) return { type: "volume", target: spec, volume: {} };

  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let nocopy = false;
  const bind: { propagation?: BindPropagation; selinux?: SelinuxLabel } = {};
  let buffer: string[] = [];

  const flush = (atEnd: boolean) => {
    const text = buffer.join("");
    if (buffer.length === 0) throw new VolumeSpecError(spec, "empty section between colons");
    if (source === undefined && atEnd) target = text;
    else if (source === undefined) source = text;
    else if (target === undefined) target = text;
    else if (!atEnd) throw new VolumeSpecError(spec, "too many colons");
    else {
      for (const option of text.split(",")) {
        if (option === "ro") readOnly = true;
        else if (option === "rw") readOnly = false;
        else if (option === "nocopy") nocopy = true;
        else if ((BIND_PROPAGATIONS as readonly string[]).includes(option)) bind.propagation = option as BindPropagation;
        else if ((SELINUX_LABELS as readonly string[]).includes(option)) bind.selinux = option as SelinuxLabel;
        else throw new VolumeSpecError(spec, `unknown option "${option}" (expected ro, rw, nocopy, z, Z or a propagation such as rshared)`);
      }
    }
    buffer = [];
  };

  for (let i = 0; i <= chars.length; i++) {
    const ch = chars[i];
    if (ch === ":" && buffer.length === 1 && /^\p{L}$/u.test(buffer[0])) {
      buffer.push(ch); // a Windows drive letter, as in C:\data
    } else if (ch === ":" || ch === undefined) {
      flush(ch === undefined);
    } else {
      buffer.push(ch);
    }
  }

  const mount: ShortVolumeMount = { type: isFilePath(source) ? "bind" : "volume", target: "" };
  if (source !== undefined) mount.source = source;
  mount.target = cleanTarget(target ?? "");
  if (readOnly) mount.read_only = true;
  if (mount.type === "bind") {
    mount.bind = { ...bind, create_host_path: true };
    if (nocopy) mount.volume = { nocopy: true };
  } else {
    if (bind.propagation !== undefined || bind.selinux !== undefined) mount.bind = { ...bind };
    mount.volume = nocopy ? { nocopy: true } : {};
  }
  return mount;
}

/** Go's path.Clean on the container path ("/etc/configs/" -> "/etc/configs"). */
function cleanTarget(target: string): string {
  return target === "" ? "" : posix.normalize(target).replace(/(.)\/+$/, "$1");
}

function isFilePath(source: string | undefined): boolean {
  if (source === undefined || source === "") return false;
  if (source[0] === "." || source[0] === "/" || source[0] === "~") return true;
  if (source.startsWith("\\\\")) return true; // Windows named pipe
  const [first, second] = Array.from(source);
  return second === ":" && /^\p{L}$/u.test(first);
}
