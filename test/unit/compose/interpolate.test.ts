import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssue } from "../../../infra/compose/errors.ts";
import { interpolate, InterpolationError, interpolateString } from "../../../infra/compose/interpolate.ts";
import { parseComposeText } from "../../../infra/compose/parse.ts";

// The mapping of compose-go's template_test.go.
const defaults: Record<string, string> = { FOO: "first", BAR: "", JSON: '{"json":2}' };
const lookup = (name: string) => (Object.hasOwn(defaults, name) ? defaults[name] : undefined);

function substituted(template: string): string {
  return interpolateString(template, lookup);
}

function substitutionError(template: string): string {
  try {
    interpolateString(template, lookup);
  } catch (error) {
    assert.ok(error instanceof InterpolationError, `not an InterpolationError: ${String(error)}`);
    return error.message;
  }
  assert.fail(`${template} interpolated without an error`);
}

describe("interpolateString", () => {
  const cases: Array<[string, string]> = [
    ["$${foo}", "${foo}"],
    ["foo", "foo"],
    ["a $ string", "a $ string"],
    ["^REGEX$", "^REGEX$"],
    ["$}", "$}"],
    ["$", "$"],
    ["$1 and $-", "$1 and $-"],
    ["$FOO-bar", "first-bar"],
    ["This ${missing} var", "This  var"],
    ["This ${BAR} var", "This  var"],
    ["This $FOO var", "This first var"],
    ["This ${FOO} var", "This first var"],
    ["lower $foo and ${Foo}", "lower  and "],
    ["ok ${missing:-def}", "ok def"],
    ["ok ${missing-def}", "ok def"],
    ["ok ${BAR:-def}", "ok def"],
    ["ok ${FOO:-def}", "ok first"],
    ["ok ${BAR-def}", "ok "],
    ["ok ${UNSET_VAR:+presence_value}", "ok "],
    ["ok ${UNSET_VAR+presence_value}", "ok "],
    ["ok ${FOO:+presence_value}", "ok presence_value"],
    ["ok ${FOO+presence_value}", "ok presence_value"],
    ["ok ${BAR+presence_value}", "ok presence_value"],
    ["ok ${BAR:+presence_value}", "ok "],
    ["ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"],
    ["-ok ${BAR:-defaultValue}", "-ok defaultValue"],
    ["+ok ${UNSET:-${BAR-defaultValue}}", "+ok "],
    ["-ok ${FOO:-defaultValue}", "-ok first"],
    [":-ok ${UNSET-defaultValue}", ":-ok defaultValue"],
    [":-ok ${BAR-defaultValue}", ":-ok "],
    [":?ok ${BAR-defaultValue}", ":?ok "],
    [":?ok ${BAR:-defaultValue}", ":?ok defaultValue"],
    [":+ok ${BAR:-defaultValue}", ":+ok defaultValue"],
    ["+ok ${BAR-defaultValue}", "+ok "],
    ["?ok ${BAR:-defaultValue}", "?ok defaultValue"],
    ["ok ${UNSET_VAR-$FOO}", "ok first"],
    ["ok ${UNSET_VAR-${FOO}}", "ok first"],
    ["ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"],
    ["ok ${BAR:-$FOO}", "ok first"],
    ["ok ${BAR:-${FOO}}", "ok first"],
    ["ok ${BAR:-${FOO} ${FOO}}", "ok first first"],
    ["ok ${BAR+$FOO}", "ok first"],
    ["ok ${BAR+$FOO ${FOO:+second}}", "ok first second"],
    ["ok ${UNSET:-${ALSO_UNSET:-${FOO}}}", "ok first"],
    ["ok ${FOO:?err}", "ok first"],
    ["ok ${FOO?err}", "ok first"],
    ["ok ${BAR?err}", "ok "],
    ["${UNSET_VAR-myerror?msg}", "myerror?msg"],
    ["${FOO?bar-baz}", "first"],
    ["ok ${SUBDOMAIN:-redis}.${FOO:?}", "ok redis.first"],
    ['ok ${missing:-{"json":1}}', 'ok {"json":1}'],
    ['ok ${missing-{"json":1}}', 'ok {"json":1}'],
    ['ok ${JSON:-{"json":1}}', 'ok {"json":2}'],
    ["${FOO}${FOO}$FOO$$FOO", "firstfirstfirst$FOO"],
    ["line ${FOO}\nline ${BAR:-two}", "line first\nline two"],
    // Operands are evaluated only when they are used.
    ["${FOO:-${UNSET:?not needed}}", "first"],
    ["${UNSET:+${ALSO_UNSET:?not needed}}", ""],
  ];
  for (const [template, expected] of cases) {
    it(`${JSON.stringify(template)} -> ${JSON.stringify(expected)}`, () => assert.equal(substituted(template), expected));
  }

  const invalid: Array<[string, number]> = [
    ["${", 1],
    ["${}", 1],
    ["${ }", 1],
    ["${ foo}", 1],
    ["${foo }", 1],
    ["${foo!}", 1],
    ["ok ${FOO} ${", 11],
    ["${A:-x\n}", 1],
    ["ok ${UNSET:-${ bad}}", 13],
  ];
  for (const [template, character] of invalid) {
    it(`${JSON.stringify(template)} is invalid`, () =>
      assert.equal(
        substitutionError(template),
        `invalid interpolation format: "\${" at character ${character} does not start a valid reference; you may need to escape any $ with another $`,
      ));
  }

  const missing: Array<[string, string]> = [
    ["not ok ${UNSET_VAR:?Mandatory Variable Unset}", "required variable UNSET_VAR is missing a value: Mandatory Variable Unset"],
    ["not ok ${BAR:?Mandatory Variable Empty}", "required variable BAR is missing a value: Mandatory Variable Empty"],
    ["not ok ${UNSET_VAR:?}", "required variable UNSET_VAR is missing a value"],
    ["not ok ${UNSET_VAR?Mandatory Variable Unset}", "required variable UNSET_VAR is missing a value: Mandatory Variable Unset"],
    ["not ok ${UNSET_VAR?}", "required variable UNSET_VAR is missing a value"],
    ["not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}", "required variable UNSET_VAR is missing a value: Mandatory Variable first"],
    ["not ok ${UNSET_VAR?Mandatory Variable ${FOO}}", "required variable UNSET_VAR is missing a value: Mandatory Variable first"],
    ["${UNSET_VAR?bar-baz}", "required variable UNSET_VAR is missing a value: bar-baz"],
    ["${UNSET:-${ALSO_UNSET:?needed}}", "required variable ALSO_UNSET is missing a value: needed"],
  ];
  for (const [template, message] of missing) {
    it(`${JSON.stringify(template)} reports the missing variable`, () => assert.equal(substitutionError(template), message));
  }
});

describe("interpolate", () => {
  function load(yaml: string, env: Record<string, string>) {
    const parsed = parseComposeText("compose.yaml", "/project", yaml);
    assert.deepEqual(parsed.issues, []);
    const result = interpolate(parsed.source!, env);
    return { data: result.data, errors: result.issues.map(formatIssue) };
  }

  it("substitutes values everywhere, including lists and x- extensions, but never keys", () => {
    const { data, errors } = load(
      [
        "x-tag: ${TAG}",
        "services:",
        "  ${NAME}:",
        "    image: app:${TAG:-latest}",
        "    command: [run, '$${HOME}', $FLAG]",
        "    environment:",
        "      ${KEY}: ${VALUE}",
        "    labels:",
        "      - a=${TAG}",
        "",
      ].join("\n"),
      { TAG: "1.2", NAME: "web", FLAG: "-v", KEY: "K", VALUE: "v" },
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(data, {
      "x-tag": "1.2",
      services: {
        "${NAME}": {
          image: "app:1.2",
          command: ["run", "${HOME}", "-v"],
          environment: { "${KEY}": "v" },
          labels: ["a=1.2"],
        },
      },
    });
  });

  it("leaves numbers, booleans and nulls alone", () => {
    const { data } = load("a: 1\nb: true\nc: ~\nd: 0440\n", {});
    assert.deepEqual(data, { a: 1, b: true, c: null, d: 288 });
  });

  it("casts the fields compose-go casts, whether or not they held a variable", () => {
    const { data, errors } = load(
      [
        "services:",
        "  web:",
        "    read_only: ${RO}",
        "    tty: 'yes'",
        "    init: 'off'",
        "    scale: ${N}",
        "    cpus: ${CPUS}",
        "    pids_limit: '-1'",
        "    deploy:",
        "      replicas: ${N}",
        "      update_config: {parallelism: '2', max_failure_ratio: '0.5'}",
        "    healthcheck: {retries: '3', disable: 'false'}",
        "    ports:",
        "      - target: ${PORT}",
        "        published: ${PORT}",
        "    secrets: [{source: s, mode: '0440'}]",
        "    ulimits:",
        "      nproc: '65535'",
        "      nofile: {soft: '20000', hard: '40000'}",
        "    volumes:",
        "      - {type: volume, source: v, target: /v, read_only: 'true', volume: {nocopy: 'true'}}",
        "    labels:",
        "      replicas: ${N}",
        "networks:",
        "  front: {external: 'true', internal: 'false', attachable: 'TRUE', enable_ipv6: 'false'}",
        "volumes: {v: {external: 'true'}}",
        "secrets: {s: {external: 'true'}}",
        "configs: {c: {external: 'false'}}",
        "",
      ].join("\n"),
      { RO: "true", N: "3", CPUS: "0.5", PORT: "8080" },
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(data, {
      services: {
        web: {
          read_only: true,
          tty: true,
          init: false,
          scale: 3,
          cpus: 0.5,
          pids_limit: -1,
          deploy: { replicas: 3, update_config: { parallelism: 2, max_failure_ratio: 0.5 } },
          healthcheck: { retries: 3, disable: false },
          ports: [{ target: 8080, published: "8080" }],
          secrets: [{ source: "s", mode: 440 }],
          ulimits: { nproc: 65535, nofile: { soft: 20000, hard: 40000 } },
          volumes: [{ type: "volume", source: "v", target: "/v", read_only: true, volume: { nocopy: true } }],
          labels: { replicas: "3" },
        },
      },
      networks: { front: { external: true, internal: false, attachable: true, enable_ipv6: false } },
      volumes: { v: { external: true } },
      secrets: { s: { external: true } },
      configs: { c: { external: false } },
    });
  });

  it("reports every error with the value's file, line, column and dotted path", () => {
    const { errors } = load(
      [
        "services:", // 1
        "  web:", // 2
        "    image: ${IMAGE:?set IMAGE to the image to deploy}", // 3
        "    environment:", // 4
        "      - PASSWORD=${", // 5
        "    read_only: ${RO}", // 6
        "    deploy:", // 7
        "      replicas: ${N}", // 8
        "",
      ].join("\n"),
      { RO: "maybe", N: "3.5" },
    );
    assert.deepEqual(errors, [
      "compose.yaml:3:12: services.web.image: required variable IMAGE is missing a value: set IMAGE to the image to deploy",
      'compose.yaml:5:9: services.web.environment[0]: invalid interpolation format: "${" at character 10 does not start a valid reference; you may need to escape any $ with another $',
      "compose.yaml:6:16: services.web.read_only: failed to cast to expected type: invalid boolean: maybe",
      'compose.yaml:8:17: services.web.deploy.replicas: failed to cast to expected type: strconv.Atoi: parsing "3.5": invalid syntax',
    ]);
  });

  it("points at the anchored text for a value reached through an alias or merge key", () => {
    const { errors } = load("x-base: &base\n  image: ${IMAGE:?}\nservices:\n  web:\n    <<: *base\n", {});
    assert.deepEqual(errors, [
      "compose.yaml:2:10: x-base.image: required variable IMAGE is missing a value",
      "compose.yaml:2:10: services.web.image: required variable IMAGE is missing a value",
    ]);
  });

  it("uses only the given environment", () => {
    process.env.COMPOSE_FRONT_TEST_ONLY = "from-process";
    try {
      const { data } = load("a: ${COMPOSE_FRONT_TEST_ONLY}\nb: ${constructor}\n", {});
      assert.deepEqual(data, { a: "", b: "" });
    } finally {
      delete process.env.COMPOSE_FRONT_TEST_ONLY;
    }
  });
});
