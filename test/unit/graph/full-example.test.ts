/**
 * compose-go's full example on the swarm target: every key it uses either reaches the
 * docker provider's inputs (checked field by field against docker/cli's conversion) or is
 * named in a warning; what cannot work stops the deployment before anything is created.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import * as docker from "@pulumi/docker";
import { ComposeProject } from "../../../components/compose-project.ts";
import { GraphError } from "../../../infra/graph/warnings.ts";
import { contentHash } from "../../../infra/graph/naming.ts";
import { ResourceRecorder } from "./recorder.ts";
import { deploy, type Deployed } from "./deploy.ts";
import { fullExampleProject, FIXTURES_MISSING } from "./apps.ts";
import { COMPOSE_GO } from "../compose/fixture-paths.ts";

const P = "full_example_project_name";
const content = (file: string) => `content of ${file}`;
// The example's build contexts are not on disk; their hash stands in for one of their files.
const contextHash = (context: string) => contentHash(`context ${context}`);
const options = {
  registry: "127.0.0.1:5000",
  readFile: (file: string) => Buffer.from(content(file)),
  environment: { BAR: "bar-secret-value" },
  hashBuildContext: contextHash,
};
const hashed = (base: string, text: string) => `${base}-${contentHash(text)}`;
const NS = { label: "com.docker.stack.namespace", value: P };

describe("compose-go full example, swarm target", { skip: FIXTURES_MISSING }, () => {
  test("an inline Dockerfile stops the deployment before any resource is created", () => {
    const recorder = ResourceRecorder.install();
    try {
      const provider = new docker.Provider("p", {});
      assert.throws(
        () => new ComposeProject("full", { project: fullExampleProject(), target: "swarm", provider, ...options }),
        (error: unknown) =>
          error instanceof GraphError &&
          error.message === "services.bar.build.dockerfile_inline: cannot be built by the docker provider's image build; write it to a file and set build.dockerfile",
      );
      assert.deepEqual(recorder.resources.filter((r) => r.type.startsWith("compose:")), []);
    } finally {
      recorder.dispose();
    }
  });

  test("without a registry, a built image without image: is an error too", () => {
    const project = fullExampleProject();
    delete (project.services.bar.build as { dockerfile_inline?: string }).dockerfile_inline;
    const recorder = ResourceRecorder.install();
    try {
      assert.throws(
        () => new ComposeProject("full", { project, target: "swarm", provider: new docker.Provider("p", {}), readFile: options.readFile, environment: options.environment, hashBuildContext: contextHash }),
        {
          message:
            "services.bar.image: is required with build on the swarm target: every node pulls the built image from the registry named here (e.g. 127.0.0.1:5000/app:1.0)",
        },
      );
    } finally {
      recorder.dispose();
    }
  });

  describe("deployed (bar built from its context's Dockerfile)", () => {
    let deployed: Deployed;
    before(async () => {
      const project = fullExampleProject();
      delete (project.services.bar.build as { dockerfile_inline?: string }).dockerfile_inline;
      deployed = await deploy("full", project, "swarm", options);
    });
    const service = (name: string) => deployed.recorder.get("docker:index/service:Service", `full-${name}`);

    test("children of the project: exact types and logical names", () => {
      assert.deepEqual(deployed.children, [
        "compose:config:Config full-config1",
        "compose:config:Config full-config2",
        "compose:config:Config full-config3",
        "compose:config:Config full-config4",
        "compose:image:Image full-bar",
        "compose:image:Image full-db",
        "compose:image:Image full-foo",
        "compose:image:Image full-redis",
        "compose:network:Network full-default",
        "compose:network:Network full-other-network",
        "compose:network:Network full-other-other-network",
        "compose:network:Network full-some-network",
        "compose:secret:Secret full-secret1",
        "compose:secret:Secret full-secret2",
        "compose:secret:Secret full-secret3",
        "compose:secret:Secret full-secret4",
        "compose:secret:Secret full-secret5",
        "compose:service:Service full-bar",
        "compose:service:Service full-db",
        "compose:service:Service full-foo",
        "compose:service:Service full-redis",
        "compose:volume:Volume full-another-volume",
        "compose:volume:Volume full-datavolume",
        "compose:volume:Volume full-external-volume",
        "compose:volume:Volume full-external-volume3",
        "compose:volume:Volume full-other-external-volume",
        "compose:volume:Volume full-other-volume",
        "compose:volume:Volume full-some-volume",
      ]);
    });

    test("every custom resource uses the given docker provider, except CLI commands", () => {
      for (const resource of deployed.recorder.resources.filter((r) => r.custom && r.type.startsWith("docker:"))) {
        assert.match(resource.provider ?? "", /::pulumi:providers:docker::full-swarm::/, `${resource.type} ${resource.name}`);
      }
      for (const resource of deployed.recorder.ofType("command:local:Command")) assert.equal(resource.provider, undefined);
    });

    test("networks: only those services use, overlay, namespace label, IPAM as written", () => {
      const networks = deployed.recorder.ofType("docker:index/network:Network").map((n) => n.inputs.name).sort();
      assert.deepEqual(networks, [`${P}_default`, `${P}_other-network`, `${P}_other-other-network`, `${P}_some-network`]);
      assert.deepEqual(deployed.recorder.get("docker:index/network:Network", "full-other-network").inputs, {
        name: `${P}_other-network`,
        driver: "overlay",
        options: { baz: "1", foo: "bar" },
        ipamDriver: "overlay",
        ipamConfigs: [
          { subnet: "172.28.0.0/16", gateway: "172.28.5.254", ipRange: "172.28.5.0/24", auxAddress: { host1: "172.28.1.5", host2: "172.28.1.6", host3: "172.28.1.7" } },
          { subnet: "2001:3984:3989::/64", gateway: "2001:3984:3989::1" },
        ],
        labels: [NS, { label: "foo", value: "bar" }],
      });
    });

    test("volumes: nothing is created up front on a swarm (nodes create them from the mounts)", () => {
      assert.deepEqual(deployed.recorder.ofType("docker:index/volume:Volume"), []);
    });

    test("secrets: created ones carry a content hash and secret data; external ones are looked up", () => {
      const secrets = deployed.recorder.ofType("docker:index/secret:Secret").map((s) => [s.name, s.inputs.name, s.secretPaths]).sort();
      assert.deepEqual(secrets, [
        ["full-secret1", hashed(`${P}_secret1`, content(path.join(COMPOSE_GO, "secret_data"))), ["data"]],
        ["full-secret4", hashed("bar", "bar-secret-value"), ["data"]],
        ["full-secret5", hashed(`${P}_secret5`, content("/abs/secret_data")), ["data"]],
      ]);
      assert.equal(deployed.recorder.get("docker:index/secret:Secret", "full-secret4").inputs.data, Buffer.from("bar-secret-value").toString("base64"));
      const lookups = deployed.recorder.ofType("command:local:Command").map((c) => [c.name, c.inputs.create]).sort();
      assert.deepEqual(lookups, [
        ["full-config2-lookup", "docker config inspect --format '{{.ID}}' my_config"],
        ["full-config3-lookup", "docker config inspect --format '{{.ID}}' config3"],
        ["full-secret2-lookup", "docker secret inspect --format '{{.ID}}' my_secret"],
        ["full-secret3-lookup", "docker secret inspect --format '{{.ID}}' secret3"],
      ]);
      assert.deepEqual(deployed.recorder.get("command:local:Command", "full-secret2-lookup").inputs.environment, { DOCKER_HOST: "unix:///run/test-docker.sock" });
    });

    test("configs: docker configs with hashed names", () => {
      const configs = deployed.recorder.ofType("docker:index/serviceConfig:ServiceConfig").map((c) => [c.name, c.inputs.name]).sort();
      assert.deepEqual(configs, [
        ["full-config1", hashed(`${P}_config1`, content(path.join(COMPOSE_GO, "config_data")))],
        ["full-config4", hashed("foo", content("/home/user/config_data"))],
      ]);
    });

    test("images: built on the manager, tagged as image: (or in the registry) and pushed; the others pulled there", () => {
      const images = deployed.recorder.ofType("docker:index/remoteImage:RemoteImage").map((i) => [i.name, i.inputs.name, i.inputs.triggers]).sort();
      assert.deepEqual(images, [
        ["full-bar", `127.0.0.1:5000/${P}-bar:latest`, { context: contextHash(COMPOSE_GO) }],
        ["full-db", "postgres:16", undefined],
        ["full-foo", "redis", { context: contextHash(path.join(COMPOSE_GO, "dir")) }],
        ["full-redis", "redis:7", undefined],
      ]);
      assert.deepEqual(deployed.recorder.get("docker:index/remoteImage:RemoteImage", "full-foo").inputs.build, {
        context: path.join(COMPOSE_GO, "dir"),
        dockerfile: "Dockerfile",
        buildArgs: { foo: "bar" },
        target: "foo",
        networkMode: "foo",
        platform: "linux/amd64",
        cacheFroms: ["foo", "bar"],
        secrets: [{ id: "secret1", src: path.join(COMPOSE_GO, "secret_data") }],
        tags: ["foo:v1.0.0", "docker.io/username/foo:my-other-tag", "full_example_project_name:1.0.0"],
        labels: { FOO: "BAR" },
        label: { FOO: "BAR" },
        useLegacyBuilder: true,
      });
      const pushed = deployed.recorder.ofType("docker:index/registryImage:RegistryImage").map((i) => [i.name, i.inputs.name, i.inputs.authConfig.address, i.inputs.keepRemotely]).sort();
      assert.deepEqual(pushed, [
        ["full-bar", `127.0.0.1:5000/${P}-bar:latest`, "https://127.0.0.1:5000", true],
        ["full-foo", "redis", "https://docker.io", true],
      ]);
      const image = deployed.recorder.get("docker:index/remoteImage:RemoteImage", "full-foo");
      assert.ok(deployed.recorder.get("docker:index/registryImage:RegistryImage", "full-foo").dependencies.includes(image.urn));
      for (const [key, name] of [["db", "postgres:16"], ["redis", "redis:7"]]) {
        assert.equal(deployed.recorder.get("docker:index/remoteImage:RemoteImage", `full-${key}`).inputs.keepLocally, true);
        // The tag and the digest it resolved to, as swarm stores an image it was given by tag.
        assert.match(service(key).inputs.taskSpec.containerSpec.image, new RegExp(`^${name}@sha256:[0-9a-f]{64}$`));
      }
    });

    test("service foo: annotations, mode, endpoint, update and rollback as docker stack deploy", () => {
      const foo = service("foo").inputs;
      assert.equal(foo.name, `${P}_foo`);
      assert.deepEqual(foo.labels, [{ label: "FOO", value: "BAR" }, { label: "com.docker.stack.image", value: "redis" }, NS]);
      assert.deepEqual(foo.mode, { replicated: { replicas: 6 } });
      assert.equal(foo.endpointSpec.mode, "dnsrr");
      const ports = foo.endpointSpec.ports.map((p: any) => `${p.publishedPort ?? "-"}:${p.targetPort}/${p.protocol}/${p.publishMode}`);
      assert.deepEqual(ports, [
        "49100:22/tcp/ingress",
        ...[3000, 3001, 3002, 3003, 3004, 3005].map((t) => `-:${t}/tcp/ingress`),
        ...Array.from({ length: 11 }, (_, i) => `${5000 + i}:${5000 + i}/tcp/ingress`),
        "8000:8000/tcp/ingress",
        "8001:8001/tcp/ingress",
        "9090:8080/tcp/ingress",
        "9091:8081/tcp/ingress",
      ]);
      const update = { parallelism: 3, delay: "10s", failureAction: "continue", monitor: "1m0s", maxFailureRatio: "0.3", order: "start-first" };
      assert.deepEqual(foo.updateConfig, update);
      assert.deepEqual(foo.rollbackConfig, update);
      assert.equal(foo.convergeConfig, undefined);
    });

    test("service foo: task template", () => {
      const task = service("foo").inputs.taskSpec;
      assert.deepEqual(task.resources, {
        limits: { nanoCpus: 1000000, memoryBytes: 52428800 },
        reservation: { nanoCpus: 100000, memoryBytes: 20971520, genericResources: { discreteResourcesSpecs: ["gpu=2", "ssd=1"] } },
      });
      assert.deepEqual(task.restartPolicy, { condition: "on-failure", delay: "5s", maxAttempts: 3, window: "2m0s" });
      assert.deepEqual(task.placement, { constraints: ["node=foo"], prefs: ["spread=node.labels.az"], maxReplicas: 5 });
      assert.deepEqual(task.logDriver, { name: "syslog", options: { "syslog-address": "tcp://192.168.0.42:123" } });
      assert.deepEqual(task.networksAdvanceds, [
        // Sorted by physical name, attached by ID (the provider reads attachments back as IDs).
        { id: "full-other-network-id", aliases: ["foo"] },
        { id: "full-other-other-network-id", aliases: ["foo"] },
        { id: "full-some-network-id", aliases: ["alias1", "alias3", "foo"] },
      ]);
    });

    test("service foo: container spec", () => {
      const spec = service("foo").inputs.taskSpec.containerSpec;
      assert.match(spec.image, /^redis@sha256:[0-9a-f]{64}$/, "the pushed digest, so a rebuild rolls the service");
      assert.deepEqual(spec.commands, ["/code/entrypoint.sh", "-p", "3000"]);
      assert.deepEqual(spec.args, ["bundle", "exec", "thin", "-p", "3000"]);
      assert.deepEqual(spec.capAdds, ["ALL"]);
      assert.deepEqual(spec.capDrops, ["CAP_NET_ADMIN", "CAP_SYS_ADMIN"]);
      assert.equal(spec.hostname, "foo");
      assert.equal(spec.dir, "/code");
      assert.equal(spec.user, "someone");
      assert.equal(spec.readOnly, true);
      assert.equal(spec.stopGracePeriod, "20s");
      assert.equal(spec.stopSignal, "SIGUSR1");
      assert.deepEqual(spec.sysctl, { "net.core.somaxconn": "1024", "net.ipv4.tcp_syncookies": "0" });
      assert.deepEqual(spec.env, {
        BAR: "bar_from_env_file_2",
        BAZ: "baz_from_service_def",
        "ENV.WITH.DOT": "ok",
        ENV_WITH_UNDERSCORE: "ok",
        FOO: "foo_from_env_file",
        QUX: "qux_from_environment",
      });
      assert.deepEqual(spec.hosts, [{ host: "otherhost", ip: "50.31.209.229" }, { host: "somehost", ip: "162.242.195.82" }]);
      assert.deepEqual(spec.dnsConfig, { nameservers: ["8.8.8.8", "9.9.9.9"], searches: ["dc1.example.com", "dc2.example.com"] });
      assert.deepEqual(spec.healthcheck, { tests: ["CMD-SHELL", 'echo "hello world"'], interval: "10s", timeout: "1s", startPeriod: "15s", retries: 5 });
      assert.deepEqual(spec.labels.map((l: any) => l.label), [
        "BAR", "BAZ", "FOO", "LABEL.WITH.DOT", "LABEL_WITH_UNDERSCORE", "QUX",
        "com.docker.stack.namespace", "com.example.description", "com.example.empty-label", "com.example.number",
      ]);
      assert.deepEqual(spec.mounts, [
        { type: "volume", target: "/var/lib/anonymous" },
        { type: "bind", source: "/opt/data", target: "/var/lib/data" },
        { type: "bind", source: COMPOSE_GO, target: "/code" },
        { type: "bind", source: path.join(COMPOSE_GO, "static"), target: "/var/www/html" },
        { type: "bind", source: "/home/user/configs", target: "/etc/configs", readOnly: true },
        { type: "volume", source: `${P}_datavolume`, target: "/var/lib/volume", volumeOptions: { labels: [NS] } },
        { type: "bind", source: path.join(COMPOSE_GO, "opt"), target: "/opt/cached" },
        { type: "tmpfs", target: "/opt/tmpfs", tmpfsOptions: { sizeBytes: 10000 } },
        { type: "tmpfs", target: "/run" },
        { type: "tmpfs", target: "/tmp" },
      ]);
      assert.deepEqual(spec.secrets, [
        { secretId: "full-secret1-id", secretName: hashed(`${P}_secret1`, content(path.join(COMPOSE_GO, "secret_data"))), fileName: "secret1", fileUid: "0", fileGid: "0", fileMode: 0o444 },
        { secretId: "full-secret2-lookup-stdout", secretName: "my_secret", fileName: "my_secret", fileUid: "103", fileGid: "103", fileMode: 0o440 },
      ]);
      assert.deepEqual(spec.configs, [
        { configId: "full-config1-id", configName: hashed(`${P}_config1`, content(path.join(COMPOSE_GO, "config_data"))), fileName: "config1", fileUid: "0", fileGid: "0", fileMode: 0o444 },
        { configId: "full-config2-lookup-stdout", configName: "my_config", fileName: "/my_config", fileUid: "103", fileGid: "103", fileMode: 0o440 },
      ]);
    });

    test("dependsOn: foo after db and redis, and after the objects it uses", () => {
      assert.deepEqual(deployed.recorder.dependencyNames(service("foo")), [
        "command:local:Command full-config2-lookup",
        "command:local:Command full-secret2-lookup",
        "docker:index/network:Network full-other-network",
        "docker:index/network:Network full-other-other-network",
        "docker:index/network:Network full-some-network",
        "docker:index/registryImage:RegistryImage full-foo",
        "docker:index/secret:Secret full-secret1",
        "docker:index/service:Service full-db",
        "docker:index/service:Service full-redis",
        "docker:index/serviceConfig:ServiceConfig full-config1",
      ]);
      assert.deepEqual(deployed.recorder.dependencyNames(service("db")), ["docker:index/network:Network full-default", "docker:index/remoteImage:RemoteImage full-db"]);
    });

    test("every key the swarm target cannot express is a warning naming key and service, logged", () => {
      const expected = [
        ...["annotations", "cgroup_parent", "container_name", "device_cgroup_rules", "devices", "domainname", "expose", "external_links", "ipc", "links", "mac_address", "pid", "privileged", "security_opt", "stdin_open", "storage_opt", "tty", "ulimits", "uts"].map(
          (key) => `services.foo.${key}: is not supported on the swarm target (the docker provider's service spec cannot express it); ignored`,
        ),
        "services.foo.build.ssh: is not supported by the docker provider's image build (it forwards no SSH agent or keys); ignored",
        "services.foo.build.additional_contexts: needs `builder: buildx`; the Engine API build (the default) ignores it",
        // secret2 is external: it has no file or variable a build could read.
        'services.foo.build.secrets[1]: secret "secret2" can reach a build only from a file or an environment variable; ignored',
        ...["uid", "gid", "mode"].map((key) => `services.foo.build.secrets[1].${key}: a build secret is mounted by the Dockerfile's RUN --mount=type=secret, which sets its own uid, gid and mode; ignored`),
        "services.foo.build.platforms: only the first platform is built; the others are ignored",
        "services.foo.restart: deploy.restart_policy takes precedence; ignored",
        "services.foo.healthcheck.start_interval: is not supported on the swarm target (the docker provider's service healthcheck cannot express it); ignored",
        ...Array.from({ length: 12 }, (_, i) => `services.foo.ports[${10 + i}].host_ip: is not supported on the swarm target (swarm publishes on every address); ignored`),
        "services.foo.volumes[6].consistency: has no effect on Linux daemons; ignored",
        ...["ipv4_address", "ipv6_address", "mac_address"].map((key) => `services.foo.networks.other-network.${key}: is not supported on the swarm target (swarm assigns addresses); ignored`),
      ];
      // Warnings come in the model's key order; the set is what matters here.
      assert.deepEqual([...deployed.component.warnings].sort(), [...expected].sort());
      assert.deepEqual([...deployed.recorder.warnings].sort(), [...expected].sort());
    });
  });
});
