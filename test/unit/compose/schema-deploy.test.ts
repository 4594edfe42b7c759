/** services.*.deploy: the keys docker stack deploy reads, and the combinations it refuses. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadService, serviceIssues } from "./schema-helpers.ts";

const S = 1_000_000_000;

describe("deploy", () => {
  it("reads every key; durations, sizes and cpus become numbers", () =>
    assert.deepEqual(
      loadService(`deploy:
  mode: replicated
  replicas: 6
  labels: [FOO=BAR]
  endpoint_mode: dnsrr
  update_config: {parallelism: 3, delay: 10s, failure_action: rollback, monitor: 60s, max_failure_ratio: 0.3, order: start-first}
  rollback_config: {parallelism: "2", delay: 1s, failure_action: pause, order: stop-first}
  resources:
    limits: {cpus: '0.001', memory: 50M, pids: 100}
    reservations:
      cpus: 0.5
      memory: 20M
      generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]
      devices: [{capabilities: [gpu], count: all, driver: nvidia}, {driver: nvidia, device_ids: ["0", "3"], options: {virtualization: false}}]
  restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 120s}
  placement:
    constraints: [node.role == manager]
    preferences: [{spread: node.labels.az}]
    max_replicas_per_node: 5`).deploy,
      {
        mode: "replicated",
        replicas: 6,
        labels: { FOO: "BAR" },
        endpoint_mode: "dnsrr",
        update_config: { parallelism: 3, delay: 10 * S, failure_action: "rollback", monitor: 60 * S, max_failure_ratio: 0.3, order: "start-first" },
        rollback_config: { parallelism: 2, delay: S, failure_action: "pause", order: "stop-first" },
        resources: {
          limits: { cpus: 0.001, memory: 52_428_800, pids: 100 },
          reservations: {
            cpus: 0.5,
            memory: 20_971_520,
            generic_resources: [{ discrete_resource_spec: { kind: "gpu", value: 2 } }],
            devices: [
              { capabilities: ["gpu"], count: "all", driver: "nvidia" },
              { driver: "nvidia", device_ids: ["0", "3"], options: { virtualization: "false" } },
            ],
          },
        },
        restart_policy: { condition: "on-failure", delay: 5 * S, max_attempts: 3, window: 120 * S },
        placement: { constraints: ["node.role == manager"], preferences: [{ spread: "node.labels.az" }], max_replicas_per_node: 5 },
      },
    ));
  it("accepts every mode and an empty deploy", () => {
    for (const mode of ["replicated", "global", "replicated-job", "global-job"]) {
      assert.deepEqual(loadService(`deploy: {mode: ${mode}}`).deploy, { mode });
    }
    assert.equal(loadService("deploy:").deploy, null);
  });
  it("refuses replicas and max_replicas_per_node with a global mode", () =>
    assert.deepEqual(serviceIssues("deploy:\n  mode: global\n  replicas: 2\n  placement: {max_replicas_per_node: 1}"), [
      'compose.yaml:5:7: services.web.deploy.replicas: "replicas" cannot be used with deploy mode "global"',
      'compose.yaml:6:19: services.web.deploy.placement.max_replicas_per_node: "max_replicas_per_node" cannot be used with deploy mode "global"',
    ]));
  it("refuses scale that disagrees with replicas", () =>
    assert.deepEqual(serviceIssues("scale: 2\ndeploy: {replicas: 3}"), [
      'compose.yaml:3:5: services.web.scale: "scale" (2) and "deploy.replicas" (3) disagree',
    ]));
  it("reports every bad value with a suggestion where one is close", () =>
    assert.deepEqual(
      serviceIssues(`deploy:
  mode: globall
  replicas: -1
  endpoint_mode: dns
  update_config: {order: start-last, failure_action: retry, delay: 10}
  resources:
    limits: {memory: lots, cpus: many}
    reservations:
      devices: [{count: 1, device_ids: ["0"], driver: x}, {count: 1}]
  restart_policy: {condition: always}
  placment: {}`),
      [
        'compose.yaml:4:7: services.web.deploy.mode: invalid deploy mode "globall": expected one of "replicated", "global", "replicated-job", "global-job" (did you mean "global"?)',
        "compose.yaml:5:7: services.web.deploy.replicas: must be at least 0, got -1",
        'compose.yaml:6:7: services.web.deploy.endpoint_mode: invalid endpoint mode "dns": expected one of "vip", "dnsrr"',
        'compose.yaml:7:23: services.web.deploy.update_config.order: invalid update order "start-last": expected one of "start-first", "stop-first" (did you mean "start-first"?)',
        'compose.yaml:7:42: services.web.deploy.update_config.failure_action: invalid failure action "retry": expected one of "continue", "pause", "rollback"',
        'compose.yaml:7:65: services.web.deploy.update_config.delay: expected a duration such as "10s" or "1m30s", got an integer',
        'compose.yaml:9:18: services.web.deploy.resources.limits.memory: invalid size "lots": expected a number with an optional unit such as "512m" or "1g"',
        'compose.yaml:9:32: services.web.deploy.resources.limits.cpus: invalid number "many"',
        'compose.yaml:11:32: services.web.deploy.resources.reservations.devices[0].device_ids: "count" and "device_ids" cannot be used together',
        'compose.yaml:11:63: services.web.deploy.resources.reservations.devices[1]: a device reservation needs "capabilities" or "driver"',
        'compose.yaml:12:24: services.web.deploy.restart_policy.condition: invalid restart condition "always": expected one of "none", "on-failure", "any"',
        'compose.yaml:13:7: services.web.deploy.placment: unknown key "placment" (did you mean "placement"?)',
      ],
    ));
});
