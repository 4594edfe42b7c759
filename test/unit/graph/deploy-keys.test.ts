/**
 * Each deploy key, table-driven in the style of docker/cli's convert/service_test.go: the
 * compose text goes through the real adapter, then through the swarm (and engine) mapping,
 * and the resulting provider inputs are compared field by field.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadComposeText, serviceText } from "./load-text.ts";
import { swarmServiceSpec, type SwarmServiceRefs, ConversionError, convertRestartPolicy, parseNanoCpus } from "../../../infra/graph/targets/swarm/service.ts";
import { engineContainerSpec, replicaCount, type EngineContainerRefs } from "../../../infra/graph/targets/engine/container.ts";
import { checkProject } from "../../../infra/graph/warnings.ts";

const swarmRefs: SwarmServiceRefs = {
  image: "example/app:1",
  imageAsWritten: "example/app:1",
  networkId: (key) => `net:${key}`,
  volumeName: (key) => `vol:${key}`,
  secret: (key) => ({ name: `secret:${key}`, id: `id:${key}` }),
  config: (key) => ({ name: `config:${key}`, id: `id:${key}` }),
};

const engineRefs: EngineContainerRefs = {
  image: "sha256:app",
  networkName: (key) => `net:${key}`,
  volumeName: (key) => `vol:${key}`,
  secretContent: () => undefined,
  configContent: () => undefined,
  containerNameOf: (service) => `demo-${service}-1`,
};

function swarmSpec(deploy: string): any {
  const project = loadComposeText(serviceText(deploy));
  return swarmServiceSpec(project, "app", swarmRefs, { waitForHealthy: false });
}

interface SwarmCase {
  name: string;
  yaml: string;
  /** Dotted path into the docker.Service inputs. */
  field: string;
  expected: unknown;
}

const get = (value: any, dotted: string) => dotted.split(".").reduce((at, key) => (at === undefined ? undefined : at[key]), value);

const swarmCases: SwarmCase[] = [
  { name: "mode-default", yaml: "deploy: {}", field: "mode", expected: { replicated: {} } },
  { name: "mode-replicated-replicas", yaml: "deploy:\n  replicas: 3", field: "mode", expected: { replicated: { replicas: 3 } } },
  { name: "mode-global", yaml: "deploy:\n  mode: global", field: "mode", expected: { global: true } },
  { name: "scale-as-replicas", yaml: "scale: 4", field: "mode", expected: { replicated: { replicas: 4 } } },
  { name: "sysctls-always-sent", yaml: "deploy: {}", field: "taskSpec.containerSpec.sysctl", expected: {} },
  { name: "sysctls", yaml: "sysctls: {net.core.somaxconn: 1024}", field: "taskSpec.containerSpec.sysctl", expected: { "net.core.somaxconn": "1024" } },
  { name: "labels-on-service-not-container", yaml: "labels: {c: d}\ndeploy:\n  labels: {a: b}", field: "labels", expected: [
    { label: "a", value: "b" },
    { label: "com.docker.stack.image", value: "example/app:1" },
    { label: "com.docker.stack.namespace", value: "demo" },
  ] },
  { name: "container-labels", yaml: "labels: {c: d}\ndeploy:\n  labels: {a: b}", field: "taskSpec.containerSpec.labels", expected: [
    { label: "c", value: "d" },
    { label: "com.docker.stack.namespace", value: "demo" },
  ] },
  { name: "endpoint-mode-dnsrr", yaml: "deploy:\n  endpoint_mode: dnsrr", field: "endpointSpec.mode", expected: "dnsrr" },
  { name: "endpoint-mode-unset", yaml: "deploy: {}", field: "endpointSpec.mode", expected: undefined },
  { name: "placement-constraints", yaml: "deploy:\n  placement:\n    constraints: [node.role == manager, node.labels.db == true]", field: "taskSpec.placement", expected: { constraints: ["node.role == manager", "node.labels.db == true"] } },
  { name: "placement-preferences", yaml: "deploy:\n  placement:\n    preferences:\n      - spread: node.labels.az", field: "taskSpec.placement", expected: { prefs: ["spread=node.labels.az"] } },
  { name: "placement-max-replicas", yaml: "deploy:\n  placement:\n    max_replicas_per_node: 2", field: "taskSpec.placement", expected: { maxReplicas: 2 } },
  { name: "resources-full", yaml: "deploy:\n  resources:\n    limits: {cpus: '0.003', memory: 300000000}\n    reservations: {cpus: '0.002', memory: 200000000}", field: "taskSpec.resources", expected: {
    limits: { nanoCpus: 3000000, memoryBytes: 300000000 },
    reservation: { nanoCpus: 2000000, memoryBytes: 200000000 },
  } },
  { name: "resources-only-memory", yaml: "deploy:\n  resources:\n    limits: {memory: 256M}\n    reservations: {memory: 128M}", field: "taskSpec.resources", expected: {
    limits: { memoryBytes: 268435456 },
    reservation: { memoryBytes: 134217728 },
  } },
  { name: "resources-generic", yaml: "deploy:\n  resources:\n    reservations:\n      generic_resources:\n        - discrete_resource_spec: {kind: gpu, value: 2}", field: "taskSpec.resources", expected: {
    reservation: { genericResources: { discreteResourcesSpecs: ["gpu=2"] } },
  } },
  { name: "restart-policy", yaml: "deploy:\n  restart_policy:\n    condition: on-failure\n    delay: 5s\n    max_attempts: 3\n    window: 2m", field: "taskSpec.restartPolicy", expected: { condition: "on-failure", delay: "5s", maxAttempts: 3, window: "2m0s" } },
  { name: "restart-legacy-always", yaml: "restart: always", field: "taskSpec.restartPolicy", expected: { condition: "any", delay: "0s", window: "0s" } },
  { name: "restart-legacy-on-failure-4", yaml: "restart: on-failure:4", field: "taskSpec.restartPolicy", expected: { condition: "on-failure", delay: "0s", maxAttempts: 4, window: "0s" } },
  { name: "restart-legacy-no", yaml: "restart: \"no\"", field: "taskSpec.restartPolicy", expected: undefined },
  { name: "restart-policy-wins", yaml: "restart: always\ndeploy:\n  restart_policy: {condition: none}", field: "taskSpec.restartPolicy", expected: { condition: "none", delay: "0s", window: "0s" } },
  { name: "update-config", yaml: "deploy:\n  update_config:\n    parallelism: 3\n    delay: 10s\n    failure_action: rollback\n    monitor: 1m\n    max_failure_ratio: 0.3\n    order: start-first", field: "updateConfig", expected: {
    parallelism: 3, delay: "10s", failureAction: "rollback", monitor: "1m0s", maxFailureRatio: "0.3", order: "start-first",
  } },
  { name: "update-config-default-parallelism", yaml: "deploy:\n  update_config:\n    order: stop-first", field: "updateConfig", expected: { parallelism: 1, order: "stop-first" } },
  { name: "update-config-unset", yaml: "deploy: {}", field: "updateConfig", expected: undefined },
  { name: "rollback-config", yaml: "deploy:\n  rollback_config:\n    parallelism: 2\n    failure_action: pause\n    order: stop-first", field: "rollbackConfig", expected: { parallelism: 2, failureAction: "pause", order: "stop-first" } },
];

describe("deploy keys on the swarm target (docker/cli convert semantics)", () => {
  for (const c of swarmCases) {
    test(c.name, () => {
      assert.deepEqual(get(swarmSpec(c.yaml), c.field), c.expected);
    });
  }

  test("global with replicas is refused by the adapter before the graph", () => {
    assert.throws(() => swarmSpec("deploy:\n  mode: global\n  replicas: 2"), /"replicas" cannot be used with deploy mode "global"/);
  });

  test("cpus more precise than a nano CPU are refused like opts.ParseCPUs", () => {
    assert.throws(() => parseNanoCpus(0.0000000001), (error: unknown) => error instanceof ConversionError && error.message === "cpus 1e-10: value is too precise");
    assert.equal(parseNanoCpus(1.5), 1500000000);
    assert.equal(parseNanoCpus(0.0001), 100000);
  });

  test("an unknown legacy restart policy is an error naming the allowed ones", () => {
    assert.throws(
      () => convertRestartPolicy("sometimes", undefined),
      { message: "invalid restart policy: unknown policy 'sometimes' (must be one of 'no', 'always', 'on-failure', or 'unless-stopped')" },
    );
  });
});

interface EngineCase {
  name: string;
  yaml: string;
  /** Fields of replica 1's docker.Container inputs. */
  expected: Record<string, unknown>;
  replicas?: number;
  warnings?: string[];
}

const engineCases: EngineCase[] = [
  { name: "replicas", yaml: "deploy:\n  replicas: 3", expected: { name: "demo-app-1" }, replicas: 3 },
  { name: "scale", yaml: "scale: 2", expected: {}, replicas: 2 },
  { name: "resources-limits", yaml: "deploy:\n  resources:\n    limits: {cpus: '1.5', memory: 256M}", expected: { cpus: "1.5", memory: 256, memorySwap: 512 } },
  // dockerd stores twice the memory as the swap limit when only the memory is given; declaring
  // that keeps the first preview after `up` from showing a swap change.
  { name: "mem-limit-swap-default", yaml: "mem_limit: 128M", expected: { memory: 128, memorySwap: 256 } },
  { name: "memswap-limit", yaml: "mem_limit: 128M\nmemswap_limit: 1G", expected: { memory: 128, memorySwap: 1024 } },
  { name: "memswap-limit-unlimited", yaml: "mem_limit: 128M\nmemswap_limit: -1", expected: { memory: 128, memorySwap: -1 } },
  { name: "memswap-limit-zero-is-unset", yaml: "mem_limit: 128M\nmemswap_limit: 0", expected: { memory: 128, memorySwap: 256 } },
  { name: "no-memory-no-swap", yaml: "deploy:\n  resources:\n    limits: {cpus: '0.5'}", expected: { memory: undefined, memorySwap: undefined } },
  { name: "resources-reservations", yaml: "deploy:\n  resources:\n    reservations: {memory: 64M}", expected: { memoryReservation: 64 } },
  { name: "restart-policy-on-failure", yaml: "deploy:\n  restart_policy: {condition: on-failure, max_attempts: 2}", expected: { restart: "on-failure", maxRetryCount: 2 } },
  { name: "restart-policy-any", yaml: "deploy:\n  restart_policy: {condition: any}", expected: { restart: "always" } },
  { name: "restart-policy-none", yaml: "deploy:\n  restart_policy: {condition: none}", expected: { restart: "no" } },
  { name: "restart-default", yaml: "deploy: {}", expected: { restart: "no" } },
  {
    name: "swarm-only-keys-warn",
    yaml: "deploy:\n  update_config: {parallelism: 1}\n  placement: {constraints: [node.role == manager]}\n  endpoint_mode: dnsrr\n  labels: {a: b}",
    expected: {},
    warnings: [
      "services.app.deploy.labels: only applies to a swarm; ignored on the engine target",
      "services.app.deploy.endpoint_mode: only applies to a swarm; ignored on the engine target",
      "services.app.deploy.update_config: only applies to a swarm; ignored on the engine target",
      "services.app.deploy.placement: only applies to a swarm; ignored on the engine target",
    ],
  },
  {
    name: "memory-rounded-up",
    yaml: "deploy:\n  resources:\n    limits: {memory: 1000000}",
    expected: { memory: 1, memorySwap: 2 },
    warnings: ["services.app.deploy.resources.limits.memory: 1000000 bytes is rounded up to whole MiB on the engine target"],
  },
];

describe("deploy keys on the engine target (docker compose semantics)", () => {
  for (const c of engineCases) {
    test(c.name, () => {
      const project = loadComposeText(serviceText(c.yaml));
      const spec: any = engineContainerSpec(project, "app", 1, engineRefs, { configHash: "h", waitForHealthy: false });
      for (const [field, value] of Object.entries(c.expected)) assert.deepEqual(spec[field], value, field);
      if (c.replicas !== undefined) assert.equal(replicaCount(project.services.app), c.replicas);
      const warnings = checkProject(project, { target: "engine" }).warnings.map((w) => `${w.path}: ${w.message}`);
      assert.deepEqual(warnings, c.warnings ?? []);
    });
  }
});
