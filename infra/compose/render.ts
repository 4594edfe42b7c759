/**
 * The canonical model printed as `docker compose config` prints it (compose-go v2.9.1
 * `Project.MarshalJSON` / `MarshalYAML`): struct fields in Go declaration order with
 * their `omitempty` rules, maps sorted by key, durations as Go duration strings, byte
 * sizes as decimal strings, file modes in octal, `command`/`entrypoint` always present
 * in JSON, extensions only at the top level in JSON but everywhere in YAML.
 *
 * Keys this table does not know are kept (sorted, after the known ones) rather than
 * dropped, so nothing the model holds is silently lost from the output.
 */
import { Document, isScalar, visit } from "yaml";
import { resolvePlainScalar } from "./parse.ts";
import { compareYamlKeys, escapeLikeGoJson, formatFileMode, formatGoDuration } from "./go-format.ts";
import { compareStrings, isTree, sortedKeys, type Tree } from "./tree.ts";

export type RenderFormat = "json" | "yaml";

/** Marks a key whose value is omitted from the output. */
const OMIT = Symbol("omit");
type Encoded = unknown | typeof OMIT;
type Encoder = (value: unknown, format: RenderFormat) => Encoded;

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === "" ||
  value === false ||
  value === 0 ||
  (Array.isArray(value) && value.length === 0) ||
  (isTree(value) && Object.keys(value).length === 0);

/** A Go field with `omitempty` holding a plain value (string, number, bool, []string). */
const plain: Encoder = (value) => (isEmpty(value) ? OMIT : value);
/** A Go pointer field: omitted only when absent; a zero value is printed. */
const pointer: Encoder = (value) => (value === undefined || value === null ? OMIT : value);
/** A Go field without omitempty. */
const always: Encoder = (value) => (value === undefined ? null : value);
/** Go `Duration` with omitempty (zero omitted). */
const duration: Encoder = (value) => (typeof value === "number" && value !== 0 ? formatGoDuration(value) : OMIT);
/** Go `*Duration` (zero printed as "0s"). */
const durationPointer: Encoder = (value) => (typeof value === "number" ? formatGoDuration(value) : OMIT);
/** Go `UnitBytes` (int64 printed as a decimal string). */
const bytes: Encoder = (value) => (typeof value === "number" && value !== 0 ? String(value) : OMIT);
const fileMode: Encoder = (value) => (typeof value === "number" ? formatFileMode(value) : value === undefined ? OMIT : value);
/** map[string]string: sorted keys. */
const stringMap: Encoder = (value, format) => (isTree(value) && Object.keys(value).length > 0 ? sortTree(value, format) : OMIT);
/** map[string]*string: sorted keys, nulls kept. */
const nullableMap: Encoder = stringMap;

const struct =
  (fields: FieldTable, options: { alwaysInJson?: boolean; pointer?: boolean } = {}): Encoder =>
  (value, format) => {
    if (value === undefined || value === null) {
      if (options.pointer) return OMIT;
      if (format === "json" && options.alwaysInJson) return {};
      return OMIT;
    }
    if (!isTree(value)) return value;
    const encoded = encodeStruct(value, fields, format);
    if (!options.pointer && Object.keys(encoded).length === 0 && !(format === "json" && options.alwaysInJson)) return OMIT;
    return encoded;
  };

const listOf =
  (item: Encoder): Encoder =>
  (value, format) => {
    if (!Array.isArray(value) || value.length === 0) return OMIT;
    return value.map((entry) => {
      const encoded = item(entry, format);
      return encoded === OMIT ? {} : encoded;
    });
  };

const mapOf =
  (item: Encoder): Encoder =>
  (value, format) => {
    if (!isTree(value) || Object.keys(value).length === 0) return OMIT;
    const out: Tree = {};
    for (const key of mapKeys(value, format)) {
      const encoded = item(value[key], format);
      out[key] = encoded === OMIT ? null : encoded;
    }
    return out;
  };

type FieldTable = ReadonlyArray<readonly [string, Encoder]>;

/** A Go map's keys in the order the format's encoder writes them (JSON: bytes; YAML: go-yaml's own order). */
function mapKeys(tree: Tree, format: RenderFormat): string[] {
  return format === "json" ? sortedKeys(tree) : Object.keys(tree).sort(compareYamlKeys);
}

function sortTree(tree: Tree, format: RenderFormat): Tree {
  const out: Tree = {};
  for (const key of mapKeys(tree, format)) out[key] = tree[key];
  return out;
}

/** Free-form data (extensions, keys the tables do not know) is a Go `map[string]any`: its keys print sorted, at every depth. */
function sortDeep(value: unknown, format: RenderFormat): unknown {
  if (Array.isArray(value)) return value.map((item) => sortDeep(item, format));
  if (!isTree(value)) return value;
  const out: Tree = {};
  for (const key of mapKeys(value, format)) out[key] = sortDeep(value[key], format);
  return out;
}

function encodeStruct(value: Tree, fields: FieldTable, format: RenderFormat): Tree {
  const out: Tree = {};
  const known = new Set<string>();
  for (const [key, encoder] of fields) {
    known.add(key);
    const encoded = encoder(value[key], format);
    if (encoded !== OMIT) out[key] = encoded;
  }
  const extensions: string[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(value)) {
    if (known.has(key) || value[key] === undefined) continue;
    (key.startsWith("x-") ? extensions : unknown).push(key);
  }
  for (const key of unknown.sort(compareStrings)) out[key] = sortDeep(value[key], format);
  // Go keeps extensions out of JSON (`json:"-"`) but inlines them in YAML.
  if (format === "yaml") for (const key of extensions.sort(compareYamlKeys)) out[key] = sortDeep(value[key], format);
  return out;
}

const hosts: Encoder = (value) => {
  const list: string[] = [];
  if (Array.isArray(value)) {
    for (const entry of value) if (typeof entry === "string") list.push(entry.replace(/^([^:=]+)[:=]/, "$1="));
  } else if (isTree(value)) {
    for (const [host, ips] of Object.entries(value)) {
      for (const ip of Array.isArray(ips) ? ips : [ips]) list.push(`${host}=${String(ip)}`);
    }
  }
  return list.length === 0 ? OMIT : list.sort(compareStrings);
};

/** build.ssh is held as id -> path (null: use the agent) and printed as ["default", "id=path"]. */
const sshKeys: Encoder = (value) => {
  if (!isTree(value) || Object.keys(value).length === 0) return OMIT;
  return Object.entries(value).map(([id, path]) => (typeof path === "string" && path !== "" ? `${id}=${path}` : id));
};

const envFiles: Encoder = (value) => {
  if (!Array.isArray(value) || value.length === 0) return OMIT;
  return value.map((entry) => {
    if (!isTree(entry)) return entry;
    const required = entry.required !== false;
    if (required && (entry.format === undefined || entry.format === "")) return entry.path;
    const out: Tree = { path: entry.path, required };
    if (entry.format !== undefined && entry.format !== "") out.format = entry.format;
    return out;
  });
};

const ulimit: Encoder = (value) => {
  if (typeof value === "number") return value;
  if (!isTree(value)) return value;
  if (typeof value.single === "number" && value.single !== 0) return value.single;
  return encodeStruct(value, [["soft", plain], ["hard", plain]], "json");
};

const fileReference = struct([
  ["source", plain],
  ["target", plain],
  ["uid", plain],
  ["gid", plain],
  ["mode", fileMode],
]);

/** compose-go `DeviceCount`: "all" is held as -1. */
const deviceCount: Encoder = (value) => (value === "all" ? -1 : plain(value, "json"));

const deviceRequest = struct([
  ["capabilities", plain],
  ["driver", plain],
  ["count", deviceCount],
  ["device_ids", plain],
  ["options", stringMap],
]);

const resource = struct(
  [
    ["cpus", plain],
    ["memory", bytes],
    ["pids", plain],
    ["devices", listOf(deviceRequest)],
    ["generic_resources", listOf(struct([["discrete_resource_spec", struct([["kind", always], ["value", always]], { pointer: true })]]))],
  ],
  { pointer: true },
);

const updateConfig = struct(
  [
    ["parallelism", pointer],
    ["delay", duration],
    ["failure_action", plain],
    ["monitor", duration],
    ["max_failure_ratio", plain],
    ["order", plain],
  ],
  { pointer: true },
);

const deploy = struct(
  [
    ["mode", plain],
    ["replicas", pointer],
    ["labels", stringMap],
    ["update_config", updateConfig],
    ["rollback_config", updateConfig],
    ["resources", struct([["limits", resource], ["reservations", resource]], { alwaysInJson: true })],
    [
      "restart_policy",
      struct(
        [
          ["condition", plain],
          ["delay", durationPointer],
          ["max_attempts", pointer],
          ["window", durationPointer],
        ],
        { pointer: true },
      ),
    ],
    [
      "placement",
      struct(
        [
          ["constraints", plain],
          ["preferences", listOf(struct([["spread", plain]]))],
          ["max_replicas_per_node", plain],
        ],
        { alwaysInJson: true },
      ),
    ],
    ["endpoint_mode", plain],
  ],
  { pointer: true },
);

const build = struct(
  [
    ["context", plain],
    ["dockerfile", plain],
    ["dockerfile_inline", plain],
    ["entitlements", plain],
    ["args", nullableMap],
    ["provenance", plain],
    ["sbom", plain],
    ["ssh", sshKeys],
    ["labels", stringMap],
    ["cache_from", plain],
    ["cache_to", plain],
    ["no_cache", plain],
    ["no_cache_filter", plain],
    ["additional_contexts", stringMap],
    ["pull", plain],
    ["extra_hosts", hosts],
    ["isolation", plain],
    ["network", plain],
    ["target", plain],
    ["secrets", listOf(fileReference)],
    ["shm_size", bytes],
    ["tags", plain],
    ["ulimits", mapOf(ulimit)],
    ["platforms", plain],
    ["privileged", plain],
  ],
  { pointer: true },
);

const healthcheck = struct(
  [
    ["test", plain],
    ["timeout", durationPointer],
    ["interval", durationPointer],
    ["retries", pointer],
    ["start_period", durationPointer],
    ["start_interval", durationPointer],
    ["disable", plain],
  ],
  { pointer: true },
);

const serviceVolume = struct([
  ["type", plain],
  ["source", plain],
  ["target", plain],
  ["read_only", plain],
  ["consistency", plain],
  ["bind", struct([["selinux", plain], ["propagation", plain], ["create_host_path", plain], ["recursive", plain]], { pointer: true })],
  ["volume", struct([["labels", stringMap], ["nocopy", plain], ["subpath", plain]], { pointer: true })],
  ["tmpfs", struct([["size", bytes], ["mode", plain]], { pointer: true })],
  ["image", struct([["subpath", plain]], { pointer: true })],
]);

const servicePort = struct([
  ["name", plain],
  ["mode", plain],
  ["host_ip", plain],
  ["target", plain],
  ["published", plain],
  ["protocol", plain],
  ["app_protocol", plain],
]);

const serviceNetwork = struct(
  [
    ["aliases", plain],
    ["driver_opts", stringMap],
    ["gw_priority", plain],
    ["interface_name", plain],
    ["ipv4_address", plain],
    ["ipv6_address", plain],
    ["link_local_ips", plain],
    ["mac_address", plain],
    ["priority", plain],
  ],
  { pointer: true },
);

const dependency = struct([
  ["condition", plain],
  ["restart", plain],
  ["required", (value) => value !== false],
]);

const command: Encoder = (value, format) => (format === "json" ? always(value, format) : pointer(value, format));

/** A Go string without omitempty: printed even when empty. */
const text: Encoder = (value) => (value === undefined || value === null ? "" : value);

const HOOK_FIELDS: FieldTable = [
  ["command", command],
  ["user", plain],
  ["privileged", plain],
  ["working_dir", plain],
  ["environment", nullableMap],
];

/**
 * compose-go `ServiceHook`, held by value: encoding/json never omits a struct, so JSON
 * always prints one (`{"command": null}` when unset); YAML omits a zero one.
 */
const hook: Encoder = (value, format) =>
  format === "json" ? encodeStruct(isTree(value) ? value : {}, HOOK_FIELDS, format) : struct(HOOK_FIELDS)(value, format);

const develop = struct(
  [
    [
      "watch",
      listOf(
        struct([
          ["path", text],
          ["action", text],
          ["target", plain],
          ["exec", hook],
          ["include", plain],
          ["ignore", plain],
          ["initial_sync", plain],
        ]),
      ),
    ],
  ],
  { pointer: true },
);

const SERVICE_FIELDS: FieldTable = [
  ["profiles", plain],
  ["annotations", stringMap],
  ["attach", pointer],
  ["build", build],
  ["develop", develop],
  ["blkio_config", pointer],
  ["cap_add", plain],
  ["cap_drop", plain],
  ["cgroup_parent", plain],
  ["cgroup", plain],
  ["cpu_count", plain],
  ["cpu_percent", plain],
  ["cpu_period", plain],
  ["cpu_quota", plain],
  ["cpu_rt_period", plain],
  ["cpu_rt_runtime", plain],
  ["cpus", plain],
  ["cpuset", plain],
  ["cpu_shares", plain],
  ["command", command],
  ["configs", listOf(fileReference)],
  ["container_name", plain],
  ["credential_spec", struct([["config", plain], ["file", plain], ["registry", plain]], { pointer: true })],
  ["depends_on", mapOf(dependency)],
  ["deploy", deploy],
  ["device_cgroup_rules", plain],
  ["devices", listOf(struct([["source", plain], ["target", plain], ["permissions", plain]]))],
  ["dns", plain],
  ["dns_opt", plain],
  ["dns_search", plain],
  ["dockerfile", plain],
  ["domainname", plain],
  ["entrypoint", command],
  ["provider", struct([["type", plain], ["options", mapOf(plain)]], { pointer: true })],
  ["environment", nullableMap],
  ["env_file", envFiles],
  ["expose", (value) => (Array.isArray(value) && value.length > 0 ? value.map(String) : OMIT)],
  ["extends", struct([["file", plain], ["service", plain]], { pointer: true })],
  ["external_links", plain],
  ["extra_hosts", hosts],
  ["group_add", plain],
  ["gpus", (value, format) => listOf(deviceRequest)(value === "all" ? [{ count: "all" }] : value, format)],
  ["hostname", plain],
  ["healthcheck", healthcheck],
  ["image", plain],
  ["init", pointer],
  ["ipc", plain],
  ["isolation", plain],
  ["labels", stringMap],
  ["label_file", plain],
  ["links", plain],
  ["logging", struct([["driver", plain], ["options", stringMap]], { pointer: true })],
  ["log_driver", plain],
  ["log_opt", stringMap],
  ["mem_limit", bytes],
  ["mem_reservation", bytes],
  ["memswap_limit", bytes],
  ["mem_swappiness", bytes],
  ["mac_address", plain],
  ["models", pointer],
  ["net", plain],
  ["network_mode", plain],
  ["networks", mapOf(serviceNetwork)],
  ["oom_kill_disable", plain],
  ["oom_score_adj", plain],
  ["pid", plain],
  ["pids_limit", plain],
  ["platform", plain],
  ["ports", listOf(servicePort)],
  ["privileged", plain],
  ["pull_policy", plain],
  ["read_only", plain],
  ["restart", plain],
  ["runtime", plain],
  ["scale", pointer],
  ["secrets", listOf(fileReference)],
  ["security_opt", plain],
  ["shm_size", bytes],
  ["stdin_open", plain],
  ["stop_grace_period", durationPointer],
  ["stop_signal", plain],
  ["storage_opt", stringMap],
  ["sysctls", stringMap],
  ["tmpfs", plain],
  ["tty", plain],
  ["ulimits", mapOf(ulimit)],
  ["use_api_socket", plain],
  ["user", plain],
  ["userns_mode", plain],
  ["uts", plain],
  ["volume_driver", plain],
  ["volumes", listOf(serviceVolume)],
  ["volumes_from", plain],
  ["working_dir", plain],
  ["post_start", listOf(hook)],
  ["pre_stop", listOf(hook)],
];

const NETWORK_FIELDS: FieldTable = [
  ["name", plain],
  ["driver", plain],
  ["driver_opts", stringMap],
  [
    "ipam",
    struct(
      [
        ["driver", plain],
        [
          "config",
          listOf(struct([["subnet", plain], ["gateway", plain], ["ip_range", plain], ["aux_addresses", stringMap]], { pointer: true })),
        ],
        ["options", stringMap],
      ],
      { alwaysInJson: true },
    ),
  ],
  ["external", plain],
  ["internal", plain],
  ["attachable", plain],
  ["labels", stringMap],
  ["enable_ipv4", pointer],
  ["enable_ipv6", pointer],
];

const MODEL_FIELDS: FieldTable = [
  ["name", plain],
  ["model", plain],
  ["context_size", plain],
  ["runtime_flags", plain],
];

const VOLUME_FIELDS: FieldTable = [
  ["name", plain],
  ["driver", plain],
  ["driver_opts", stringMap],
  ["external", plain],
  ["labels", stringMap],
];

const fileObjectFields = (withContent: (entry: Tree) => boolean): Encoder => (value, format) => {
  const entry = isTree(value) ? value : {};
  const fields: FieldTable = [
    ["name", plain],
    ["file", plain],
    ["environment", plain],
    ["content", (content) => (withContent(entry) ? plain(content, format) : OMIT)],
    ["external", plain],
    ["labels", stringMap],
    ["driver", plain],
    ["driver_opts", stringMap],
    ["template_driver", plain],
  ];
  return encodeStruct(entry, fields, format);
};

/** Secret contents are never printed; a config's content is, unless it came from the environment. */
const secretObject = fileObjectFields(() => false);
const configObject = fileObjectFields((entry) => entry.environment === undefined || entry.environment === "");

function renderSection(value: unknown, encode: (entry: unknown, format: RenderFormat) => unknown, format: RenderFormat): Tree | undefined {
  if (!isTree(value) || Object.keys(value).length === 0) return undefined;
  const out: Tree = {};
  for (const key of mapKeys(value, format)) out[key] = encode(value[key] ?? {}, format);
  return out;
}

/** The model as compose-go's Go structures would hold it, keys in output order. */
export function toGoShape(model: Tree, format: RenderFormat): Tree {
  const service = (entry: unknown, fmt: RenderFormat) => encodeStruct(isTree(entry) ? entry : {}, SERVICE_FIELDS, fmt);
  const network = (entry: unknown, fmt: RenderFormat) => encodeStruct(isTree(entry) ? entry : {}, NETWORK_FIELDS, fmt);
  const volume = (entry: unknown, fmt: RenderFormat) => encodeStruct(isTree(entry) ? entry : {}, VOLUME_FIELDS, fmt);
  const aiModel = (entry: unknown, fmt: RenderFormat) => encodeStruct(isTree(entry) ? entry : {}, MODEL_FIELDS, fmt);
  const sections: Tree = {
    name: model.name ?? "",
    services: renderSection(model.services, service, format) ?? {},
    networks: renderSection(model.networks, network, format),
    volumes: renderSection(model.volumes, volume, format),
    secrets: renderSection(model.secrets, secretObject, format),
    configs: renderSection(model.configs, configObject, format),
    // Project.MarshalJSON writes no models; MarshalYAML does.
    models: format === "json" ? undefined : renderSection(model.models, aiModel, format),
  };
  const extensions = Object.keys(model).filter((key) => key.startsWith("x-")).sort(format === "json" ? compareStrings : compareYamlKeys);
  const out: Tree = {};
  if (format === "json") {
    // Project.MarshalJSON builds a map, so every top-level key is sorted, extensions included.
    for (const key of [...Object.keys(sections), ...extensions].sort(compareStrings)) {
      const value = key.startsWith("x-") ? sortDeep(model[key], format) : sections[key];
      if (value !== undefined) out[key] = value;
    }
  } else {
    for (const [key, value] of Object.entries(sections)) {
      if (value !== undefined && !(key === "name" && value === "")) out[key] = value;
    }
    for (const key of extensions) out[key] = sortDeep(model[key], format);
  }
  return out;
}

/** yaml.v3's `isBase60Float`: YAML 1.1 sexagesimal numbers ("0:0", "1:30"), which go-yaml quotes. */
const BASE_60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** yaml.v3's `isOldBool`: words YAML 1.1 read as booleans, which go-yaml quotes. */
const YAML_11_BOOLEANS = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);

/**
 * The text `docker compose config` prints, byte for byte. Every `$` of the
 * interpolated model is written `$$`, as compose writes it, so the output loads again
 * to the same model instead of being interpolated a second time.
 */
export function renderModel(model: Tree, format: RenderFormat): string {
  return marshal(model, format).replaceAll("$", () => "$$");
}

function marshal(model: Tree, format: RenderFormat): string {
  const shaped = toGoShape(model, format);
  // As docker compose prints them: JSON without a final newline (json.MarshalIndent), YAML with one.
  if (format === "json") return escapeLikeGoJson(JSON.stringify(shaped, null, 2));
  const document = new Document(shaped, { aliasDuplicateObjects: false });
  // Like go-yaml (yaml.v3), double-quote every string (key or value) that would read back
  // as another type, the way compose resolves plain scalars ("0_" and "0x1F" are numbers
  // there), and the YAML 1.1 booleans (yes, no, on, Y, ...); other strings are plain where
  // YAML allows, else single-quoted (singleQuote), and multi-line ones literal blocks.
  visit(document, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== "string") return;
      if (resolvePlainScalar(node.value) !== node.value || YAML_11_BOOLEANS.has(node.value) || BASE_60_FLOAT.test(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  return document.toString({ indent: 2, indentSeq: true, lineWidth: 0, singleQuote: true });
}
