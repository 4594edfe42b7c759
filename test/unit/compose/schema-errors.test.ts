/** How validateComposeFile reports problems: all at once, positioned, phrased for people, never leaking values. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseComposeText } from "../../../infra/compose/parse.ts";
import { validateComposeFile } from "../../../infra/compose/schema/index.ts";
import { issuesOf, validate } from "./schema-helpers.ts";

describe("validateComposeFile issues", () => {
  it("reports every problem of the file together, in document order, with file, line, col and path", () =>
    assert.deepEqual(
      issuesOf(`services:
  web:
    imagee: nginx
    ports:
      - "80:80:80/tcp"
      - true
    healthcheck:
      interval: soon
  db:
    image: 42
    deploy: {mode: global, replicas: 2}
networks:
  ext: {external: true, driver: overlay}
secrets:
  s: {file: ./s, environment: S}`),
      [
        'compose.yaml:3:5: services.web.imagee: unknown key "imagee" (did you mean "image"?)',
        'compose.yaml:5:9: services.web.ports[0]: invalid port "80:80:80/tcp": invalid IP address "80"',
        "compose.yaml:6:9: services.web.ports[1]: expected a port spec string, number or mapping",
        'compose.yaml:8:7: services.web.healthcheck.interval: invalid duration "soon": expected a number followed by a unit such as "10s"',
        "compose.yaml:10:5: services.db.image: expected a string, got an integer",
        'compose.yaml:11:28: services.db.deploy.replicas: "replicas" cannot be used with deploy mode "global"',
        'compose.yaml:13:25: networks.ext.driver: "external" and "driver" cannot be used together: an external resource already exists',
        'compose.yaml:15:18: secrets.s.environment: "file" and "environment" cannot be used together: give the content one way',
      ],
    ));

  it("returns the file and no issues when all is well", () => {
    const result = validate("services:\n  web:\n    image: nginx");
    assert.deepEqual(result, { file: { services: { web: { image: "nginx" } } }, issues: [] });
  });

  it("a root that is not a mapping and a services list are kind errors", () => {
    const parsed = parseComposeText("compose.yaml", "/p", "services:\n  web: {image: a}");
    assert.ok(parsed.source);
    const issues = validateComposeFile(parsed.source, ["a"]).issues;
    assert.deepEqual(
      issues.map(({ file, path, message }) => ({ file, path, message })),
      [{ file: "compose.yaml", path: "", message: "expected a mapping, got a list" }],
    );
    assert.deepEqual(issuesOf("services: [web]"), ["compose.yaml:1:1: services: expected a mapping of services, got a list"]);
    assert.deepEqual(issuesOf("services:\n  web: nginx"), ["compose.yaml:2:3: services.web: expected a mapping, got a string"]);
  });

  it("unknown keys are reported even when sibling values are also wrong", () =>
    assert.deepEqual(issuesOf("services:\n  web:\n    image: [x]\n    enviroment: {A: 1}"), [
      "compose.yaml:3:5: services.web.image: expected a string, got a list",
      'compose.yaml:4:5: services.web.enviroment: unknown key "enviroment" (did you mean "environment"?)',
    ]));

  it("a key far from any allowed key gets no guess", () =>
    assert.deepEqual(issuesOf("services:\n  web:\n    frobnicate: 1"), ['compose.yaml:3:5: services.web.frobnicate: unknown key "frobnicate"']));

  it("never repeats a value that may be secret", () => {
    const issues = issuesOf(`services:\n  web:\n    environment:\n      PASSWORD: {value: hunter2}\n    build:\n      args: [7]\nsecrets:\n  s: {file: 12}`);
    assert.deepEqual(issues, [
      "compose.yaml:4:7: services.web.environment.PASSWORD: expected a string, number, boolean or null, got a mapping",
      'compose.yaml:6:14: services.web.build.args[0]: expected "KEY=VALUE", got an integer',
      "compose.yaml:8:7: secrets.s.file: expected a string, got an integer",
    ]);
    assert.ok(issues.every((line) => !line.includes("hunter2")));
  });
});
