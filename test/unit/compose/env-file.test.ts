import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseEnvFile } from "../../../infra/compose/env-file.ts";
import { formatIssue } from "../../../infra/compose/errors.ts";

function vars(text: string, lookup?: (name: string) => string | undefined): Record<string, string> {
  const result = parseEnvFile(".env", text, lookup);
  assert.deepEqual(result.issues.map(formatIssue), []);
  return result.vars;
}

function errors(text: string, lookup?: (name: string) => string | undefined): string[] {
  return parseEnvFile(".env", text, lookup).issues.map(formatIssue);
}

describe("parseEnvFile: one statement", () => {
  // The cases of compose-go's dotenv TestParsing, with the v2 escape rules.
  const cases: Array<[string, Record<string, string>]> = [
    ["FOO=bar", { FOO: "bar" }],
    ["FOO =bar", { FOO: "bar" }],
    ["FOO= bar", { FOO: "bar" }],
    ['FOO="bar"', { FOO: "bar" }],
    ["FOO='bar'", { FOO: "bar" }],
    ['FOO="escaped\\"bar"', { FOO: 'escaped"bar' }],
    ["FOO='escaped\\'bar'", { FOO: "escaped'bar" }],
    ["FOO=\"'d'\"", { FOO: "'d'" }],
    ["OPTION_A: 1", { OPTION_A: "1" }],
    ["OPTION_A: Foo=bar", { OPTION_A: "Foo=bar" }],
    ["OPTION_A=1:B", { OPTION_A: "1:B" }],
    ["export OPTION_A=2", { OPTION_A: "2" }],
    ["export OPTION_B='\\n'", { OPTION_B: "\\n" }],
    ["export exportFoo=2", { exportFoo: "2" }],
    ["exportFOO=2", { exportFOO: "2" }],
    ["export_FOO =2", { export_FOO: "2" }],
    ["export.FOO= 2", { "export.FOO": "2" }],
    ["export\tOPTION_A=2", { OPTION_A: "2" }],
    ["  export OPTION_A=2", { OPTION_A: "2" }],
    ["\texport OPTION_A=2", { OPTION_A: "2" }],
    ['FOO="bar\\nbaz"', { FOO: "bar\nbaz" }],
    ["FOO.BAR=foobar", { "FOO.BAR": "foobar" }],
    ["FOO=foobar=", { FOO: "foobar=" }],
    ["FOO=bar ", { FOO: "bar" }],
    ["FOO=bar # this is foo", { FOO: "bar" }],
    ["FOO=bar#baz", { FOO: "bar#baz" }],
    ['FOO="bar#baz" # comment', { FOO: "bar#baz" }],
    ["FOO='bar#baz' # comment", { FOO: "bar#baz" }],
    ['FOO="bar#baz#bang" # comment', { FOO: "bar#baz#bang" }],
    ['FOO="ba#r"', { FOO: "ba#r" }],
    ["FOO='ba#r'", { FOO: "ba#r" }],
    ['FOO="bar\\n\\ b\\az"', { FOO: "bar\n\\ b\x07z" }],
    ['FOO="bar\\\\\\n\\ b\\az"', { FOO: "bar\\\n\\ b\x07z" }],
    ['FOO="bar\\\\r\\ b\\az"', { FOO: "bar\\r\\ b\x07z" }],
    ['FOO="tab\\there\\r\\v\\f\\b"', { FOO: "tab\there\r\v\f\b" }],
    ['FOO="\\0123\\0101 \\012 \\0400 \\0"', { FOO: "SA \\012 \\0400 \\0" }],
    ['FOO="ends with \\\\"', { FOO: "ends with \\" }],
    ['="value"', { "": "value" }],
    [" KEY =value", { KEY: "value" }],
    ["   KEY=value", { KEY: "value" }],
    ["\tKEY=value", { KEY: "value" }],
    ["KEY=", { KEY: "" }],
    ['KEY=""', { KEY: "" }],
    ["KEY=value\r\n", { KEY: "value" }],
    ["a[1]=c", { "a[1]": "c" }],
    ["a.propertyKey=d", { "a.propertyKey": "d" }],
    ["árvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép", { "árvíztűrő-TÜKÖRFÚRÓGÉP": "ÁRVÍZTŰRŐ-tükörfúrógép" }],
    ["\uFEFFKEY=bom", { KEY: "bom" }],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)}`, () => assert.deepEqual(vars(text), expected));
  }

  for (const blank of ["\n", "\r\n", "\t\t ", "# Comment", "\t # comment"]) {
    it(`${JSON.stringify(blank)} defines nothing`, () => assert.deepEqual(vars(blank), {}));
  }
});

describe("parseEnvFile: files", () => {
  it("parses multi-line double-quoted values and keeps counting lines after them", () => {
    const text = ['ONE="first line', "second line", 'third line"', "TWO=2", "three=3 x", ""].join("\n");
    assert.deepEqual(vars(text), { ONE: "first line\nsecond line\nthird line", TWO: "2", three: "3 x" });
    assert.deepEqual(errors(text + "bad key=1\n"), [".env:6:1: key cannot contain a space"]);
  });

  it("interpolates unquoted and double-quoted values, not single-quoted ones", () => {
    const text = ["FOO=test", "BAR=$FOO", "BAZ=${FOO}bar", 'QUOTED="quote $FOO"', "SINGLE='quote $FOO'", 'ESCAPED="foo\\$BAR \\${FOO} ${FOO}"', "DOLLARS=$$FOO", "UNSET=$NOPE"].join(
      "\n",
    );
    assert.deepEqual(vars(text), {
      FOO: "test",
      BAR: "test",
      BAZ: "testbar",
      QUOTED: "quote test",
      SINGLE: "quote $FOO",
      ESCAPED: "foo$BAR ${FOO} test",
      DOLLARS: "$FOO",
      UNSET: "",
    });
  });

  it("looks a variable up in `lookup` before the file's own earlier definitions", () => {
    const lookup = (name: string) => (name === "FOO" ? "from-lookup" : undefined);
    assert.deepEqual(vars("FOO=from-file\nBAR=${FOO}\n", lookup), { FOO: "from-file", BAR: "from-lookup" });
  });

  it("gives a bare name the value of `lookup`, or leaves it out", () => {
    const lookup = (name: string) => ({ INHERITED: "inherited", EMPTY: "" })[name];
    assert.deepEqual(vars("INHERITED\nMISSING\nEMPTY\nfoo=bar\n", lookup), { INHERITED: "inherited", EMPTY: "", foo: "bar" });
    // compose-go stores a bare name on the last line (no newline) under the empty key; it is treated as a bare name here.
    assert.deepEqual(vars("foo=bar\nINHERITED", lookup), { foo: "bar", INHERITED: "inherited" });
  });

  it("parses compose-go's example env files from the fixtures", () => {
    const example1 = readFileSync("/work/shared/fixtures/compose/compose-go/example1.env", "utf8");
    const example2 = readFileSync("/work/shared/fixtures/compose/compose-go/example2.env", "utf8");
    assert.deepEqual(vars(example1), {
      FOO: "foo_from_env_file",
      "ENV.WITH.DOT": "ok",
      ENV_WITH_UNDERSCORE: "ok",
      BAR: "bar_from_env_file",
      BAZ: "baz_from_env_file",
    });
    assert.deepEqual(vars(example2), { BAR: "bar_from_env_file_2", QUX: "quz_from_env_file_2" });
  });

  it("parses a thousand lines", () => {
    const text = Array.from({ length: 1000 }, (_, index) => `KEY${index}=VALUE${index}`).join("\n");
    const parsed = vars(text);
    assert.equal(Object.keys(parsed).length, 1000);
    assert.equal(parsed.KEY999, "VALUE999");
  });
});

describe("parseEnvFile: errors", () => {
  it("names the unexpected character and the intended name, never the value", () => {
    assert.deepEqual(errors("%!(EXTRA string)=foo"), ['.env:1:1: unexpected character "%" in variable name "%!(EXTRA string)"']);
    assert.deepEqual(errors("OK=1\nDB_P@SS=hunter2\nAFTER=2"), ['.env:2:5: unexpected character "@" in variable name "DB_P@SS"']);
    assert.deepEqual(vars("OK=1\nAFTER=2"), { OK: "1", AFTER: "2" });
  });

  it("reports a key with a space and goes on with the next line", () => {
    const result = parseEnvFile(".env", "MY KEY=secret-value\nNEXT=1\n");
    assert.deepEqual(result.issues.map(formatIssue), [".env:1:1: key cannot contain a space"]);
    assert.deepEqual(result.vars, { NEXT: "1" });
  });

  it("reports an unterminated quoted value where it starts, without its content", () => {
    assert.deepEqual(errors('A=1\nPASSWORD="s3cret\nB=2\n'), [".env:2:10: unterminated quoted value"]);
    assert.deepEqual(errors("KEY='"), [".env:1:5: unterminated quoted value"]);
  });

  it("reports interpolation errors under the variable's name", () => {
    assert.deepEqual(errors("A=${REQUIRED:?must be set}\nB=\"${\"\n"), [
      ".env:1:3: A: required variable REQUIRED is missing a value: must be set",
      '.env:2:3: B: invalid interpolation format: "${" at character 1 does not start a valid reference; you may need to escape any $ with another $',
    ]);
  });

  it("does not let a __proto__ key reach the prototype", () => {
    const parsed = vars("__proto__=x\n");
    assert.deepEqual(Object.keys(parsed), ["__proto__"]);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  });
});
