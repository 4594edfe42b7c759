import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { errorsOf, load, loadUnchecked, writeProject } from "./assembly-helpers.ts";
import { COMPOSE_GO_TESTDATA, FIXTURES_MISSING } from "./fixture-paths.ts";

type Services = Record<string, Record<string, unknown>>;

describe("extends: same file", () => {
  it("starts from the named service and keeps the extending service's own keys", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  foo:\n    image: busybox\n    extends: bar\n  bar:\n    image: alpine\n    command: echo\n",
    });
    const services = load(dir, ["compose.yaml"]).services;
    assert.equal(services.foo.image, "busybox");
    assert.deepEqual(services.foo.command, ["echo"]);
    assert.equal((services.foo as Record<string, unknown>).extends, undefined);
    assert.equal(services.bar.image, "alpine");
  });

  it("replaces the command rather than appending to it", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  foo:",
        "    image: busybox",
        "    extends:",
        "      service: bar",
        '    command: "/bin/ash -c \\"rm -rf /tmp/might-not-exist\\""',
        "  bar:",
        "    image: alpine",
        '    command: "/bin/ash -c \\"echo Oh no...\\""',
        "",
      ].join("\n"),
    });
    assert.deepEqual(load(dir, ["compose.yaml"]).services.foo.command, ["/bin/ash", "-c", "rm -rf /tmp/might-not-exist"]);
  });

  it("follows chains and merges sequences with the file rules", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  base:",
        "    image: app",
        "    ports: ['80:80']",
        "    environment: {A: '1'}",
        "  middle:",
        "    extends: base",
        "    ports: ['80:80', '443:443']",
        "  top:",
        "    extends: middle",
        "    environment: {B: '2'}",
        "",
      ].join("\n"),
    });
    const top = load(dir, ["compose.yaml"]).services.top;
    assert.equal(top.image, "app");
    assert.deepEqual(top.environment, { A: "1", B: "2" });
    assert.deepEqual(
      top.ports?.map((port) => port.published),
      ["80", "443"],
    );
  });

  it("drops a key tagged !reset in the extending service", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  foo:",
        "    extends:",
        "      service: bar",
        "    volumes: !reset []",
        "  bar:",
        "    image: alpine",
        "    command: echo",
        "    volumes:",
        "       - .:/src",
        "",
      ].join("\n"),
    });
    const services = load(dir, ["compose.yaml"]).services;
    assert.equal(services.foo.volumes, undefined);
    assert.equal(services.bar.volumes?.length, 1);
  });

  it("reports a service that extends itself through a chain", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/compose.yaml:4:5: services.a.extends: circular extends: a -> b -> c -> a",
    ]);
  });

  it("reports an unknown service", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  web:\n    extends: nope\n" });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:3:5: services.web.extends.service: cannot extend service "web": service "nope" not found',
    ]);
  });
});

describe("extends: another file", () => {
  it("resolves the base's relative paths against its own directory", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    extends:\n      file: lib/base.yaml\n      service: app\n    image: web\n",
      "lib/base.yaml": "services:\n  app:\n    build: ./src\n    env_file: app.env\n    volumes: ['./data:/data']\n",
      "lib/app.env": "FROM_BASE=yes\n",
    });
    const web = load(dir, ["compose.yaml"]).services.web;
    assert.equal(web.build?.context, path.join(dir, "lib/src"));
    // Folded into environment, the env file leaves the model as compose drops it; before that its path was the base's.
    assert.equal(web.env_file, undefined);
    assert.deepEqual((loadUnchecked(dir, ["compose.yaml"]).services as Services).web.env_file, [{ path: path.join(dir, "lib/app.env"), required: true }]);
    assert.deepEqual(web.environment, { FROM_BASE: "yes" });
    assert.equal(web.volumes?.[0].source, path.join(dir, "lib/data"));
  });

  it("fills a base's missing build context from the extending project, as compose-go does", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  a:\n    extends:\n      file: ./a/compose.yaml\n      service: a\n  b:\n    extends:\n      file: ./b/compose.yaml\n      service: b\n",
      "a/compose.yaml": "services:\n  a:\n    build: .\n",
      "b/compose.yaml": "services:\n  b:\n    build:\n      target: fake\n",
    });
    const services = load(dir, ["compose.yaml"]).services;
    assert.equal(services.a.build?.context, path.join(dir, "a"));
    assert.equal(services.b.build?.context, dir);
  });

  it("follows a chain through several files", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  test:\n    extends:\n      file: dir/compose.yaml\n      service: test\n",
      "dir/compose.yaml": "services:\n  test:\n    extends:\n      file: base.yaml\n      service: test\n",
      "dir/base.yaml": "services:\n  test:\n    image: hello-world\n",
    });
    assert.equal(load(dir, ["compose.yaml"]).services.test.image, "hello-world");
  });

  it("reports only the extended service's problems, positioned in its file", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    extends:\n      file: base.yaml\n      service: good\n  api:\n    extends:\n      file: base.yaml\n      service: bad\n",
      "base.yaml": "services:\n  good:\n    image: ok\n  bad:\n    image: x\n    ports: ['80:80:80/tcp']\n  unused:\n    imagee: never-checked\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/base.yaml:6:13: services.bad.ports[0]: invalid port "80:80:80/tcp": invalid IP address "80"',
    ]);
  });

  it("reports a file that cannot be read and a service missing from the other file", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  a:\n    extends:\n      file: missing.yaml\n      service: x\n  b:\n    extends:\n      file: other.yaml\n      service: y\n",
      "other.yaml": "services:\n  z:\n    image: z\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:4:7: services.a.extends.file: cannot extend service "a": cannot read <dir>/missing.yaml: no such file',
      '<dir>/compose.yaml:9:7: services.b.extends.service: cannot extend service "b": service "y" not found in <dir>/other.yaml',
    ]);
  });

  it("reports a cycle that crosses files", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  a:\n    extends:\n      file: other.yaml\n      service: b\n",
      "other.yaml": "services:\n  b:\n    extends:\n      file: compose.yaml\n      service: a\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/compose.yaml:3:5: services.a.extends: circular extends: a -> b (<dir>/other.yaml) -> a",
    ]);
  });
});

describe("extends: compose-go testdata (v2.9.1 expectations)", { skip: FIXTURES_MISSING }, () => {
  const testdata = COMPOSE_GO_TESTDATA;

  it("TestExtends: services extending base.yaml keep their own hostname", () => {
    const dir = writeProject({
      "compose.yaml": [
        "name: test-extends",
        "services:",
        "  test1:",
        `    extends: {file: ${testdata}/extends/base.yaml, service: base}`,
        "    hostname: test1",
        "  test2:",
        `    extends: {file: ${testdata}/extends/base.yaml, service: base}`,
        "    hostname: test2",
        "  test3:",
        `    extends: {file: ${testdata}/extends/base.yaml, service: another}`,
        "    hostname: test3",
        "",
      ].join("\n"),
    });
    const services = load(dir, ["compose.yaml"]).services;
    assert.deepEqual(
      Object.fromEntries(Object.entries(services).map(([name, service]) => [name, [service.image, service.hostname]])),
      { test1: ["base", "test1"], test2: ["base", "test2"], test3: ["base", "test3"] },
    );
  });

  it("TestExtendsPort and TestExtendsUlimits", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  port:",
        "    image: test",
        `    extends: {file: ${testdata}/extends/base.yaml, service: with-port}`,
        "  limits:",
        `    extends: {file: ${testdata}/extends/base.yaml, service: withUlimits}`,
        "",
      ].join("\n"),
    });
    const services = load(dir, ["compose.yaml"]).services;
    assert.equal(services.port.ports?.[0].target, 8000);
    assert.deepEqual(services.limits.ulimits?.nproc, { single: 65535 });
    assert.deepEqual(services.limits.ulimits?.nofile, { soft: 20000, hard: 40000 });
  });

  it("TestExtendsRelativePath: a nested extends keeps the sibling's directory as build context", () => {
    const dir = writeProject({
      "compose.yaml": `services:\n  test:\n    extends: {file: ${testdata}/extends/base.yaml, service: with-build}\n`,
    });
    assert.equal(load(dir, ["compose.yaml"]).services.test.build?.context, path.join(testdata, "extends"));
  });

  it("withdir: a chain through a subdirectory", () => {
    assert.equal(load(path.join(testdata, "extends/withdir"), ["compose.yaml"]).services.test.image, "hello-world");
  });

  it("reset.yaml: `command: !reset` removes the inherited command", () => {
    const services = loadUnchecked(path.join(testdata, "extends"), ["reset.yaml"]).services as Services;
    assert.equal(services.base.image, "alpine:latest");
    assert.equal(services.base.command, undefined);
  });

  it("compose-test-extends.yaml: env_file is loaded relative to the imported file", () => {
    const importer = load(testdata, ["compose-test-extends.yaml"]).services.importer;
    assert.equal(importer.image, "nginx");
    assert.equal(importer.container_name, "imported");
    assert.equal(importer.env_file, undefined);
    const unchecked = loadUnchecked(testdata, ["compose-test-extends.yaml"]).services as Services;
    assert.deepEqual(unchecked.importer.env_file, [{ path: path.join(testdata, "subdir/extra.env"), required: true }]);
    assert.deepEqual(importer.environment, { SOURCE: "extends" });
    assert.deepEqual(importer.volumes, [{ type: "bind", source: "/opt/data", target: "/var/lib/mysql", bind: { create_host_path: true } }]);
  });

  it("compose-test-extends-with-context-url.yaml: a remote build context is kept as written", () => {
    const service = load(testdata, ["compose-test-extends-with-context-url.yaml"]).services["importer-with-https-url"];
    assert.equal(service.build?.context, "https://github.com/docker/compose.git");
  });

  it("depends_on.yaml: references brought in by extends must exist in the extending project", () => {
    const dir = writeProject({
      "compose.yaml": `services:\n  svc:\n    extends: {file: ${testdata}/extends/depends_on.yaml, service: with_depends_on}\n`,
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      `${testdata}/extends/depends_on.yaml:5:9: services.svc.depends_on.zot: depends on undefined service "zot"`,
    ]);
  });
});
