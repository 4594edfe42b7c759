/** Which compose files a command reads: -f, else COMPOSE_FILE, else the default names here or above. */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { composeFiles } from "../../../infra/cli/compose-files.ts";
import { writeProject } from "../compose/assembly-helpers.ts";

test("-f flags win over COMPOSE_FILE and the default names", () => {
  const dir = writeProject({ "compose.yaml": "services: {}\n" });
  assert.deepEqual(composeFiles(["a.yaml", "b.yaml"], { COMPOSE_FILE: "c.yaml" }, dir), { files: ["a.yaml", "b.yaml"], from: "flags" });
});

test("COMPOSE_FILE splits on COMPOSE_PATH_SEPARATOR, by default on ':'", () => {
  const dir = writeProject({ "compose.yaml": "services: {}\n" });
  assert.deepEqual(composeFiles(undefined, { COMPOSE_FILE: "a.yaml:b.yaml" }, dir), { files: ["a.yaml", "b.yaml"], from: "COMPOSE_FILE" });
  assert.deepEqual(composeFiles(undefined, { COMPOSE_FILE: "a.yaml;b.yaml", COMPOSE_PATH_SEPARATOR: ";" }, dir), { files: ["a.yaml", "b.yaml"], from: "COMPOSE_FILE" });
  assert.deepEqual(composeFiles(undefined, { COMPOSE_FILE: "a.yaml:b.yaml", COMPOSE_PATH_SEPARATOR: ";" }, dir), { files: ["a.yaml:b.yaml"], from: "COMPOSE_FILE" });
  assert.deepEqual(composeFiles([], { COMPOSE_FILE: "" }, dir), { files: ["compose.yaml"], from: "discovery" }, "an empty COMPOSE_FILE is not set");
});

test("the default names in docker compose's order, in the working directory, then its parents", () => {
  const dir = writeProject({ "docker-compose.yml": "services: {}\n", "compose.yml": "services: {}\n", "app/sub/readme.txt": "" });
  assert.deepEqual(composeFiles(undefined, {}, dir), { files: ["compose.yml"], from: "discovery" });
  assert.deepEqual(composeFiles(undefined, {}, path.join(dir, "app/sub")), { files: [path.join("..", "..", "compose.yml")], from: "discovery" });
});

test("nothing found names every place looked", () => {
  const dir = writeProject({ "readme.txt": "" });
  const found = composeFiles(undefined, {}, dir);
  assert.ok("error" in found);
  assert.match(found.error, /^no compose file: none given with -f, COMPOSE_FILE is not set, and none of compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml is in \/.* or its parents$/);
});
