/**
 * compose-go's full example on the kubernetes target: every key it sets has its decision
 * in the capability table (none is missing a column), each service becomes its workload,
 * and what a pod cannot express is named in a warning.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { ComposeProject } from "../../../../components/compose-project.ts";
import { contentHash } from "../../../../infra/graph/naming.ts";
import { ResourceRecorder } from "../recorder.ts";
import { fullExampleProject, FIXTURES_MISSING } from "../apps.ts";

describe("compose-go full example, kubernetes target", { skip: FIXTURES_MISSING }, () => {
  let recorder: ResourceRecorder;
  let component: ComposeProject;

  before(async () => {
    const project = fullExampleProject();
    // An inline Dockerfile is an error on every target (full-example.test.ts).
    delete (project.services.bar.build as { dockerfile_inline?: string }).dockerfile_inline;
    recorder = ResourceRecorder.install();
    try {
      component = new ComposeProject("full", {
        project,
        target: "kubernetes",
        provider: new docker.Provider("builder", {}),
        kubernetes: { provider: new k8s.Provider("cluster", {}) },
        registry: "127.0.0.1:5000",
        readFile: (file) => Buffer.from(`content of ${file}`),
        environment: { BAR: "bar-secret-value" },
        hashBuildContext: (context) => contentHash(`context ${context}`),
      });
      await recorder.created(component);
    } finally {
      recorder.dispose();
    }
  });

  test("every service is a Deployment with its Service; the built images are pushed", () => {
    const names = (type: string) => recorder.ofType(type).map((r) => r.inputs.metadata.name).sort();
    assert.deepEqual(names("kubernetes:apps/v1:Deployment"), ["bar", "db", "foo", "redis"]);
    assert.deepEqual(names("kubernetes:core/v1:Service"), ["bar", "db", "foo", "foo-published", "redis"]);
    assert.deepEqual(names("kubernetes:core/v1:PersistentVolumeClaim"), ["another-volume", "datavolume", "other-volume", "some-volume"]);
    assert.deepEqual(recorder.ofType("docker:index/registryImage:RegistryImage").map((r) => r.name).sort(), ["full-bar", "full-foo"]);
  });

  test("foo's container: entrypoint and command, environment, user, probe, limits", () => {
    const foo = recorder.get("kubernetes:apps/v1:Deployment", "full-foo").inputs.spec;
    const container = foo.template.spec.containers[0];
    assert.deepEqual(container.command, ["/code/entrypoint.sh", "-p", "3000"]);
    assert.deepEqual(container.args, ["bundle", "exec", "thin", "-p", "3000"]);
    assert.deepEqual(container.env.map((e: { name: string }) => e.name), ["BAR", "BAZ", "ENV.WITH.DOT", "ENV_WITH_UNDERSCORE", "FOO", "QUX"]);
    assert.equal(container.securityContext.runAsUser, undefined, "a user name has no numeric uid");
    assert.ok(container.readinessProbe.exec.command.length > 0);
    assert.ok(container.resources.limits.cpu !== undefined && container.resources.limits.memory !== undefined);
    // Ports that differ only in host_ip are one port of the published Service.
    const published = recorder.get("kubernetes:core/v1:Service", "full-foo-published").inputs.spec.ports as { name: string }[];
    assert.equal(new Set(published.map((port) => port.name)).size, published.length);
  });

  test("no key lacks a kubernetes decision; what a pod cannot express is warned", () => {
    // A key without a kubernetes entry is an error, and the project would not have been declared.
    assert.ok(recorder.ofType("compose:project:ComposeProject").length === 1);
    for (const expected of [
      "services.foo.cgroup_parent: is not supported on the kubernetes target (a pod spec cannot express it); ignored",
      "services.foo.deploy.rollback_config: is not supported on the kubernetes target (a Deployment never rolls back by itself; `kubectl rollout undo` does); ignored",
      "services.foo.logging: is not supported on the kubernetes target (a pod's logs are kept by the node's container runtime and read with kubectl logs); ignored",
      `services.foo.user: "someone" is a name: the kubernetes target takes a numeric uid[:gid] (runAsUser); the image's user runs`,
      `services.foo.deploy.placement.constraints[0]: "node=foo" reads no node label on the kubernetes target; ignored`,
      "volumes.other-volume.driver: is not supported on the kubernetes target (a claim's storage comes from its storage class: set kubernetes.storageClassName in the stack); ignored",
    ]) {
      assert.ok(component.warnings.includes(expected), expected);
    }
  });
});
