/**
 * Images a project builds and also runs elsewhere: a service (or job) whose `image:`
 * another service builds runs that build (engine) or that push (swarm) and is never pulled
 * on its own; and how images are built: the Engine API build unless buildx is chosen.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadComposeText } from "./load-text.ts";
import { deploy } from "./deploy.ts";
import { checkProject, formatGraphIssue } from "../../../infra/graph/warnings.ts";

const COMPOSE = `
services:
  migrate:
    image: 127.0.0.1:5000/shop/api:2
    command: [migrate]
  api:
    image: 127.0.0.1:5000/shop/api:2
    build: {context: ., cache_to: ["type=inline"]}
    depends_on:
      migrate: {condition: service_completed_successfully}
  redis:
    image: redis:7
`;

const project = () => loadComposeText(COMPOSE, { Dockerfile: "FROM scratch\n" });

describe("an image one service builds and another runs", () => {
  test("engine: one build, no pull of the same name; the job runs the built image ID and depends on the build", async () => {
    const d = await deploy("shop", project(), "engine");
    const images = d.recorder.ofType("docker:index/remoteImage:RemoteImage").map((image) => image.name).sort();
    assert.deepEqual(images, ["shop-api", "shop-redis"]);
    const build = d.recorder.get("docker:index/remoteImage:RemoteImage", "shop-api");
    const job = d.recorder.get("command:local:Command", "shop-migrate");
    assert.ok(job.dependencies.includes(build.urn), "the job waits for the build");
    assert.equal(d.component.images.migrate, d.component.images.api);
  });

  test("swarm: the job runs the pushed digest and depends on the push", async () => {
    const d = await deploy("shop", project(), "swarm");
    assert.deepEqual(d.recorder.ofType("docker:index/remoteImage:RemoteImage").map((image) => image.name).sort(), ["shop-api", "shop-redis"]);
    const push = d.recorder.get("docker:index/registryImage:RegistryImage", "shop-api");
    const job = d.recorder.get("command:local:Command", "shop-migrate");
    assert.ok(job.dependencies.includes(push.urn), "the job waits for the push");
  });
});

describe("the image builder", () => {
  test("buildx by choice: cache_to reaches the build", async () => {
    const d = await deploy("shop", project(), "engine", { builder: "buildx" });
    const build = d.recorder.get("docker:index/remoteImage:RemoteImage", "shop-api").inputs.build;
    assert.equal(build.useLegacyBuilder, false);
    assert.deepEqual(build.cacheTos, ["type=inline"]);
  });

  test("the Engine API build by default: buildx-only keys are warned, not passed", async () => {
    const d = await deploy("shop", project(), "engine");
    const build = d.recorder.get("docker:index/remoteImage:RemoteImage", "shop-api").inputs.build;
    assert.equal(build.useLegacyBuilder, true);
    assert.equal(build.cacheTos, undefined);
    const warnings = checkProject(project(), { target: "engine" }).warnings.map(formatGraphIssue);
    assert.deepEqual(warnings, ["services.api.build.cache_to: needs `builder: buildx`; the Engine API build (the default) ignores it"]);
    assert.deepEqual(checkProject(project(), { target: "engine", builder: "buildx" }).warnings, []);
  });
});
