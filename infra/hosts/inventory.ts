/**
 * The host inventory: which machines form the swarm and how to reach them over SSH.
 *
 * People write it (in stack config, or through local.ts) as plain data that
 * `parseInventory` checks completely before anything is created: every problem is
 * reported at once, each naming the file, position and dotted path. Provisioners
 * (hetzner.ts) produce the same shape with addresses and host keys that are only known
 * once the machines exist, hence the `pulumi.Input` fields of `InventoryHost`.
 *
 * Host keys are never trusted blindly: each host lists its pinned public key(s), or
 * explicitly opts into recording the key at the first connection (trustOnFirstUse).
 */
import { homedir } from "node:os";
import * as pulumi from "@pulumi/pulumi";
import * as z from "zod";
import { fromZodIssues, HostConfigError, type HostIssue, type PathSegment, type ValueOrigin } from "./issues.ts";

export const SWARM_ROLES = ["manager", "worker"] as const;
export const NODE_AVAILABILITIES = ["active", "pause", "drain"] as const;
export type SwarmRole = (typeof SWARM_ROLES)[number];
export type NodeAvailability = (typeof NODE_AVAILABILITIES)[number];

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ADDRESS = /^[^\s'"\\]+$/;
const SSH_USER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** The characters the bootstrap scripts accept in a node label key. */
const LABEL_KEY = /^[A-Za-z0-9._/-]+$/;
const HOST_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( [^\n]*)?$/;

/** The base64 blob of an SSH public key starts with its own type name, length-prefixed. */
export function keyBlobMatchesType(key: string): boolean {
  const [type, blob] = key.split(" ");
  if (type === undefined || blob === undefined) return false;
  const bytes = Buffer.from(blob, "base64");
  if (bytes.length < 4) return false;
  const length = bytes.readUInt32BE(0);
  return bytes.length >= 4 + length && bytes.subarray(4, 4 + length).toString("latin1") === type;
}

const port = z
  .number()
  .int("must be a whole number")
  .min(1, "must be a TCP port (1-65535)")
  .max(65535, "must be a TCP port (1-65535)");

const sshFields = {
  port: port.optional(),
  user: z.string().regex(SSH_USER, "must be a user name (letters, digits, '_', '.', '-')").optional(),
  /** Path of the private key on the machine that runs Pulumi (`~/` is the home directory). */
  privateKeyPath: z.string().min(1, "must not be empty").optional(),
  /** The private key itself; keep it in config as a secret (`pulumi config set --secret`). */
  privateKey: z.string().optional(),
  /** Authenticate through the SSH agent at SSH_AUTH_SOCK. */
  agent: z.boolean().optional(),
};

const CREDENTIAL_KEYS = ["privateKeyPath", "privateKey", "agent"] as const;

export const HostEntrySchema = z.strictObject({
  name: z.string().regex(HOST_NAME, 'must be lower-case letters, digits and "-" (it names the host\'s resources), e.g. "node-1"'),
  /** Where SSH connects: a host name or an IP address. */
  address: z.string().regex(ADDRESS, "must be a host name or IP address (no spaces or quotes)"),
  /** Address other nodes reach this one on (swarm --advertise-addr); defaults to `address`. */
  advertiseAddress: z.string().regex(ADDRESS, "must be an IP address or interface name (no spaces or quotes)").optional(),
  role: z.enum(SWARM_ROLES),
  labels: z
    .record(
      z.string().regex(LABEL_KEY, "label keys may only hold letters, digits, '.', '_', '/' and '-'"),
      z.string().regex(/^[^\n\r]*$/, "label values must be one line"),
    )
    .optional(),
  availability: z.enum(NODE_AVAILABILITIES).optional(),
  /** Pinned public host keys, as in known_hosts without the host: `ssh-ed25519 AAAA...`. */
  hostKeys: z
    .array(
      z
        .string()
        .regex(HOST_KEY, 'must be a public host key such as "ssh-ed25519 AAAAC3Nza..." (key type, then base64)')
        .refine(keyBlobMatchesType, "the key's base64 does not decode to a key of the type it names (copied incompletely?)"),
    )
    .min(1, "must list at least one key")
    .optional(),
  /** Record the host key at the first connection and refuse a different one afterwards. */
  trustOnFirstUse: z.boolean().optional(),
  ...sshFields,
});

export const InventorySchema = z.strictObject({
  /** SSH settings shared by every host; a host's own settings win. */
  defaults: z.strictObject(sshFields).optional(),
  hosts: z.array(HostEntrySchema).min(1, "must list at least one host"),
});

export type InventoryDocument = z.input<typeof InventorySchema>;
export type HostEntry = z.output<typeof HostEntrySchema>;

export type SshAuth =
  | { kind: "keyFile"; path: string }
  | { kind: "key"; privateKey: string }
  | { kind: "agent" };

/** One validated host with every default applied. */
export interface HostSpec {
  /** Lower-case letters, digits and "-"; names the host's resources. */
  name: string;
  /** Where SSH connects: a host name or an IP address. */
  address: string;
  /** Address other nodes reach this one on (swarm --advertise-addr); default `address`. */
  advertiseAddress?: string;
  /** `manager` or `worker`. */
  role: SwarmRole;
  /** Swarm node labels (placement constraints read them). */
  labels: Record<string, string>;
  /** `active`, `pause` or `drain`. */
  availability: NodeAvailability;
  /** SSH port. */
  port: number;
  /** SSH user. */
  user: string;
  /** How SSH authenticates: a key file, a key (secret), or the agent. */
  auth: SshAuth;
  /** Pinned public host keys (`ssh-ed25519 AAAA...`). */
  hostKeys?: string[];
  /** No pinned key: record the key at the first connection and check it from then on. */
  trustOnFirstUse: boolean;
}

export type SshAuthInput =
  | { kind: "keyFile"; path: string }
  | { kind: "key"; privateKey: pulumi.Input<string> }
  | { kind: "agent" };

export type HostKeyPolicy =
  | { pinned: pulumi.Input<pulumi.Input<string>[]> }
  | { recordOnFirstUse: true };

/** A host as the swarm components consume it; addresses and keys may come from resources. */
export interface InventoryHost {
  /** Names the host's resources. */
  name: string;
  /** `manager` or `worker`. */
  role: SwarmRole;
  /** Swarm node labels. */
  labels: Record<string, string>;
  /** `active`, `pause` or `drain`. */
  availability: NodeAvailability;
  /** Where SSH connects; may be a created server's output. */
  address: pulumi.Input<string>;
  /** Address other nodes reach this one on; default `address`. */
  advertiseAddress?: pulumi.Input<string>;
  /** SSH port. */
  port: number;
  /** SSH user. */
  user: string;
  /** How SSH authenticates. */
  auth: SshAuthInput;
  /** Pinned host keys (possibly outputs of a provisioner), or recorded at first use. */
  hostKeys: HostKeyPolicy;
  /** How long to keep trying to connect (a machine that is still booting), in seconds. */
  connectTimeoutSeconds?: number;
  /** Remote command that must succeed before the first bootstrap step (e.g. wait for cloud-init). */
  readyCommand?: string;
}

export interface Inventory {
  /** Every host of the swarm, managers and workers. */
  hosts: InventoryHost[];
}

export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_SSH_USER = "root";

/** Checks an inventory document; throws HostConfigError listing every problem. */
export function parseInventory(value: unknown, origin: ValueOrigin): HostSpec[] {
  const parsed = InventorySchema.safeParse(value);
  if (!parsed.success) throw new HostConfigError(origin, fromZodIssues(parsed.error.issues, value));
  const issues: HostIssue[] = [];
  const hosts = parsed.data.hosts.map((entry, index) => resolveHost(entry, parsed.data.defaults ?? {}, ["hosts", index], issues));
  checkUnique(parsed.data.hosts, issues);
  if (issues.length > 0) throw new HostConfigError(origin, issues);
  return hosts;
}

type SshDefaults = NonNullable<z.output<typeof InventorySchema>["defaults"]>;

function resolveHost(entry: HostEntry, defaults: SshDefaults, path: PathSegment[], issues: HostIssue[]): HostSpec {
  const auth = resolveAuth(entry, defaults, path, issues);
  if (entry.hostKeys === undefined && entry.trustOnFirstUse !== true) {
    issues.push({
      path,
      message:
        "no pinned host key: list the host's public key(s) in hostKeys (read them from the machine's console or a trusted ssh-keyscan), or set trustOnFirstUse: true to record the key at the first connection",
    });
  }
  if (entry.hostKeys !== undefined && entry.trustOnFirstUse === true) {
    issues.push({ path: [...path, "trustOnFirstUse"], message: "the host's keys are pinned in hostKeys; remove trustOnFirstUse" });
  }
  return {
    name: entry.name,
    address: entry.address,
    ...(entry.advertiseAddress !== undefined ? { advertiseAddress: entry.advertiseAddress } : {}),
    role: entry.role,
    labels: entry.labels ?? {},
    availability: entry.availability ?? "active",
    port: entry.port ?? defaults.port ?? DEFAULT_SSH_PORT,
    user: entry.user ?? defaults.user ?? DEFAULT_SSH_USER,
    auth,
    ...(entry.hostKeys !== undefined ? { hostKeys: entry.hostKeys } : {}),
    trustOnFirstUse: entry.trustOnFirstUse === true,
  };
}

function resolveAuth(entry: HostEntry, defaults: SshDefaults, path: PathSegment[], issues: HostIssue[]): SshAuth {
  const given = (source: HostEntry | SshDefaults) =>
    CREDENTIAL_KEYS.filter((key) => source[key] !== undefined && source[key] !== false);
  const own = given(entry);
  const source = own.length > 0 ? entry : defaults;
  const sourcePath = own.length > 0 ? path : ["defaults"];
  const keys = own.length > 0 ? own : given(defaults);
  if (keys.length === 0) {
    issues.push({
      path,
      message: "no SSH credentials: set privateKeyPath, privateKey (as a config secret) or agent: true, on the host or in defaults",
    });
    return { kind: "agent" };
  }
  if (keys.length > 1) {
    issues.push({ path: sourcePath, message: `set only one of privateKeyPath, privateKey and agent (found ${keys.join(", ")})` });
    return { kind: "agent" };
  }
  if (source.privateKeyPath !== undefined) return { kind: "keyFile", path: expandHome(source.privateKeyPath) };
  if (source.privateKey !== undefined) {
    // The message never repeats the value: it is a secret.
    if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(source.privateKey)) {
      issues.push({
        path: [...sourcePath, "privateKey"],
        message: 'is not a private key (expected a "-----BEGIN ... PRIVATE KEY-----" block in OpenSSH or PEM format)',
      });
    }
    return { kind: "key", privateKey: source.privateKey };
  }
  return { kind: "agent" };
}

function expandHome(path: string): string {
  return path === "~" ? homedir() : path.startsWith("~/") ? `${homedir()}${path.slice(1)}` : path;
}

function checkUnique(entries: readonly HostEntry[], issues: HostIssue[]): void {
  const names = new Map<string, number>();
  const endpoints = new Map<string, number>();
  entries.forEach((entry, index) => {
    const previousName = names.get(entry.name);
    if (previousName !== undefined) {
      issues.push({ path: ["hosts", index, "name"], message: `"${entry.name}" is already the name of hosts[${previousName}]` });
    } else names.set(entry.name, index);
    const endpoint = `${entry.address}:${entry.port ?? "default"}`;
    const previousEndpoint = endpoints.get(endpoint);
    if (previousEndpoint !== undefined) {
      issues.push({
        path: ["hosts", index, "address"],
        message: `${entry.address} is already the address of hosts[${previousEndpoint}] (${entries[previousEndpoint].name})`,
      });
    } else endpoints.set(endpoint, index);
  });
}

/** The component-facing inventory of validated hosts; a private key becomes a Pulumi secret. */
export function toInventory(hosts: readonly HostSpec[]): Inventory {
  return {
    hosts: hosts.map((host) => ({
      name: host.name,
      role: host.role,
      labels: { ...host.labels },
      availability: host.availability,
      address: host.address,
      ...(host.advertiseAddress !== undefined ? { advertiseAddress: host.advertiseAddress } : {}),
      port: host.port,
      user: host.user,
      auth: host.auth.kind === "key" ? { kind: "key", privateKey: pulumi.secret(host.auth.privateKey) } : host.auth,
      hostKeys: host.hostKeys !== undefined ? { pinned: host.hostKeys } : { recordOnFirstUse: true },
    })),
  };
}
