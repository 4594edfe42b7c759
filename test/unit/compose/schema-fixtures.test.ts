/**
 * The reference full examples through the schema alone: docker/cli's and compose-go's
 * files validate, and the short forms they use expand to the entries compose-go's
 * expected model holds (before path resolution and defaults, which later stages own).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { formatIssue } from "../../../infra/compose/errors.ts";
import { parseComposeText } from "../../../infra/compose/parse.ts";
import { validateComposeFile, type ComposeFile } from "../../../infra/compose/schema/index.ts";

/** shared/ sits next to the repository, in a work tree and in CI alike. */
const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/compose", import.meta.url));
const missing = existsSync(FIXTURES) ? false : `the shared fixtures are not next to the repository (${FIXTURES})`;

function loadFixture(path: string): ComposeFile {
  const parsed = parseComposeText(path, "/project", readFileSync(path, "utf8"));
  assert.deepEqual(parsed.issues.map(formatIssue), []);
  const result = validateComposeFile(parsed.source!, parsed.source!.data);
  assert.deepEqual(result.issues.map(formatIssue), []);
  return result.file!;
}

const DURATION_UNITS: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6 };
/** Go's duration text in the expected JSON ("1m0s", "20s") as nanoseconds. */
function goDuration(text: string): number {
  let total = 0;
  for (const [, value, unit] of text.matchAll(/([\d.]+)(h|ms|m|s)/g)) total += Number(value) * DURATION_UNITS[unit];
  return total;
}

describe("reference full examples", { skip: missing }, () => {
  it("docker/cli's full example (compose file format 3.x) is accepted", () => {
    const file = loadFixture(`${FIXTURES}/docker-cli/full-example.yml`);
    assert.equal(file.version, "3.13");
    assert.deepEqual(Object.keys(file.services!), ["foo"]);
    assert.deepEqual(file.services!.foo.devices, [{ source: "/dev/ttyUSB0", target: "/dev/ttyUSB0", permissions: "rwm" }]);
    assert.deepEqual(file.services!.foo.build!.extra_hosts, { "ipv4.example.com": ["127.0.0.1"], "ipv6.example.com": ["::1"] });
  });

  describe("compose-go's full example", () => {
    if (missing) return;
    const file = loadFixture(`${FIXTURES}/compose-go/full-example.yml`);
    const expected = JSON.parse(readFileSync(`${FIXTURES}/compose-go/full-example.expected.json`, "utf8"));
    const foo = file.services!.foo;
    const expectedFoo = expected.services.foo;

    it("ports expand to the expected entries once mode and protocol defaults are added", () =>
      assert.deepEqual(
        foo.ports!.map((port) => ({ mode: "ingress", protocol: "tcp", ...port })),
        expectedFoo.ports,
      ));
    it("short volumes expand to the expected type, target, read_only and options", () => {
      const shape = (mount: { type: string; target: string; read_only?: boolean; bind?: unknown; volume?: unknown; tmpfs?: unknown }) => ({
        type: mount.type,
        target: mount.target,
        read_only: mount.read_only,
        bind: mount.bind,
        volume: mount.volume,
        tmpfs: mount.tmpfs,
      });
      const expectedShapes = expectedFoo.volumes.map((mount: { tmpfs?: { size: string } }) =>
        shape({ ...mount, tmpfs: mount.tmpfs && { size: Number(mount.tmpfs.size) } } as never),
      );
      assert.deepEqual(foo.volumes!.map(shape), expectedShapes);
    });
    it("durations, sizes, cpus and the healthcheck test match", () => {
      assert.equal(foo.stop_grace_period, goDuration(expectedFoo.stop_grace_period));
      assert.deepEqual(foo.healthcheck!.test, expectedFoo.healthcheck.test);
      assert.equal(foo.healthcheck!.interval, goDuration(expectedFoo.healthcheck.interval));
      assert.equal(foo.deploy!.update_config!.monitor, goDuration(expectedFoo.deploy.update_config.monitor));
      assert.equal(foo.deploy!.restart_policy!.window, goDuration(expectedFoo.deploy.restart_policy.window));
      assert.equal(foo.deploy!.resources!.limits!.memory, Number(expectedFoo.deploy.resources.limits.memory));
      assert.equal(foo.deploy!.resources!.reservations!.cpus, expectedFoo.deploy.resources.reservations.cpus);
    });
    it("maps from lists, command splitting, secrets and configs match", () => {
      assert.deepEqual(foo.command, expectedFoo.command);
      assert.deepEqual(foo.labels, { "com.example.description": "Accounting webapp", "com.example.number": "42", "com.example.empty-label": "" });
      assert.deepEqual(foo.sysctls, expectedFoo.sysctls);
      assert.deepEqual(foo.annotations, expectedFoo.annotations);
      assert.deepEqual(foo.build!.labels, expectedFoo.build.labels);
      assert.deepEqual(foo.deploy!.labels, expectedFoo.deploy.labels);
      assert.deepEqual(foo.depends_on, expectedFoo.depends_on);
      assert.deepEqual(foo.networks, expectedFoo.networks);
      assert.deepEqual(foo.ulimits, { nproc: { single: expectedFoo.ulimits.nproc }, nofile: expectedFoo.ulimits.nofile });
      const withOctalText = (ref: { mode?: number }) => (ref.mode === undefined ? ref : { ...ref, mode: `0${ref.mode.toString(8)}` });
      assert.deepEqual(foo.secrets!.map(withOctalText), expectedFoo.secrets);
      assert.deepEqual(foo.configs!.map(withOctalText), expectedFoo.configs);
      assert.deepEqual(foo.build!.secrets!.map(withOctalText), expectedFoo.build.secrets);
      assert.deepEqual(
        Object.entries(foo.extra_hosts!).flatMap(([host, ips]) => ips.map((ip) => `${host}=${ip}`)).sort(),
        expectedFoo.extra_hosts,
      );
    });
    it("external resources take their legacy external.name as name", () => {
      assert.deepEqual(file.networks!["other-external-network"], { name: "my-cool-network", external: true, "x-bar": "baz", "x-foo": "bar" });
      assert.deepEqual(file.volumes!["other-external-volume"], { name: expected.volumes["other-external-volume"].name, external: true });
      assert.deepEqual(file.secrets!.secret2, expected.secrets.secret2);
      assert.deepEqual(file.configs!.config2, expected.configs.config2);
    });
  });
});
