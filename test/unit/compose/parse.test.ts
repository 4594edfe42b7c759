import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { formatIssue } from "../../../infra/compose/errors.ts";
import { locateValue, mergeDirectives, parseComposeText, resolvePlainScalar } from "../../../infra/compose/parse.ts";

function parseData(yaml: string): unknown {
  const result = parseComposeText("compose.yaml", "/project", yaml);
  assert.deepEqual(result.issues.map(formatIssue), []);
  return result.source?.data;
}

function parseErrors(yaml: string): string[] {
  const result = parseComposeText("compose.yaml", "/project", yaml);
  assert.equal(result.source, undefined, "a file with errors yields no source");
  return result.issues.map(formatIssue);
}

describe("parseComposeText: data", () => {
  it("returns plain data and the file's name and directory", () => {
    const result = parseComposeText("compose.yaml", "/project", "services:\n  web:\n    image: nginx\n");
    assert.equal(result.source?.file, "compose.yaml");
    assert.equal(result.source?.dir, "/project");
    assert.deepEqual(result.source?.data, { services: { web: { image: "nginx" } } });
  });

  it("resolves plain scalars as yaml.v3 does", () => {
    const cases: Array<[string, unknown]> = [
      ["80:80", "80:80"],
      ["127.0.0.1:8001:8001", "127.0.0.1:8001:8001"],
      ["0440", 288],
      ["0o17", 15],
      ["-0o17", -15],
      ["0x1F", 31],
      ["0b101", 5],
      ["1_000", 1000],
      ["08", 8],
      ["+12", 12],
      ["-3", -3],
      ["1.5", 1.5],
      [".5", 0.5],
      ["1e3", 1000],
      ["1.", 1],
      ["yes", "yes"],
      ["on", "on"],
      ["No", "No"],
      ["true", true],
      ["False", false],
      ["TRUE", true],
      ["~", null],
      ["null", null],
      ["Null", null],
      ["", null],
      [".inf", Infinity],
      ["-.Inf", -Infinity],
      ["2001:3984:3989::10", "2001:3984:3989::10"],
      ["2001-12-14", "2001-12-14"],
      ["0x", "0x"],
      ["1e400", "1e400"],
      ["9223372036854775807", 9223372036854775807],
      ["18446744073709551615", 18446744073709551615],
      ["-9223372036854775809", -9223372036854775809],
      ["<<", "<<"],
    ];
    for (const [text, expected] of cases) assert.deepEqual(resolvePlainScalar(text), expected, text);
    assert.ok(Number.isNaN(resolvePlainScalar(".nan")));
  });

  it("keeps quoted, block and `!!str` scalars as strings and applies explicit core tags", () => {
    const data = parseData(
      [
        "a: '0440'",
        'b: "true"',
        "c: !!str 12",
        "d: ! 12",
        "e: !!int '12'",
        "f: !!float 1",
        "g: !!null ''",
        "h: !!bool true",
        "i: |",
        "  line 1",
        "  line 2",
        "j: >-",
        "  folded",
        "  text",
        "",
      ].join("\n"),
    );
    assert.deepEqual(data, { a: "0440", b: "true", c: "12", d: "12", e: 12, f: 1, g: null, h: true, i: "line 1\nline 2\n", j: "folded text" });
  });

  it("expands aliases into independent copies", () => {
    const data = parseData("x-env: &env\n  A: '1'\nservices:\n  a:\n    environment: *env\n  b:\n    environment: *env\n") as {
      services: { a: { environment: object }; b: { environment: object } };
    };
    assert.deepEqual(data.services.a.environment, { A: "1" });
    assert.deepEqual(data.services.b.environment, { A: "1" });
    assert.notEqual(data.services.a.environment, data.services.b.environment);
  });

  it("applies merge keys: explicit keys win, then earlier merged mappings win", () => {
    const data = parseData(
      [
        "x-base: &base",
        "  image: base",
        "  restart: always",
        "  environment: {A: base}",
        "x-other: &other",
        "  image: other",
        "  user: other",
        "  restart: 'no'",
        "services:",
        "  single:",
        "    <<: *base",
        "    image: mine",
        "  list:",
        "    image: mine",
        "    <<: [*other, *base]",
        "  inline:",
        "    <<: {image: inline, tty: true}",
        "",
      ].join("\n"),
    );
    assert.deepEqual((data as { services: unknown }).services, {
      single: { image: "mine", restart: "always", environment: { A: "base" } },
      list: { image: "mine", user: "other", restart: "no", environment: { A: "base" } },
      inline: { image: "inline", tty: true },
    });
  });

  it("applies merge keys inside merged mappings, below the mapping's own keys", () => {
    const data = parseData("a: &a {x: a, y: a}\nb: &b {<<: *a, y: b, z: b}\nc:\n  <<: *b\n  z: c\n");
    assert.deepEqual((data as { c: unknown }).c, { x: "a", y: "b", z: "c" });
  });

  it("parses an empty file and a comment-only file to an empty mapping", () => {
    assert.deepEqual(parseData(""), {});
    assert.deepEqual(parseData("# nothing here\n\n"), {});
  });

  it("ignores a UTF-8 byte order mark and CRLF line ends", () => {
    assert.deepEqual(parseData("\uFEFFservices:\r\n  web:\r\n    image: nginx\r\n"), { services: { web: { image: "nginx" } } });
  });

  it("keeps a key named __proto__ as an ordinary entry", () => {
    const data = parseData("__proto__: {polluted: true}\nb: 1\n") as Record<string, unknown>;
    assert.deepEqual(Object.keys(data), ["__proto__", "b"]);
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("parses the conformance fixtures without issues", () => {
    for (const fixture of ["compose-go/full-example.yml", "docker-cli/full-example.yml"]) {
      const path = `/work/shared/fixtures/compose/${fixture}`;
      const result = parseComposeText(path, "/project", readFileSync(path, "utf8"));
      assert.deepEqual(result.issues, [], fixture);
      assert.equal(typeof (result.source?.data as { services?: unknown }).services, "object");
    }
  });
});

describe("parseComposeText: !reset and !override", () => {
  const yaml = [
    "x-base: &base",
    "  image: base",
    "  user: base",
    "services:",
    "  web:",
    "    <<: *base",
    "    user: !reset null",
    "    ports: !override",
    "      - target: 8000",
    "    dns: [a, !reset b, c]",
    "    build: !reset",
    "  db: !reset {}",
    "",
  ].join("\n");
  const source = parseComposeText("compose.yaml", "/project", yaml).source!;

  it("leaves reset values out of the data and keeps overridden ones", () => {
    assert.deepEqual(source.data, {
      "x-base": { image: "base", user: "base" },
      services: { web: { image: "base", user: "base", ports: [{ target: 8000 }], dns: ["a", "c"] } },
    });
  });

  it("records the tagged paths for merging, in document order", () => {
    assert.deepEqual(mergeDirectives(source), {
      reset: [
        ["services", "web", "user"],
        ["services", "web", "dns", 1],
        ["services", "web", "build"],
        ["services", "db"],
      ],
      override: [["services", "web", "ports"]],
    });
  });

  it("has no directives for a file without tags or for another source", () => {
    assert.deepEqual(mergeDirectives(parseComposeText("c.yaml", "/", "a: 1\n").source!), { reset: [], override: [] });
    assert.deepEqual(mergeDirectives({ file: "x", dir: "/", data: {}, locate: () => undefined }), { reset: [], override: [] });
  });
});

describe("parseComposeText: errors", () => {
  const cases: Array<{ name: string; yaml: string; errors: string[] }> = [
    {
      name: "duplicate key",
      yaml: "services:\n  web:\n    image: a\n    image: b\n",
      errors: ['compose.yaml:4:5: services.web: mapping key "image" already defined at line 3'],
    },
    {
      name: "duplicate key spelled as a number and as a string",
      yaml: "labels:\n  1: a\n  '1': b\n",
      errors: ["compose.yaml:2:3: labels: non-string key 1; quote it to use it as a name", 'compose.yaml:3:3: labels: mapping key "1" already defined at line 2'],
    },
    {
      name: "two merge keys in one mapping",
      yaml: "a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n",
      errors: ['compose.yaml:4:3: b: mapping key "<<" already defined at line 3'],
    },
    { name: "sequence at the root", yaml: "- web\n", errors: ["compose.yaml:1:1: top-level object must be a mapping"] },
    { name: "scalar at the root", yaml: "services\n", errors: ["compose.yaml:1:1: top-level object must be a mapping"] },
    { name: "null document", yaml: "---\n", errors: ["compose.yaml:1:4: top-level object must be a mapping"] },
    { name: "tab indentation", yaml: "services:\n\tweb: {}\n", errors: ["compose.yaml:2:1: invalid YAML: Tabs are not allowed as indentation"] },
    {
      name: "bad indentation",
      yaml: "services:\n  web:\n    image: a\n   ports: []\n",
      errors: ["compose.yaml:4:1: invalid YAML: All mapping items must start at the same column"],
    },
    { name: "unclosed quote", yaml: "image: 'nginx\n", errors: ["compose.yaml:2:1: invalid YAML: Missing closing 'quote"] },
    { name: "unknown anchor", yaml: "services:\n  web: *missing\n", errors: ['compose.yaml:2:8: services.web: unknown anchor "missing" referenced'] },
    { name: "alias cycle", yaml: "x: &x [*x]\n", errors: ['compose.yaml:1:8: x[0]: cycle detected: alias "*x" is inside the node it refers to'] },
    {
      name: "merge of a scalar",
      yaml: "services:\n  web:\n    <<: nginx\n",
      errors: ["compose.yaml:3:9: services.web: map merge requires map or sequence of maps as the value"],
    },
    {
      name: "merge of a sequence of scalars",
      yaml: "x: &x [a]\nweb:\n  <<: [*x]\n",
      errors: ["compose.yaml:3:8: web: map merge requires map or sequence of maps as the value"],
    },
    { name: "boolean key", yaml: "true: 1\n", errors: ["compose.yaml:1:1: non-string key true; quote it to use it as a name"] },
    { name: "null key", yaml: "services:\n  ~: {}\n", errors: ["compose.yaml:2:3: services: non-string key null; quote it to use it as a name"] },
    {
      name: "collection key",
      yaml: "? [a, b]\n: c\n",
      errors: ["compose.yaml:1:3: non-string key: a mapping key must be a plain name"],
    },
    { name: "unknown tag", yaml: "a: !!binary aGk=\n", errors: ["compose.yaml:1:13: a: unsupported YAML tag !!binary"] },
    { name: "tag that does not fit the value", yaml: "a: !!int abc\n", errors: ['compose.yaml:1:10: a: cannot decode "abc" as !!int'] },
    {
      name: "several documents",
      yaml: "services: {}\n---\nservices: {}\n",
      errors: ["compose.yaml:2:1: a compose file must hold a single YAML document; split the documents into separate files"],
    },
  ];
  for (const { name, yaml, errors } of cases) {
    it(name, () => assert.deepEqual(parseErrors(yaml), errors));
  }

  it("reports every problem of a file, once each, even when reached through several aliases", () => {
    const yaml = "x-a: &a\n  k: 1\n  k: 2\nservices:\n  one: *a\n  two: *a\n  three:\n    image: a\n    image: b\n";
    assert.deepEqual(parseErrors(yaml), [
      'compose.yaml:3:3: x-a: mapping key "k" already defined at line 2',
      'compose.yaml:9:5: services.three: mapping key "image" already defined at line 8',
    ]);
  });

  it("refuses documents whose aliases multiply beyond the size budget", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level <= 7; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      levels.push(`${current}: &${current} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    const errors = parseErrors(levels.join("\n") + "\n");
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^compose\.yaml:\d+:\d+: .*document contains excessive aliasing$/);
  });
});

describe("SourceFile.locate and locateValue", () => {
  const yaml = [
    "x-base: &base", // 1
    "  image: base", // 2
    "services:", // 3
    "  web:", // 4
    "    <<: *base", // 5
    "    ports:", // 6
    '      - "80:80"', // 7
    "      - target: 443", // 8
    "    environment:", // 9
    "      A: 'one'", // 10
    "",
  ].join("\n");
  const source = parseComposeText("compose.yaml", "/project", yaml).source!;

  it("gives a map entry's key and a sequence item's start, 1-based", () => {
    assert.deepEqual(source.locate(["services", "web"]), { line: 4, col: 3 });
    assert.deepEqual(source.locate(["services", "web", "environment", "A"]), { line: 10, col: 7 });
    assert.deepEqual(source.locate(["services", "web", "ports", 0]), { line: 7, col: 9 });
    assert.deepEqual(source.locate(["services", "web", "ports", 1, "target"]), { line: 8, col: 9 });
  });

  it("gives the deepest existing ancestor for a path that does not exist", () => {
    assert.deepEqual(source.locate(["services", "web", "ports", 5]), { line: 6, col: 5 });
    assert.deepEqual(source.locate(["services", "db", "image"]), { line: 3, col: 1 });
    assert.deepEqual(source.locate(["services", "web", "environment", "A", "deeper"]), { line: 10, col: 7 });
    assert.deepEqual(source.locate([]), { line: 1, col: 1 });
  });

  it("points merged keys at the text that defines them", () => {
    assert.deepEqual(source.locate(["services", "web", "image"]), { line: 2, col: 3 });
  });

  it("locateValue gives the value's own start", () => {
    assert.deepEqual(locateValue(source, ["services", "web", "environment", "A"]), { line: 10, col: 10 });
    assert.deepEqual(locateValue(source, ["services", "web", "image"]), { line: 2, col: 10 });
    assert.deepEqual(locateValue(source, ["services", "web", "nope"]), { line: 4, col: 3 });
  });
});
