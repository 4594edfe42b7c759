import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { readStackConfig, StackConfigError, type StackConfigInput } from "../../../stacks/config.ts";

const NS = "compose-pulumi";

/** The stack file as a person writes it, and the values Pulumi hands the program for it. */
function input(stack: string, values: Record<string, unknown>, options: { secret?: string[]; text?: string } = {}): StackConfigInput {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) raw[`${NS}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  return {
    stack,
    values: raw,
    secretKeys: new Set((options.secret ?? []).map((key) => `${NS}:${key}`)),
    file: options.text === undefined ? undefined : { display: `stacks/Pulumi.${stack}.yaml`, text: options.text },
  };
}

function messages(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StackConfigError, `expected StackConfigError, got ${String(error)}`);
    return error.message.split("\n");
  }
  assert.fail("expected the configuration to be rejected");
}

const minimal = { target: "engine", compose: { files: ["apps/wordpress/compose.yaml"] } };

test("a minimal dev stack: environment from the stack name, empty overrides and secrets", () => {
  const config = readStackConfig(input("dev", minimal));
  assert.deepEqual(config, {
    stack: "dev",
    environment: "dev",
    compose: { files: ["apps/wordpress/compose.yaml"] },
    target: "engine",
    docker: undefined,
    cluster: undefined,
    registry: undefined,
    kubernetes: undefined,
    services: {},
    secrets: {},
    publicHost: undefined,
    jobTimeoutSeconds: undefined,
  });
});

test("kubernetes: the cluster's kubeconfig and context, namespace, published-port Service type and storage", () => {
  const kubernetes = { kubeconfig: "~/.kube/prod", context: "prod", namespace: "shop-prod", createNamespace: false, publishedPorts: "LoadBalancer", storageClassName: "fast", volumeSize: "20Gi" };
  const config = readStackConfig(input("prod", { ...minimal, target: "kubernetes", kubernetes }));
  assert.equal(config.target, "kubernetes");
  assert.deepEqual(config.kubernetes, kubernetes);
});

test("kubernetes: a kubeconfig's content must be a secret; the section needs the kubernetes target; values are checked", () => {
  const content = "apiVersion: v1\nkind: Config\nusers: []\n";
  assert.deepEqual(readStackConfig(input("prod", { ...minimal, target: "kubernetes", kubernetes: { kubeconfig: content } }, { secret: ["kubernetes"] })).kubernetes, { kubeconfig: content });
  assert.deepEqual(messages(() => readStackConfig(input("dev", { ...minimal, target: "kubernetes", kubernetes: { kubeconfig: content } }))), [
    "Pulumi.dev.yaml: compose-pulumi:kubernetes.kubeconfig: holds a kubeconfig (credentials) in plain text: set it with `pulumi config set --secret --path 'kubernetes.kubeconfig' \"$(cat KUBECONFIG_FILE)\"`, or give its path",
  ]);
  assert.deepEqual(messages(() => readStackConfig(input("dev", { ...minimal, kubernetes: { namespace: "Shop_1", publishedPorts: "ClusterIP" } }))), [
    'Pulumi.dev.yaml: compose-pulumi:kubernetes.namespace: invalid namespace "Shop_1": lower case letters, digits and "-", at most 63',
    'Pulumi.dev.yaml: compose-pulumi:kubernetes.publishedPorts: invalid NodePort or LoadBalancer "ClusterIP": expected one of "NodePort", "LoadBalancer"',
  ]);
  assert.deepEqual(messages(() => readStackConfig(input("dev", { ...minimal, kubernetes: { namespace: "shop" } }))), [
    "Pulumi.dev.yaml: compose-pulumi:kubernetes: applies to the kubernetes target only: set target to kubernetes, or remove it",
  ]);
});

test("kubernetes: a kubeconfig path is read from the stack files' directory, ~ from the home directory; a missing file is named", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-kubeconfig-"));
  try {
    mkdirSync(join(dir, "stacks"));
    writeFileSync(join(dir, "kubeconfig"), "apiVersion: v1\nkind: Config\n");
    const read = (kubeconfig: string) => readStackConfig({ ...input("dev", { ...minimal, target: "kubernetes", kubernetes: { kubeconfig } }), baseDir: join(dir, "stacks") });
    assert.equal(read("../kubeconfig").kubernetes?.kubeconfig, join(dir, "kubeconfig"));
    assert.equal(read(join(dir, "kubeconfig")).kubernetes?.kubeconfig, join(dir, "kubeconfig"));
    assert.deepEqual(messages(() => read("kubeconfig")), [
      `Pulumi.dev.yaml: compose-pulumi:kubernetes.kubeconfig: no kubeconfig at ${join(dir, "stacks", "kubeconfig")} (a relative path is read from ${join(dir, "stacks")})`,
    ]);
    assert.deepEqual(messages(() => read("~/no-such-kubeconfig-here")), [
      `Pulumi.dev.yaml: compose-pulumi:kubernetes.kubeconfig: no kubeconfig at ${join(homedir(), "no-such-kubeconfig-here")}`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every key is read: overrides in canonical units, secrets, registry, docker endpoint", () => {
  const config = readStackConfig(
    input(
      "staging",
      {
        environment: "staging",
        target: "swarm",
        compose: { files: ["a.yaml", "b.yaml"], envFiles: ["x.env"], profiles: ["debug"], projectName: "shop", projectDirectory: "apps", variables: { PORT: 8080, TAG: "1.2" } },
        docker: { host: "ssh://deploy@203.0.113.5", sshOpts: ["-o", "ConnectTimeout=5"] },
        registry: { server: "registry.example.com", username: "ci", password: "p4ss", insecure: false },
        services: { web: { replicas: 3, tag: "1.2.4", resources: { limits: { cpus: "0.5", memory: "256M", pids: 100 }, reservations: { cpus: 0.25, memory: "128m" } } } },
        secrets: { db_password: "hunter2" },
        publicHost: "shop.example.com",
        jobTimeoutSeconds: "600",
      },
      { secret: ["secrets", "registry"] },
    ),
  );
  assert.equal(config.environment, "staging");
  assert.deepEqual(config.compose.variables, { PORT: "8080", TAG: "1.2" });
  assert.deepEqual(config.docker, { host: "ssh://deploy@203.0.113.5", sshOpts: ["-o", "ConnectTimeout=5"] });
  assert.deepEqual(config.registry, { server: "registry.example.com", username: "ci", password: "p4ss", insecure: false });
  assert.deepEqual(config.services.web, {
    replicas: 3,
    tag: "1.2.4",
    resources: { limits: { cpus: 0.5, memory: 256 * 1024 * 1024, pids: 100 }, reservations: { cpus: 0.25, memory: 128 * 1024 * 1024 } },
  });
  assert.deepEqual(config.secrets, { db_password: "hunter2" });
  assert.equal(config.publicHost, "shop.example.com");
  assert.equal(config.jobTimeoutSeconds, 600);
});

test("errors name the stack file, line and column, and the dotted key; all are reported together", () => {
  const text = [
    "config:",
    "  compose-pulumi:target: nomad",
    "  compose-pulumi:compose:",
    "    files: []",
    "  compose-pulumi:services:",
    "    web:",
    "      replicas: two",
    "      resources:",
    "        limits:",
    "          memory: 12 parsecs",
    "          cpu: 1",
    "  compose-pulumi:targett: swarm",
    "",
  ].join("\n");
  const values = {
    target: "nomad",
    compose: { files: [] },
    services: { web: { replicas: "two", resources: { limits: { memory: "12 parsecs", cpu: 1 } } } },
    targett: "swarm",
  };
  assert.deepEqual(messages(() => readStackConfig(input("dev", values, { text }))), [
    'stacks/Pulumi.dev.yaml:2:3: compose-pulumi:target: invalid target "nomad": expected one of "engine", "swarm", "kubernetes"',
    "stacks/Pulumi.dev.yaml:4:5: compose-pulumi:compose.files: needs at least one compose file",
    'stacks/Pulumi.dev.yaml:7:7: compose-pulumi:services.web.replicas: invalid integer "two"',
    'stacks/Pulumi.dev.yaml:10:11: compose-pulumi:services.web.resources.limits.memory: invalid size "12 parsecs": unknown unit "parsecs" (use b, k, m, g, t or p, optionally followed by "b" or "ib")',
    'stacks/Pulumi.dev.yaml:11:11: compose-pulumi:services.web.resources.limits.cpu: unknown key "cpu" (did you mean "cpus"?)',
    'stacks/Pulumi.dev.yaml:12:3: compose-pulumi:targett: unknown key "targett" (did you mean "target"?)',
  ]);
});

test("required keys: compose and target; environment when the stack name is not dev, staging or prod", () => {
  assert.deepEqual(messages(() => readStackConfig(input("feature-x", {}))), [
    'Pulumi.feature-x.yaml: compose-pulumi:environment: is required for stack "feature-x": set dev, staging or prod (it selects the policy rules)',
    "Pulumi.feature-x.yaml: compose-pulumi:compose: is required: the compose files of the application (compose.files)",
    "Pulumi.feature-x.yaml: compose-pulumi:target: is required: engine (one Docker engine), swarm or kubernetes",
  ]);
  assert.equal(readStackConfig(input("feature-x", { ...minimal, environment: "staging" })).environment, "staging");
});

test("values that must be secret are refused in plain text, naming the command that fixes it", () => {
  assert.deepEqual(messages(() => readStackConfig(input("dev", { ...minimal, secrets: { db_password: "hunter2" }, registry: { server: "r.example.com", password: "p4ss" } }))), [
    "Pulumi.dev.yaml: compose-pulumi:secrets: holds a secret in plain text: set it with `pulumi config set --secret --path 'secrets.<name>' <value>`",
    "Pulumi.dev.yaml: compose-pulumi:registry.password: holds a secret in plain text: set it with `pulumi config set --secret --path 'registry.password' <value>`",
  ]);
});

test("messages about secret values never repeat the value", () => {
  const lines = messages(() =>
    readStackConfig(input("dev", { ...minimal, secrets: { db_password: 42, api_token: ["hunter2-in-a-list"] }, registry: { server: "", password: "hunter2-password" } }, { secret: ["secrets", "registry"] })),
  );
  assert.deepEqual(lines, [
    "Pulumi.dev.yaml: compose-pulumi:secrets.db_password: expected a string, got an integer",
    "Pulumi.dev.yaml: compose-pulumi:secrets.api_token: expected a string, got a list",
    "Pulumi.dev.yaml: compose-pulumi:registry.server: must not be empty",
  ]);
  for (const line of lines) assert.ok(!line.includes("hunter2"), line);
});

test("service overrides: image and tag exclude each other; tags are checked", () => {
  assert.deepEqual(messages(() => readStackConfig(input("dev", { ...minimal, services: { web: { image: "nginx:1.27", tag: "1.28" }, db: { tag: "bad tag" } } }))), [
    "Pulumi.dev.yaml: compose-pulumi:services.web.tag: set either image or tag, not both",
    'Pulumi.dev.yaml: compose-pulumi:services.db.tag: invalid image tag "bad tag": letters, digits, "_", "." and "-", at most 128',
  ]);
});

test("a cluster runs the swarm target, and excludes a docker endpoint", () => {
  const cluster = {
    inventory: {
      defaults: { privateKeyPath: "~/.ssh/id_ed25519" },
      hosts: [{ name: "m1", address: "192.0.2.11", role: "manager", trustOnFirstUse: true }],
    },
  };
  assert.deepEqual(messages(() => readStackConfig(input("prod", { ...minimal, cluster, docker: { host: "unix:///var/run/docker.sock" } }))), [
    "Pulumi.prod.yaml: compose-pulumi:cluster: set either docker (one existing endpoint) or cluster, not both",
    "Pulumi.prod.yaml: compose-pulumi:cluster: a cluster runs the swarm target: set target to swarm",
  ]);
  const config = readStackConfig(input("prod", { ...minimal, target: "swarm", cluster }));
  assert.equal(config.cluster?.inventory?.[0]?.name, "m1");
  assert.equal(config.cluster?.inventory?.[0]?.user, "root");
});

test("inventory problems come from the host inventory's own checks, under compose-pulumi:cluster.inventory", () => {
  const cluster = {
    inventory: {
      hosts: [
        { name: "m1", address: "192.0.2.11", role: "manager", agent: true, trustOnFirstUse: true },
        { name: "m1", address: "192.0.2.12", role: "boss", agent: true, trustOnFirstUse: true },
      ],
    },
  };
  const lines = messages(() => readStackConfig(input("prod", { ...minimal, target: "swarm", cluster })));
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^Pulumi\.prod\.yaml: compose-pulumi:cluster\.inventory\.hosts\[1\]\.role: /);
  const duplicate = messages(() =>
    readStackConfig(input("prod", { ...minimal, target: "swarm", cluster: { inventory: { hosts: [cluster.inventory.hosts[0], { ...cluster.inventory.hosts[0], address: "192.0.2.12" }] } } })),
  );
  assert.deepEqual(duplicate, ['Pulumi.prod.yaml: compose-pulumi:cluster.inventory.hosts[1].name: "m1" is already the name of hosts[0]']);
});

test("an SSH private key or a provisioner seed in a cluster that is not secret is refused", () => {
  const cluster = {
    inventory: { hosts: [{ name: "m1", address: "192.0.2.11", role: "manager", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----", trustOnFirstUse: true }] },
  };
  const lines = messages(() => readStackConfig(input("prod", { ...minimal, target: "swarm", cluster })));
  assert.deepEqual(lines, [
    "Pulumi.prod.yaml: compose-pulumi:cluster.inventory: holds an SSH private key in plain text: set it with `pulumi config set --secret --path 'cluster.inventory.defaults.privateKey' \"$(cat KEY_FILE)\"`",
  ]);
  assert.ok(!lines.join("\n").includes("BEGIN OPENSSH"));
});

test("provisioners: unknown types are named; hetzner settings are checked by the provisioner", () => {
  assert.deepEqual(messages(() => readStackConfig(input("prod", { ...minimal, target: "swarm", cluster: { provisioner: { type: "vsphere" } } }, { secret: ["cluster"] }))), [
    'Pulumi.prod.yaml: compose-pulumi:cluster.provisioner.type: unknown provisioner "vsphere": expected one of "hetzner"',
  ]);
  const lines = messages(() => readStackConfig(input("prod", { ...minimal, target: "swarm", cluster: { provisioner: { type: "hetzner", servers: [] } } }, { secret: ["cluster"] })));
  assert.equal(lines[0], "Pulumi.prod.yaml: compose-pulumi:cluster.provisioner.hostKeySeed: is required: a secret the servers' SSH host keys are derived from: pulumi config set --secret --path 'cluster.provisioner.hostKeySeed' \"$(openssl rand -hex 32)\"");
  assert.ok(lines.slice(1).every((line) => line.startsWith("Pulumi.prod.yaml: compose-pulumi:cluster.provisioner.")), lines.join("\n"));
  assert.ok(lines.some((line) => line.includes("compose-pulumi:cluster.provisioner.servers: ")), lines.join("\n"));
});

test("the committed stack files parse: dev, staging, prod, k8s, k8s-postgres", async () => {
  const { readFileSync } = await import("node:fs");
  const { parse } = await import("yaml");
  const path = await import("node:path");
  const stacksDir = path.resolve(import.meta.dirname, "../../../stacks");
  const environments: Record<string, string> = { dev: "dev", staging: "staging", prod: "prod", k8s: "dev", "k8s-postgres": "dev" };
  for (const [stack, environment] of Object.entries(environments)) {
    const text = readFileSync(path.join(stacksDir, `Pulumi.${stack}.yaml`), "utf8");
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(parse(text).config as Record<string, unknown>)) values[key] = typeof value === "string" ? value : JSON.stringify(value);
    const config = readStackConfig({ stack, values, secretKeys: new Set(), file: { display: `stacks/Pulumi.${stack}.yaml`, text } });
    assert.equal(config.environment, environment);
  }
});

test("an even manager count is refused in the stack file, with Raft's reason, unless allowed", () => {
  const host = (name: string, address: string, role: string) => ({ name, address, role, agent: true, trustOnFirstUse: true });
  const cluster = { inventory: { hosts: [host("m1", "192.0.2.11", "manager"), host("m2", "192.0.2.12", "manager"), host("w1", "192.0.2.13", "worker")] } };
  const lines = messages(() => readStackConfig(input("prod", { ...minimal, target: "swarm", cluster })));
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^Pulumi\.prod\.yaml: compose-pulumi:cluster\.inventory: swarm "prod": 2 managers /);
  assert.match(lines[0], /Use 1 or 3 managers, or set allowEvenManagers/);
  const allowed = readStackConfig(input("prod", { ...minimal, target: "swarm", cluster: { ...cluster, allowEvenManagers: true } }));
  assert.equal(allowed.cluster?.allowEvenManagers, true);
});
