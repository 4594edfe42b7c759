/**
 * com.docker.compose.config-hash follows compose's ServiceHash: what changes one container
 * changes the hash; how many replicas run, how the image is built or pulled, start order
 * and profiles do not, so scaling up never replaces the replicas already running.
 */
import fs from "node:fs";
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { loadProject } from "../../../infra/compose/load.ts";
import { planProject } from "../../../infra/graph/plan.ts";
import { hashedServiceDefinition, serviceConfigHash } from "../../../infra/graph/config-hash.ts";
import { engineContainerSpec, type EngineContainerRefs } from "../../../infra/graph/targets/engine/container.ts";
import type { Project } from "../../../infra/graph/model.ts";

const engineRefs: EngineContainerRefs = {
  image: "sha256:db",
  networkName: (key) => `net:${key}`,
  volumeName: (key) => `vol:${key}`,
  secretContent: () => undefined,
  configContent: () => undefined,
  containerNameOf: (service) => `demo-${service}-1`,
};

function composeText(db: string): string {
  const body = db.trim().split("\n").map((line) => `    ${line}`).join("\n");
  return `services:\n  cache:\n    image: example/cache:1\n  db:\n${body}\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./db_password.txt\n`;
}

/** One project directory for every variant, so bind-mounted secret paths are the same. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-hash-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(db: string, password = "s3cret"): Project {
  fs.writeFileSync(path.join(dir, "compose.yaml"), composeText(db));
  fs.writeFileSync(path.join(dir, "db_password.txt"), password);
  return loadProject({ files: [path.join(dir, "compose.yaml")], environment: {}, projectName: "demo" });
}

function plannedHash(project: Project): string {
  const plan = planProject(project, {
    target: "engine",
    sources: { readFile: (file) => fs.readFileSync(file), environment: {}, hashBuildContext: () => "context-hash" },
  });
  return plan.configHashes.db;
}

/** Replica 1's docker.Container inputs, with the planned config hash in its labels. */
function replicaOne(project: Project): unknown {
  return engineContainerSpec(project, "db", 1, engineRefs, { configHash: plannedHash(project), waitForHealthy: false });
}

const BASE = "image: example/db:1\nenvironment: {MODE: primary}\ndeploy:\n  replicas: 1\n  resources:\n    limits: {memory: 64M}";

describe("config hash (compose's ServiceHash)", () => {
  test("adding a replica keeps replica 1's hash and inputs", () => {
    const one = load(BASE);
    const two = load(BASE.replace("replicas: 1", "replicas: 2"));
    assert.equal(plannedHash(two), plannedHash(one));
    assert.deepEqual(replicaOne(two), replicaOne(one));
  });

  const unchanged: [string, string][] = [
    ["scale", "image: example/db:1\nenvironment: {MODE: primary}\nscale: 3\ndeploy:\n  resources:\n    limits: {memory: 64M}"],
    ["pull_policy", `${BASE}\npull_policy: always`],
    ["depends_on", `${BASE}\ndepends_on: [cache]`],
    ["build", `${BASE}\nbuild: ./db`],
  ];
  for (const [key, text] of unchanged) {
    test(`${key} is left out of the hash`, () => {
      const withoutKey = key === "scale" ? load(BASE.replace("  replicas: 1\n", "")) : load(BASE);
      assert.equal(plannedHash(load(text)), plannedHash(withoutKey));
    });
  }

  test("profiles are left out of the hash", () => {
    const service = load(BASE).services.db;
    assert.equal(serviceConfigHash({ ...service, profiles: ["debug"] }, []), serviceConfigHash(service, []));
    assert.equal("profiles" in hashedServiceDefinition({ ...service, profiles: ["debug"] }), false);
  });

  test("the rest of deploy stays in the hash", () => {
    assert.deepEqual(hashedServiceDefinition(load(BASE).services.db).deploy, { resources: { limits: { memory: 64 * 1024 * 1024 } } });
  });

  const changed: [string, string][] = [
    ["image", BASE.replace("example/db:1", "example/db:2")],
    ["environment", BASE.replace("primary", "replica")],
    ["deploy.resources", BASE.replace("64M", "128M")],
  ];
  for (const [what, text] of changed) {
    test(`changing ${what} changes the hash and replica 1's inputs`, () => {
      const before = load(BASE);
      const after = load(text);
      assert.notEqual(plannedHash(after), plannedHash(before));
      assert.notDeepEqual(replicaOne(after), replicaOne(before));
    });
  }

  test("rotating a mounted secret changes the hash", () => {
    const project = load(BASE);
    const plan = (password: string) =>
      planProject(project, {
        target: "engine",
        sources: { readFile: () => Buffer.from(password), environment: {}, hashBuildContext: () => "context-hash" },
      }).configHashes.db;
    assert.notEqual(plan("rotated"), plan("s3cret"));
  });
});
