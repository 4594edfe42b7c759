/**
 * Conformance with the reference loaders' golden files (../shared/fixtures/compose).
 *
 * compose-go's full example is loaded the way compose-go's own test loads it
 * (loader_test.go `loadYAMLWithEnv`: consistency checks and normalization skipped, paths
 * resolved, HOME and QUX set) and must print exactly the expected JSON and YAML.
 * docker/cli's example (the `docker stack deploy` loader) must be accepted; its golden
 * file is compared field by field, and every difference is listed below with its reason.
 * The comparison fails on a difference that is not listed and on a listed difference
 * that no longer occurs, so the lists stay exact.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { ComposeError, formatIssue } from "../../../infra/compose/errors.ts";
import { loadModel, loadProject } from "../../../infra/compose/load.ts";
import { renderModel } from "../../../infra/compose/render.ts";
import { validateProject } from "../../../infra/compose/schema/index.ts";
import { temporaryDirectory } from "./assembly-helpers.ts";
import { COMPOSE_GO, DOCKER_CLI, FIXTURES_MISSING } from "./fixture-paths.ts";
import { differences } from "./corpus/compare.ts";

/** Copies fixture files into a fresh directory so that the working directory can be mapped back. */
function stage(from: string, files: string[]): string {
  const dir = temporaryDirectory("compose-conformance-");
  for (const file of files) fs.copyFileSync(path.join(from, file), path.join(dir, file));
  return dir;
}

function issuesOf(run: () => unknown, dir: string): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ComposeError) return error.issues.map((issue) => formatIssue(issue).split(dir).join("<dir>"));
    throw error;
  }
  return [];
}

/** Checks that each difference is explained by exactly listed patterns, and each pattern still applies. */
function assertListed(found: string[], listed: ReadonlyArray<readonly [RegExp, string]>): void {
  const unexplained = found.filter((difference) => !listed.some(([pattern]) => pattern.test(difference)));
  assert.deepEqual(unexplained, [], "differences not listed with a reason");
  const stale = listed.filter(([pattern]) => !found.some((difference) => pattern.test(difference))).map(([pattern, reason]) => `${pattern} (${reason})`);
  assert.deepEqual(stale, [], "listed differences that no longer occur");
}

const COMPOSE_GO_FILES = ["full-example.yml", "example1.env", "example2.env", "example1.label", "example2.label"];
/** loader_test.go (v2.9.1) TestFullExample: HOME is the user's home, QUX comes from the environment. */
const COMPOSE_GO_ENV = { HOME: "/home/user", QUX: "qux_from_environment" };
const COMPOSE_GO_STAGES = { checkReferences: false, normalize: false };

describe("conformance: compose-go v2.9.1 full example", { skip: FIXTURES_MISSING }, () => {
  const render = (format: "json" | "yaml") => {
    const dir = stage(COMPOSE_GO, COMPOSE_GO_FILES);
    const { model } = loadModel({ files: [path.join(dir, "full-example.yml")], environment: COMPOSE_GO_ENV }, COMPOSE_GO_STAGES);
    return renderModel(model, format).split(dir).join("/project");
  };

  // The golden files end with one newline more than the CLI prints (none after JSON, one after YAML).
  it("prints full-example.expected.json exactly", () => {
    const actual = `${render("json")}\n`;
    const expected = fs.readFileSync(path.join(COMPOSE_GO, "full-example.expected.json"), "utf8");
    assert.deepEqual(differences(JSON.parse(actual), JSON.parse(expected)), []);
    assert.equal(actual, expected);
  });

  it("prints full-example.expected.yaml exactly", () => {
    assert.equal(`${render("yaml")}\n`, fs.readFileSync(path.join(COMPOSE_GO, "full-example.expected.yaml"), "utf8"));
  });

  it("with the full pipeline, rejects exactly the references compose-go's test skips", () => {
    const dir = stage(COMPOSE_GO, COMPOSE_GO_FILES);
    // Deliberate: loadProject always checks consistency. The example refers to services,
    // a network and a volume it never declares and sets networks next to network_mode,
    // which `docker compose config` (consistency checks on) rejects too.
    assert.deepEqual(issuesOf(() => loadProject({ files: [path.join(dir, "full-example.yml")], environment: COMPOSE_GO_ENV }), dir), [
      '<dir>/full-example.yml:236:5: services.foo.network_mode: "network_mode" and "networks" cannot be used together',
      '<dir>/full-example.yml:247:7: services.foo.networks.other-other-network: undefined network "other-other-network"',
      '<dir>/full-example.yml:69:9: services.foo.depends_on.db: depends on undefined service "db"',
      '<dir>/full-example.yml:70:9: services.foo.depends_on.redis: depends on undefined service "redis"',
      '<dir>/full-example.yml:218:8: services.foo.links[0]: links to undefined service "db"',
      '<dir>/full-example.yml:219:8: services.foo.links[1]: links to undefined service "db"',
      '<dir>/full-example.yml:220:8: services.foo.links[2]: links to undefined service "redis"',
      '<dir>/full-example.yml:318:9: services.foo.volumes[5].source: undefined volume "datavolume"',
      "<dir>/full-example.yml:66:5: services.foo.container_name: cannot be set when the service runs 6 replicas: container names must be unique",
    ]);
  });
});

const DOCKER_CLI_FILES = ["full-example.yml", "example1.env", "example2.env"];
/** docker/cli's golden was produced with working directory /foo and home /bar. */
const DOCKER_CLI_ENV = { HOME: "/bar", QUX: "qux_from_environment" };

/**
 * How the canonical model differs from docker/cli's golden, field by field: that loader
 * serves `docker stack deploy` (compose file format v3), this one follows compose-go.
 */
const DOCKER_CLI_DIFFERENCES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^version: undefined vs "3\.13"$/, "`version` is obsolete; compose-go drops it"],
  [/^name: "[^"]+" vs undefined$/, "the model always carries the project name; docker/cli's config has none"],
  [/^(configs|secrets|networks|volumes)\.[^.]+\.external: undefined vs false$/, "compose-go omits external: false (omitempty)"],
  [
    /^(configs\.config3|secrets\.secret3|networks\.external-network|volumes\.external-volume)\.name: undefined vs "[^"]+"$/,
    "an external resource's name defaults to its key during normalization, which this comparison skips as compose-go's test does",
  ],
  [
    /^(configs\.config4|secrets\.secret4)\.file: undefined vs "\/foo"$/,
    "docker/cli turns a missing file into the working directory; we keep it absent and the reference check reports the missing source",
  ],
  [/^services\.foo\.build\.context: "\/foo\/dir" vs "\.\/dir"$/, "build contexts are resolved against the project directory, as compose-go does"],
  [/^services\.foo\.env_file\[\d\]: "\/foo\/example\d\.env" vs "\.\/example\d\.env"$/, "env_file paths are resolved, as compose-go does"],
  [/^services\.foo\.secrets\[\d\]\.target: "\/run\/secrets\/secret\d" vs undefined$/, "compose-go gives a secret without target /run/secrets/<source>; docker/cli leaves it to the engine"],
  [
    /^services\.foo\.(build\.)?extra_hosts\[\d\]: "[^"]+=[^"]+" vs "[^"]+:[^"]+"$/,
    'compose-go prints extra hosts as sorted "host=address"; docker/cli keeps "host:address" in file order',
  ],
  [/^services\.foo\.(configs|secrets)\[1\]\.mode: "0440" vs 288$/, "compose-go prints file modes in octal"],
  [/^services\.foo\.depends_on: \{.*\} vs \["db","redis"\]$/, "depends_on is always the long form with condition and required (compose-spec)"],
  [/^services\.foo\.deploy\.resources\.(limits|reservations)\.cpus: [\d.]+ vs "[\d.]+"$/, "compose-go prints cpus as a number"],
  [/^services\.foo\.devices\[0\]: \{.*\} vs "\/dev\/ttyUSB0:\/dev\/ttyUSB0"$/, "devices use the long syntax of compose-spec"],
  [/^services\.foo\.ports\[\d+\]\.published: "\d+" vs \d+$/, "compose-go prints published ports as strings (they may be ranges)"],
  [
    /^services\.foo\.ports\[\d+\]\.host_ip: "127\.0\.0\.1" vs undefined$/,
    "docker/cli drops the host IP (swarm cannot bind one); compose keeps it and the graph decides per target",
  ],
  [
    /^services\.foo\.volumes(\[\d\](\.[a-z_]+)?)?: /,
    "compose-go keeps one mount per target (a later one replaces an earlier one) and cleans targets; docker/cli keeps all nine as written and prints tmpfs.size as a number",
  ],
  [/^services\.foo\.credential_spec: undefined vs \{\}$/, "compose-go omits an absent credential_spec; docker/cli prints an empty one"],
  [/^volumes\.cluster-volume\.x-cluster-spec: undefined vs \{.*\}$/, "compose-go's JSON keeps extensions only at the top level (YAML keeps them all)"],
];

describe("conformance: docker/cli full example", { skip: FIXTURES_MISSING }, () => {
  const load = (stages: { checkReferences: boolean; normalize: boolean }) => {
    const dir = stage(DOCKER_CLI, DOCKER_CLI_FILES);
    return { dir, ...loadModel({ files: [path.join(dir, "full-example.yml")], environment: DOCKER_CLI_ENV }, stages) };
  };

  it("is accepted (parse, interpolation, schema, merge, normalization) into a canonical model", () => {
    const { model, source } = load({ checkReferences: false, normalize: true });
    assert.deepEqual(Object.keys(model.services as object), ["foo"]);
    const checked = validateProject(source, model);
    assert.deepEqual(checked.issues, []);
    assert.deepEqual(checked.project, model);
  });

  it("differs from docker/cli's golden file only where listed", () => {
    const { dir, model } = load(COMPOSE_GO_STAGES);
    const actual = JSON.parse(renderModel(model, "json").split(dir).join("/foo"));
    const expected = JSON.parse(fs.readFileSync(path.join(DOCKER_CLI, "full-example.json.golden"), "utf8"));
    assertListed(differences(actual, expected), DOCKER_CLI_DIFFERENCES);
  });

  it("with the full pipeline, reports exactly the dangling references `docker stack deploy` would meet at deploy time", () => {
    const dir = stage(DOCKER_CLI, DOCKER_CLI_FILES);
    // Deliberate: docker/cli's loader does not check references; `docker stack deploy`
    // then fails on the undeclared network, volume, secret and config sources.
    assert.deepEqual(issuesOf(() => loadProject({ files: [path.join(dir, "full-example.yml")], environment: DOCKER_CLI_ENV }), dir), [
      '<dir>/full-example.yml:203:5: services.foo.network_mode: "network_mode" and "networks" cannot be used together',
      '<dir>/full-example.yml:216:7: services.foo.networks.other-other-network: undefined network "other-other-network"',
      '<dir>/full-example.yml:46:9: services.foo.depends_on.db: depends on undefined service "db"',
      '<dir>/full-example.yml:47:9: services.foo.depends_on.redis: depends on undefined service "redis"',
      '<dir>/full-example.yml:185:8: services.foo.links[0]: links to undefined service "db"',
      '<dir>/full-example.yml:186:8: services.foo.links[1]: links to undefined service "db"',
      '<dir>/full-example.yml:187:8: services.foo.links[2]: links to undefined service "redis"',
      '<dir>/full-example.yml:285:9: services.foo.volumes[0].source: undefined volume "datavolume"',
      "<dir>/full-example.yml:43:5: services.foo.container_name: cannot be set when the service runs 6 replicas: container names must be unique",
      "<dir>/full-example.yml:444:3: secrets.secret4: must declare one of file, environment or content (or be external)",
      "<dir>/full-example.yml:429:3: configs.config4: must declare one of file, environment or content (or be external)",
    ]);
  });
});
