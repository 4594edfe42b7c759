import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorsOf, load, writeProject } from "./assembly-helpers.ts";
import { COMPOSE_GO_TESTDATA, FIXTURES_MISSING } from "./fixture-paths.ts";

const lines = (...text: string[]) => `${text.join("\n")}\n`;

describe("references: declared resources", () => {
  it("reports every undefined network, volume, secret, config and build secret, positioned", () => {
    const dir = writeProject({
      "compose.yaml": lines(
        "services:",
        "  web:",
        "    image: nginx",
        "    networks: [front, back]",
        "    volumes:",
        "      - data:/data",
        "      - ./local:/local",
        "      - /anonymous",
        "    secrets: [token]",
        "    configs:",
        "      - source: settings",
        "        target: /etc/settings",
        "    build:",
        "      context: .",
        "      secrets: [npmrc]",
        "networks:",
        "  front: {}",
      ),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:4:23: services.web.networks.back: undefined network "back"',
      '<dir>/compose.yaml:6:9: services.web.volumes[0].source: undefined volume "data"',
      '<dir>/compose.yaml:9:15: services.web.secrets[0].source: undefined secret "token"',
      '<dir>/compose.yaml:11:9: services.web.configs[0].source: undefined config "settings"',
      '<dir>/compose.yaml:15:17: services.web.build.secrets[0].source: undefined secret "npmrc"',
    ]);
  });

  it("accepts the implicit default network and declared resources", () => {
    const dir = writeProject({
      "compose.yaml": lines(
        "services:",
        "  web:",
        "    image: nginx",
        "    networks: [default, front]",
        "    volumes: ['data:/data']",
        "    secrets: [token]",
        "networks: {front: {}}",
        "volumes: {data: {}}",
        "secrets: {token: {file: ./token.txt}}",
      ),
    });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"]).services.web.networks ?? {}), ["default", "front"]);
  });

  it("requires a source for secrets and configs that are not external", () => {
    const dir = writeProject({
      "compose.yaml": lines("services:", "  web:", "    image: nginx", "secrets:", "  s: {name: my_secret}", "configs:", "  c: {name: my_config}"),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/compose.yaml:5:3: secrets.s: must declare one of file, environment or content (or be external)",
      "<dir>/compose.yaml:7:3: configs.c: must declare one of file, environment or content (or be external)",
    ]);
  });
});

describe("references: services", () => {
  it("reports depends_on, links, volumes_from and network_mode naming unknown services", () => {
    const dir = writeProject({
      "compose.yaml": lines(
        "services:",
        "  web:",
        "    image: nginx",
        "    depends_on:",
        "      db:",
        "        condition: service_healthy",
        "    links: ['cache:redis']",
        "    volumes_from: ['data:ro', 'container:legacy']",
        "  sidecar:",
        "    image: busybox",
        "    network_mode: service:proxy",
      ),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:5:7: services.web.depends_on.db: depends on undefined service "db"',
      '<dir>/compose.yaml:8:20: services.web.volumes_from[0]: mounts volumes from undefined service "data"',
      '<dir>/compose.yaml:7:13: services.web.links[0]: links to undefined service "cache"',
      '<dir>/compose.yaml:11:5: services.sidecar.network_mode: refers to undefined service "proxy"',
    ]);
  });

  it("reports a service depending on itself", () => {
    const dir = writeProject({ "compose.yaml": lines("services:", "  a:", "    image: a", "    depends_on: [a]") });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/compose.yaml:4:18: services.a.depends_on.a: a service cannot depend on itself",
    ]);
  });

  it("reports each depends_on cycle once, at its first service", () => {
    const dir = writeProject({
      "compose.yaml": lines(
        "services:",
        "  a: {image: a, depends_on: [b]}",
        "  b: {image: b, depends_on: [c]}",
        "  c: {image: c, depends_on: [a, d]}",
        "  d: {image: d, depends_on: [e]}",
        "  e: {image: e, depends_on: [d]}",
      ),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/compose.yaml:2:30: services.a.depends_on.b: dependency cycle: a -> b -> c -> a",
      "<dir>/compose.yaml:5:30: services.d.depends_on.e: dependency cycle: d -> e -> d",
    ]);
  });

  it("checks keys that conflict across files", () => {
    const dir = writeProject({
      "compose.yaml": lines("services:", "  web:", "    image: nginx", "    network_mode: host", "    scale: 2"),
      "override.yaml": lines("services:", "  web:", "    networks: [default]", "    deploy: {replicas: 3}", "    container_name: web"),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml", "override.yaml"])), [
      '<dir>/compose.yaml:4:5: services.web.network_mode: "network_mode" and "networks" cannot be used together',
      '<dir>/compose.yaml:5:5: services.web.scale: "scale" (2) and "deploy.replicas" (3) disagree',
      "<dir>/override.yaml:5:5: services.web.container_name: cannot be set when the service runs 2 replicas: container names must be unique",
    ]);
  });

  it("reports a service with neither image nor build, and duplicate container names", () => {
    const dir = writeProject({
      "compose.yaml": lines("services:", "  a:", "    container_name: same", "    image: a", "  b:", "    container_name: same", "  c:", "    image: c"),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/compose.yaml:5:3: services.b: has neither an image nor a build context",
      '<dir>/compose.yaml:6:5: services.b.container_name: container name "same" is already used by service "a"',
    ]);
  });
});

describe("references: compose-go testdata", { skip: FIXTURES_MISSING }, () => {
  it("compose-depends-on-cycle.yaml is rejected", () => {
    assert.deepEqual(errorsOf(COMPOSE_GO_TESTDATA, () => load(COMPOSE_GO_TESTDATA, ["compose-depends-on-cycle.yaml"])), [
      "<dir>/compose-depends-on-cycle.yaml:6:9: services.service1.depends_on.service2: dependency cycle: service1 -> service2 -> service3 -> service1",
    ]);
  });

  it("compose-depends-on-profile-no-cycle.yaml (as stored at v2.9.1, without profiles) is a cycle whatever profiles are active", () => {
    for (const profiles of [[], ["*"]]) {
      assert.deepEqual(errorsOf(COMPOSE_GO_TESTDATA, () => load(COMPOSE_GO_TESTDATA, ["compose-depends-on-profile-no-cycle.yaml"], { profiles })), [
        "<dir>/compose-depends-on-profile-no-cycle.yaml:6:9: services.service1.depends_on.service2: dependency cycle: service1 -> service2 -> service3 -> service1",
      ]);
    }
  });

  it("compose-depends-on-self.yaml is rejected", () => {
    assert.deepEqual(errorsOf(COMPOSE_GO_TESTDATA, () => load(COMPOSE_GO_TESTDATA, ["compose-depends-on-self.yaml"])), [
      "<dir>/compose-depends-on-self.yaml:6:9: services.service1.depends_on.service1: a service cannot depend on itself",
    ]);
  });

  it("compose-test-with-version.yaml: `version` is ignored, volumes_from and the default network resolve", () => {
    const project = load(COMPOSE_GO_TESTDATA, ["compose-test-with-version.yaml"]);
    assert.equal((project as Record<string, unknown>).version, undefined);
    assert.deepEqual(project.services.web.volumes_from, ["other"]);
    assert.deepEqual(project.services.web.depends_on, { other: { condition: "service_started", restart: false, required: true } });
    assert.deepEqual(Object.keys(project.networks ?? {}).sort(), ["default", "front"]);
  });
});
