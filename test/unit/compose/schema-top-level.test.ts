/** Top-level keys: name, version, include, networks, volumes, secrets, configs, models, x- extensions. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { issuesOf, loadFile } from "./schema-helpers.ts";

describe("name, version, x- extensions", () => {
  it("keeps the project name, accepts the obsolete version, keeps extensions", () =>
    assert.deepEqual(loadFile(`version: "3.8"\nname: my_app-1\nx-common: &common {restart: always}\nx-n: 1`), {
      version: "3.8",
      name: "my_app-1",
      "x-common": { restart: "always" },
      "x-n": 1,
    }));
  it("an unquoted numeric version is accepted as text", () => assert.equal(loadFile("version: 3.8").version, "3.8"));
  it("refuses an invalid project name and unknown top-level keys", () =>
    assert.deepEqual(issuesOf("name: My App\nservice:\n  web: {}\nvolume: {}"), [
      'compose.yaml:1:1: name: invalid project name "My App": use lowercase letters, digits, "_" and "-", starting with a letter or digit',
      'compose.yaml:2:1: service: unknown key "service" (did you mean "services"?)',
      'compose.yaml:4:1: volume: unknown key "volume" (did you mean "volumes"?)',
    ]));
  it("refuses invalid resource names", () =>
    assert.deepEqual(issuesOf("services:\n  'my web': {image: x}\nnetworks:\n  'a/b':"), [
      'compose.yaml:2:3: services["my web"]: invalid service name "my web": use only letters, digits, ".", "_" and "-"',
      'compose.yaml:4:3: networks["a/b"]: invalid network name "a/b": use only letters, digits, ".", "_" and "-"',
    ]));
});

describe("include", () => {
  it("a path, or path/env_file lists and a project directory", () =>
    assert.deepEqual(loadFile("include:\n  - ./a.yaml\n  - path: [./b.yaml, ./b.override.yaml]\n    env_file: ./b.env\n    project_directory: ./b").include, [
      { path: ["./a.yaml"] },
      { path: ["./b.yaml", "./b.override.yaml"], env_file: ["./b.env"], project_directory: "./b" },
    ]));
  it("needs a path; no extensions inside", () =>
    assert.deepEqual(issuesOf("include:\n  - env_file: x.env\n    x-a: 1"), [
      "compose.yaml:2:5: include[0].path: is required",
      'compose.yaml:3:5: include[0].x-a: unknown key "x-a"',
    ]));
});

describe("networks", () => {
  it("every key; null means defaults; driver_opts and aux addresses become text", () =>
    assert.deepEqual(
      loadFile(`networks:
  some-network:
  other-network:
    name: other
    driver: overlay
    driver_opts: {foo: "bar", baz: 1}
    attachable: true
    internal: "false"
    enable_ipv6: true
    enable_ipv4: true
    labels: [team=core]
    ipam:
      driver: default
      config:
        - subnet: 172.28.0.0/16
          ip_range: 172.28.5.0/24
          gateway: 172.28.5.254
          aux_addresses: {host1: 172.28.1.5}
      options: {foo: bar}
    x-note: kept`).networks,
      {
        "some-network": {},
        "other-network": {
          name: "other",
          driver: "overlay",
          driver_opts: { foo: "bar", baz: "1" },
          attachable: true,
          internal: false,
          enable_ipv6: true,
          enable_ipv4: true,
          labels: { team: "core" },
          ipam: {
            driver: "default",
            config: [{ subnet: "172.28.0.0/16", ip_range: "172.28.5.0/24", gateway: "172.28.5.254", aux_addresses: { host1: "172.28.1.5" } }],
            options: { foo: "bar" },
          },
          "x-note": "kept",
        },
      },
    ));
  it("external: true, the legacy external.name (adopted as name), and extensions next to it", () =>
    assert.deepEqual(loadFile(`networks:\n  a: {external: true}\n  b:\n    external: {name: my-cool-network}\n  c: {name: n, external: "true", x-a: 1}`).networks, {
      a: { external: true },
      b: { external: true, name: "my-cool-network" },
      c: { name: "n", external: true, "x-a": 1 },
    }));
  it("refuses settings next to external, and a name that disagrees with external.name", () =>
    assert.deepEqual(issuesOf(`networks:\n  a:\n    external: true\n    driver: overlay\n    ipam: {driver: default}\n  b:\n    name: x\n    external: {name: y}`), [
      'compose.yaml:4:5: networks.a.driver: "external" and "driver" cannot be used together: an external resource already exists',
      'compose.yaml:5:5: networks.a.ipam: "external" and "ipam" cannot be used together: an external resource already exists',
      'compose.yaml:8:16: networks.b.external.name: "name" and "external.name" disagree; set only "name"',
    ]));
  it("refuses wrong kinds with readable messages", () =>
    assert.deepEqual(issuesOf(`networks:\n  a: [x]\n  b: {attachable: sometimes, drivr: x}`), [
      "compose.yaml:2:3: networks.a: expected a mapping of network settings or nothing",
      'compose.yaml:3:7: networks.b.attachable: invalid boolean "sometimes": expected true or false',
      'compose.yaml:3:30: networks.b.drivr: unknown key "drivr" (did you mean "driver"?)',
    ]));
});

describe("volumes", () => {
  it("every key, null entries and external forms", () =>
    assert.deepEqual(
      loadFile(`volumes:\n  some-volume:\n  other-volume:\n    driver: flocker\n    driver_opts: {foo: "bar", baz: 1}\n    labels: {foo: bar}\n    name: user_specified_name\n  external-volume: {external: true}\n  other-external-volume:\n    external: {name: my-cool-volume}`).volumes,
      {
        "some-volume": {},
        "other-volume": { driver: "flocker", driver_opts: { foo: "bar", baz: "1" }, labels: { foo: "bar" }, name: "user_specified_name" },
        "external-volume": { external: true },
        "other-external-volume": { external: true, name: "my-cool-volume" },
      },
    ));
  it("refuses external with driver", () =>
    assert.deepEqual(issuesOf("volumes:\n  v:\n    external: true\n    driver: local"), [
      'compose.yaml:4:5: volumes.v.driver: "external" and "driver" cannot be used together: an external resource already exists',
    ]));
});

describe("secrets and configs", () => {
  it("file, environment, content, external, labels, driver", () => {
    const file = loadFile(`secrets:
  s1: {file: ./secret_data, labels: {foo: bar}}
  s2: {external: {name: my_secret}}
  s3: {name: bar, environment: BAR}
  s4: {content: inline}
  s5: {driver: vault, driver_opts: {path: a}, template_driver: golang}
configs:
  c1: {file: ./config_data}
  c2: {external: true}
  c3: {content: "key=value"}
  c4: {environment: CONF, template_driver: golang}`);
    assert.deepEqual(file.secrets, {
      s1: { file: "./secret_data", labels: { foo: "bar" } },
      s2: { external: true, name: "my_secret" },
      s3: { name: "bar", environment: "BAR" },
      s4: { content: "inline" },
      s5: { driver: "vault", driver_opts: { path: "a" }, template_driver: "golang" },
    });
    assert.deepEqual(file.configs, {
      c1: { file: "./config_data" },
      c2: { external: true },
      c3: { content: "key=value" },
      c4: { environment: "CONF", template_driver: "golang" },
    });
  });
  it("refuses two sources, settings next to external, and unknown keys", () =>
    assert.deepEqual(issuesOf(`secrets:\n  s:\n    file: ./a\n    environment: B\n  t:\n    external: true\n    file: ./b\nconfigs:\n  c:\n    content: x\n    file: ./c\n    driver: d`), [
      'compose.yaml:4:5: secrets.s.environment: "file" and "environment" cannot be used together: give the content one way',
      'compose.yaml:7:5: secrets.t.file: "external" and "file" cannot be used together: an external resource already exists',
      'compose.yaml:10:5: configs.c.content: "file" and "content" cannot be used together: give the content one way',
      'compose.yaml:12:5: configs.c.driver: unknown key "driver"',
    ]));
});

describe("models", () => {
  it("top-level models and a service's model list", () => {
    const file = loadFile("models:\n  llm: {model: ai/smollm2, context_size: 4096}\nservices:\n  app:\n    image: a\n    models: [llm]");
    assert.deepEqual(file.models, { llm: { model: "ai/smollm2", context_size: 4096 } });
    assert.deepEqual(file.services!.app.models, { llm: null });
  });
});
