/**
 * The stack configuration (`Pulumi.<stack>.yaml`, namespace `compose-pulumi`): which
 * compose files make the application, where it runs, and what this environment changes.
 * Validated as a whole: every problem is reported at once, positioned in the stack file,
 * before anything is loaded or created. Secret values never appear in a message.
 */
import { TARGET_NAMES, type Target } from "../infra/graph/targets/target.ts";
import { PUBLISHED_PORT_TYPES } from "../infra/graph/targets/kubernetes/service.ts";
import * as z from "zod";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { formatPath, type ComposeIssue, type PathSegment } from "../infra/compose/errors.ts";
import { unknownKeyMessage } from "../infra/compose/suggest.ts";
import {
  bool,
  byteSize,
  closedObject,
  decimal,
  describeKind,
  integer,
  isMapping,
  labelMap,
  oneOf,
  parsed,
  str,
  stringList,
  text,
  ValueProblem,
} from "../infra/compose/schema/primitives.ts";
import { HostConfigError } from "../infra/hosts/issues.ts";
import { checkQuorum } from "../infra/hosts/quorum.ts";
import { parseInventory, type HostSpec } from "../infra/hosts/inventory.ts";
import { parseHetznerSettings, type HetznerSettings } from "../infra/hosts/hetzner-settings.ts";
import { serviceOverrideSchema, type ServiceOverride } from "../infra/app/overrides.ts";
import { ENVIRONMENTS, tierFromStackName, type EnvironmentTier } from "../infra/app/tiers.ts";
import { configLocator, type StackConfigFile } from "./config-source.ts";
import { StackConfigError } from "./config-error.ts";

export const CONFIG_NAMESPACE = "compose-pulumi";
export { ENVIRONMENTS, type EnvironmentTier };

const nonEmptyString = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a string, got ${describeKind(value)}`);
  if (value.trim() === "") throw new ValueProblem("must not be empty");
  return value;
});

function mappingOf<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value, {
    error: (issue) => (issue.code === "invalid_type" ? `expected a mapping, got ${describeKind(issue.input)}` : undefined),
  });
}

const composeSchema = closedObject({
  files: z
    .array(nonEmptyString, { error: (issue) => (issue.code === "invalid_type" ? `expected a list of compose files, got ${describeKind(issue.input)}` : undefined) })
    .min(1, { message: "needs at least one compose file" }),
  envFiles: stringList.optional(),
  profiles: stringList.optional(),
  projectName: nonEmptyString.optional(),
  projectDirectory: nonEmptyString.optional(),
  variables: mappingOf(text).optional(),
});

const dockerSchema = closedObject({
  host: nonEmptyString,
  sshOpts: stringList.optional(),
});

const provisionerSchema = parsed((value): { type: string; options: Record<string, unknown> } => {
  if (!isMapping(value)) throw new ValueProblem(`expected a mapping, got ${describeKind(value)}`);
  const { type, ...options } = value;
  if (typeof type !== "string" || type === "") throw new ValueProblem("needs a type, e.g. type: hetzner", ["type"]);
  return { type, options };
});

const clusterSchema = closedObject(
  {
    // Checked by the host inventory's own schema (infra/hosts/inventory.ts) below.
    inventory: z.unknown().optional(),
    provisioner: provisionerSchema.optional(),
    allowEvenManagers: bool.optional(),
    allowMoreThanSevenManagers: bool.optional(),
  },
  (cluster, ctx) => {
    if (cluster.inventory !== undefined && cluster.provisioner !== undefined) {
      ctx.addIssue({ code: "custom", path: ["provisioner"], message: "set either inventory or provisioner, not both" });
    } else if (cluster.inventory === undefined && cluster.provisioner === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "needs an inventory (existing hosts) or a provisioner (new hosts)" });
    }
  },
);

const registrySchema = closedObject({
  server: nonEmptyString,
  username: nonEmptyString.optional(),
  password: nonEmptyString.optional(),
  /** Spoken to over plain HTTP (a local registry), like dockerd's --insecure-registry. */
  insecure: bool.optional(),
});

/** A DNS-1123 label: what Kubernetes accepts as a namespace name. */
const dnsLabel = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a namespace name, got ${describeKind(value)}`);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) throw new ValueProblem(`invalid namespace "${value}": lower case letters, digits and "-", at most 63`);
  return value;
});

const kubernetesSchema = closedObject({
  /** A kubeconfig file's path, or a kubeconfig's content (then a secret). Default: the provider's (KUBECONFIG, ~/.kube/config). */
  kubeconfig: nonEmptyString.optional(),
  context: nonEmptyString.optional(),
  namespace: dnsLabel.optional(),
  createNamespace: bool.optional(),
  publishedPorts: oneOf("NodePort or LoadBalancer", PUBLISHED_PORT_TYPES).optional(),
  storageClassName: nonEmptyString.optional(),
  volumeSize: nonEmptyString.optional(),
});

/**
 * A kubeconfig path as the stack means it: `~` is the home directory (as the provider
 * reads it), and a relative path is read from the stack files' directory, since the
 * provider would read it from its own working directory, which is not the user's.
 */
function resolveKubeconfigPath(value: string, baseDir: string): string {
  if (value === "~" || value.startsWith("~/")) return join(homedir(), value.slice(1));
  return resolve(baseDir, value);
}

/** A kubeconfig given inline rather than as a path: it holds credentials. */
export function isKubeconfigContent(value: string): boolean {
  return value.includes("\n") || /^\s*(apiVersion|\{)/.test(value);
}

const secretValue = parsed((value): string => {
  if (typeof value !== "string") throw new ValueProblem(`expected a string, got ${describeKind(value)}`);
  return value;
});

/** Every key of the namespace, with how its raw text is read. */
const KEYS = {
  compose: { schema: composeSchema, json: true },
  environment: { schema: oneOf("environment", ENVIRONMENTS), json: false },
  target: { schema: oneOf("target", TARGET_NAMES), json: false },
  docker: { schema: dockerSchema, json: true },
  cluster: { schema: clusterSchema, json: true },
  registry: { schema: registrySchema, json: true },
  kubernetes: { schema: kubernetesSchema, json: true },
  services: { schema: mappingOf(serviceOverrideSchema), json: true },
  secrets: { schema: mappingOf(secretValue), json: true },
  publicHost: { schema: nonEmptyString, json: false },
  jobTimeoutSeconds: { schema: integer({ min: 1 }), json: true },
} as const;

type KeyName = keyof typeof KEYS;
type Parsed<K extends KeyName> = z.output<(typeof KEYS)[K]["schema"]>;

export type ComposeSettings = Parsed<"compose">;
export type { ServiceOverride };
export interface HetznerProvisioner {
  type: "hetzner";
  settings: HetznerSettings;
  /** Secret from which each server's SSH host key is derived. Never log it. */
  hostKeySeed: string;
}

export interface ClusterSettings {
  /** Existing hosts, validated. */
  inventory?: HostSpec[];
  /** A provisioner that creates the hosts. */
  provisioner?: HetznerProvisioner;
  allowEvenManagers?: boolean;
  allowMoreThanSevenManagers?: boolean;
}

export interface StackConfig {
  stack: string;
  environment: EnvironmentTier;
  compose: ComposeSettings;
  target: Target;
  docker?: Parsed<"docker">;
  cluster?: ClusterSettings;
  registry?: Parsed<"registry">;
  /** The kubernetes target's cluster and settings. */
  kubernetes?: Parsed<"kubernetes">;
  services: Record<string, ServiceOverride>;
  /** Compose secret key -> content. Never log these. */
  secrets: Record<string, string>;
  publicHost?: string;
  jobTimeoutSeconds?: number;
}

/** Keys whose values must be set with `pulumi config set --secret`. */
const SECRET_FIELDS: { key: KeyName; path: string[]; hint: string }[] = [
  { key: "secrets", path: [], hint: "pulumi config set --secret --path 'secrets.<name>' <value>" },
  { key: "registry", path: ["password"], hint: "pulumi config set --secret --path 'registry.password' <value>" },
];

export interface StackConfigInput {
  stack: string;
  /** Every configuration value as Pulumi hands it to the program (full keys, raw text). */
  values: Readonly<Record<string, string>>;
  /** Full keys whose values are secrets. */
  secretKeys: ReadonlySet<string>;
  /** The stack file, for positions in messages. */
  file?: StackConfigFile;
  /**
   * Where a relative path in the settings is read from (the stack files' directory, as
   * for compose files); without it such paths are left as written.
   */
  baseDir?: string;
}

export { StackConfigError };

/** Positions issues in the stack file; paths are written `<namespace>:<key>.<path>`. */
export class ConfigIssues {
  private readonly list: ComposeIssue[] = [];
  private readonly locate;
  private readonly display: string;

  private readonly input: Pick<StackConfigInput, "stack" | "file">;

  constructor(input: Pick<StackConfigInput, "stack" | "file">) {
    this.input = input;
    this.locate = configLocator(input.file);
    this.display = input.file?.display ?? `Pulumi.${input.stack}.yaml`;
  }

  add(key: string, path: readonly PathSegment[], message: string): void {
    const fullKey = `${CONFIG_NAMESPACE}:${key}`;
    const position = this.locate([fullKey, ...path]);
    const rest = formatPath(path);
    const dotted = rest === "" ? fullKey : rest.startsWith("[") ? `${fullKey}${rest}` : `${fullKey}.${rest}`;
    this.list.push({ file: this.display, line: position?.line, col: position?.col, path: dotted, message });
  }

  get count(): number {
    return this.list.length;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new StackConfigError(this.list);
  }
}

/** The validated configuration, or a StackConfigError listing every problem. */
export function readStackConfig(input: StackConfigInput): StackConfig {
  const issues = new ConfigIssues(input);
  const prefix = `${CONFIG_NAMESPACE}:`;
  const known = Object.keys(KEYS);
  const parsedValues: Partial<Record<KeyName, unknown>> = {};

  for (const [fullKey, raw] of Object.entries(input.values)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    if (!(key in KEYS)) {
      issues.add(key, [], unknownKeyMessage(key, known));
      continue;
    }
    const spec = KEYS[key as KeyName];
    const secret = input.secretKeys.has(fullKey);
    const value = spec.json ? decodeJson(raw) : raw;
    const result = spec.schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) issues.add(key, issuePath(issue), secret ? withoutValues(issue.message) : issue.message);
      continue;
    }
    parsedValues[key as KeyName] = result.data;
  }

  const rawCluster = parsedValues.cluster as Parsed<"cluster"> | undefined;
  if (rawCluster !== undefined && !input.secretKeys.has(`${prefix}cluster`) && containsKey(rawCluster.inventory, "privateKey")) {
    issues.add(
      "cluster",
      ["inventory"],
      "holds an SSH private key in plain text: set it with `pulumi config set --secret --path 'cluster.inventory.defaults.privateKey' \"$(cat KEY_FILE)\"`",
    );
  }
  const cluster = rawCluster === undefined ? undefined : readCluster(rawCluster, input, issues);

  for (const field of SECRET_FIELDS) {
    const value = parsedValues[field.key];
    if (value === undefined || input.secretKeys.has(prefix + field.key)) continue;
    if (field.path.length === 0 || valueAt(value, field.path) !== undefined) {
      issues.add(field.key, field.path, `holds a secret in plain text: set it with \`${field.hint}\``);
    }
  }

  const environment = (parsedValues.environment as EnvironmentTier | undefined) ?? tierFromStackName(input.stack);
  if (environment === undefined && !(`${prefix}environment` in input.values)) {
    issues.add("environment", [], `is required for stack "${input.stack}": set dev, staging or prod (it selects the policy rules)`);
  }
  if (!(`${prefix}compose` in input.values)) issues.add("compose", [], "is required: the compose files of the application (compose.files)");
  if (!(`${prefix}target` in input.values)) issues.add("target", [], "is required: engine (one Docker engine), swarm or kubernetes");

  const target = parsedValues.target as StackConfig["target"] | undefined;
  const docker = parsedValues.docker as StackConfig["docker"];
  if (cluster !== undefined && docker !== undefined) issues.add("cluster", [], "set either docker (one existing endpoint) or cluster, not both");
  if (cluster !== undefined && target !== undefined && target !== "swarm") issues.add("cluster", [], "a cluster runs the swarm target: set target to swarm");
  const kubernetes = parsedValues.kubernetes as StackConfig["kubernetes"];
  if (kubernetes !== undefined && target !== undefined && target !== "kubernetes") issues.add("kubernetes", [], "applies to the kubernetes target only: set target to kubernetes, or remove it");
  if (kubernetes?.kubeconfig !== undefined && isKubeconfigContent(kubernetes.kubeconfig) && !input.secretKeys.has(`${prefix}kubernetes`)) {
    issues.add("kubernetes", ["kubeconfig"], "holds a kubeconfig (credentials) in plain text: set it with `pulumi config set --secret --path 'kubernetes.kubeconfig' \"$(cat KUBECONFIG_FILE)\"`, or give its path");
  }
  const kubeconfigPath = kubernetes?.kubeconfig !== undefined && !isKubeconfigContent(kubernetes.kubeconfig) && input.baseDir !== undefined
    ? resolveKubeconfigPath(kubernetes.kubeconfig, input.baseDir)
    : undefined;
  if (kubeconfigPath !== undefined && !existsSync(kubeconfigPath)) {
    issues.add("kubernetes", ["kubeconfig"], `no kubeconfig at ${kubeconfigPath}${isAbsolute(kubernetes!.kubeconfig!) || kubernetes!.kubeconfig!.startsWith("~") ? "" : ` (a relative path is read from ${input.baseDir})`}`);
  }

  issues.throwIfAny();
  return {
    stack: input.stack,
    environment: environment!,
    compose: parsedValues.compose as ComposeSettings,
    target: target!,
    docker,
    cluster,
    registry: parsedValues.registry as StackConfig["registry"],
    kubernetes: kubeconfigPath === undefined ? kubernetes : { ...kubernetes, kubeconfig: kubeconfigPath },
    services: (parsedValues.services as Record<string, ServiceOverride> | undefined) ?? {},
    secrets: (parsedValues.secrets as Record<string, string> | undefined) ?? {},
    publicHost: parsedValues.publicHost as string | undefined,
    jobTimeoutSeconds: parsedValues.jobTimeoutSeconds as number | undefined,
  };
}

const PROVISIONERS = ["hetzner"];

function readCluster(raw: Parsed<"cluster">, input: StackConfigInput, issues: ConfigIssues): ClusterSettings {
  const cluster: ClusterSettings = { allowEvenManagers: raw.allowEvenManagers, allowMoreThanSevenManagers: raw.allowMoreThanSevenManagers };
  const hostIssues = (prefix: PathSegment[], read: () => void) => {
    try {
      read();
    } catch (error) {
      if (!(error instanceof HostConfigError)) throw error;
      for (const issue of error.issues) issues.add("cluster", [...prefix, ...issue.path], issue.message);
    }
  };
  if (raw.inventory !== undefined) {
    hostIssues(["inventory"], () => {
      cluster.inventory = parseInventory(raw.inventory, { file: "", root: "" });
    });
  }
  const provisioner = raw.provisioner;
  if (provisioner !== undefined) {
    if (!PROVISIONERS.includes(provisioner.type)) {
      issues.add("cluster", ["provisioner", "type"], `unknown provisioner "${provisioner.type}": expected one of ${PROVISIONERS.map((name) => `"${name}"`).join(", ")}`);
      return cluster;
    }
    const { hostKeySeed, ...options } = provisioner.options;
    if (typeof hostKeySeed !== "string" || hostKeySeed === "") {
      issues.add(
        "cluster",
        ["provisioner", "hostKeySeed"],
        "is required: a secret the servers' SSH host keys are derived from: pulumi config set --secret --path 'cluster.provisioner.hostKeySeed' \"$(openssl rand -hex 32)\"",
      );
    } else if (!input.secretKeys.has(`${CONFIG_NAMESPACE}:cluster`)) {
      issues.add("cluster", ["provisioner", "hostKeySeed"], "holds a secret in plain text: set it with `pulumi config set --secret --path 'cluster.provisioner.hostKeySeed' <value>`");
    }
    hostIssues(["provisioner"], () => {
      const settings = parseHetznerSettings(options, { file: "", root: "" });
      if (typeof hostKeySeed === "string") cluster.provisioner = { type: "hetzner", settings, hostKeySeed };
    });
  }
  checkManagerCount(input.stack, cluster, issues);
  return cluster;
}

/** Raft's manager-count rules (infra/hosts/quorum.ts), positioned in the stack file before anything runs. */
function checkManagerCount(stack: string, cluster: ClusterSettings, issues: ConfigIssues): void {
  const [where, hosts] = cluster.inventory !== undefined
    ? [["inventory"], cluster.inventory]
    : [["provisioner", "servers"], cluster.provisioner?.settings.servers];
  if (hosts === undefined) return;
  const quorum = checkQuorum(stack, hosts.map((host) => ({ name: host.name, role: host.role, availability: "active" as const })), cluster);
  for (const error of quorum.errors) issues.add("cluster", where, error);
}

function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKey(item, key));
  if (!isMapping(value)) return false;
  return Object.entries(value).some(([name, item]) => (name === key && item !== undefined) || containsKey(item, key));
}

/** Pulumi hands objects, numbers and booleans to the program as JSON text. */
function decodeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function issuePath(issue: z.core.$ZodIssue): PathSegment[] {
  return issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
}

/** A message about a key holding secrets: unknown-key messages name keys only; others drop quoted values. */
function withoutValues(message: string): string {
  if (message.startsWith("unknown key")) return message;
  return message.replace(/"[^"]*"/g, "(value hidden)");
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (!isMapping(current)) return undefined;
    current = current[segment];
  }
  return current;
}
