/**
 * The file name a swarm task gets for a secret or config: compose's default secret target
 * (/run/secrets/<source>) and a bare name are the same file, so they give the same spec.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { taskFileName } from "../../../infra/graph/secrets.ts";

test("a secret under /run/secrets is named relative to it; elsewhere it keeps its path", () => {
  assert.equal(taskFileName("secret", { source: "db_password", target: "/run/secrets/db_password" }), "db_password");
  assert.equal(taskFileName("secret", { source: "db_password", target: "/run/secrets/app/key" }), "app/key");
  assert.equal(taskFileName("secret", { source: "db_password" }), "db_password");
  assert.equal(taskFileName("secret", { source: "tls", target: "/etc/tls/key.pem" }), "/etc/tls/key.pem");
  assert.equal(taskFileName("secret", { source: "odd", target: "/run/secrets/" }), "/run/secrets/");
});

test("a config keeps its target as written (compose gives configs no default target)", () => {
  assert.equal(taskFileName("config", { source: "nginx", target: "/run/secrets/nginx" }), "/run/secrets/nginx");
  assert.equal(taskFileName("config", { source: "nginx" }), "nginx");
});
