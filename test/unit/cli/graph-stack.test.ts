/**
 * `graph --stack NAME`: what that stack of the Pulumi project in the working directory
 * deploys (its compose files, target, variables, overrides), read from Pulumi.yaml,
 * its stackConfigDir and Pulumi.NAME.yaml, with problems positioned in the stack file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "./run-cli.ts";
import { REPO_ROOT } from "../compose/fixture-paths.ts";
import { writeProject } from "../compose/assembly-helpers.ts";

const containersOf = (json: string) =>
  (JSON.parse(json) as { type: string; name: string; physicalName: string }[]).filter((r) => r.type === "docker:index/container:Container").map((r) => r.physicalName).sort();

test("the WordPress dev stack: one web container, as the dev stack deploys it", async () => {
  const { code, out, err } = await runCli(["graph", "--stack", "dev", "--format", "json"], { cwd: REPO_ROOT });
  assert.equal(code, 0, err);
  assert.deepEqual(containersOf(out), ["wordpress-db-1", "wordpress-web-1"]);
  assert.doesNotMatch(err, /^error/m);
  // Without the stack, the compose file's three replicas cannot share the port on one engine.
  const plain = await runCli(["graph", "-f", "stacks/apps/wordpress/compose.yaml", "--target", "engine"], { cwd: REPO_ROOT });
  assert.equal(plain.code, 1);
});

test("the staging stack without its secrets set: what it needs, positioned in its file", async () => {
  const { code, out, err } = await runCli(["graph", "--stack", "staging"], { cwd: REPO_ROOT });
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.deepEqual(err.trimEnd().split("\n"), ["db_password", "db_root_password"].map(
    (key) => `stacks/Pulumi.staging.yaml:11:1: compose-pulumi:secrets.${key}: is required in a staging stack (the compose file's source is for development): pulumi config set --secret --path 'secrets.${key}' <value>`,
  ));
});

const STACK_PROJECT = {
  "Pulumi.yaml": "name: shop\nruntime: nodejs\nstackConfigDir: environments\n",
  "app/compose.yaml":
    "name: shop\nservices:\n  web:\n    image: nginx:${WEB_TAG:-1.25}\n    ports: ['${PORT:-8080}:80']\n  worker:\n    image: shop/worker:1\n    secrets: [token]\n  audit:\n    image: shop/audit:1\n    profiles: [audit]\n    secrets: [audit_key]\nsecrets:\n  token:\n    file: ./token.txt\n  audit_key:\n    file: ./audit.txt\n",
  "app/token.txt": "dev-token",
  "environments/Pulumi.prod.yaml": [
    "config:",
    "  compose-pulumi:environment: prod",
    "  compose-pulumi:target: engine",
    "  compose-pulumi:compose:",
    "    files: [../app/compose.yaml]",
    "    variables: { WEB_TAG: '1.27' }",
    "  compose-pulumi:services:",
    "    worker: { replicas: 3 }",
    "  compose-pulumi:secrets:",
    "    token:",
    "      secure: v1:AAAA",
    "    audit_key:",
    "      secure: v1:BBBB",
    "",
  ].join("\n"),
  "environments/Pulumi.broken.yaml": [
    "config:",
    "  compose-pulumi:environment: dev",
    "  compose-pulumi:target: engine",
    "  compose-pulumi:compose:",
    "    files: [../app/compose.yaml]",
    "  compose-pulumi:services:",
    "    wrker: { replicas: 3 }",
    "",
  ].join("\n"),
};

test("a project with stackConfigDir: the stack's variables, overrides and secure secrets", async () => {
  const dir = writeProject(STACK_PROJECT);
  const { code, out, err } = await runCli(["graph", "--stack", "prod", "--format", "json"], { cwd: dir, env: { WEB_TAG: "from-env" } });
  assert.equal(code, 0, err);
  assert.deepEqual(containersOf(out), ["shop-web-1", "shop-worker-1", "shop-worker-2", "shop-worker-3"]);
  const resources = JSON.parse(out) as { type: string; physicalName: string }[];
  // A secure value is not decrypted: the secret exists, named after a placeholder's hash.
  // audit_key's service is behind a profile that is off: like compose, nothing is created
  // for it, and its value in the stack is accepted (another profile may need it).
  assert.equal(resources.filter((r) => r.type === "compose:secret:Secret").length, 1);
  const images = (JSON.parse(out) as { type: string; physicalName: string }[]).filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.physicalName).sort();
  assert.deepEqual(images, ["nginx:1.27", "shop/worker:1"], "the stack's variables win over the environment");
});

test("a stack that does not fit the files: positioned in the stack file, exit 1", async () => {
  const dir = writeProject(STACK_PROJECT);
  const { code, out, err } = await runCli(["graph", "--stack", "broken"], { cwd: dir });
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.equal(err, 'environments/Pulumi.broken.yaml:7:5: compose-pulumi:services.wrker: no service "wrker" in compose project "shop" (services: web, worker)\n');
});

test("a stack without a file, and a folder without a Pulumi project, exit 1 saying so", async () => {
  const dir = writeProject(STACK_PROJECT);
  const missing = await runCli(["graph", "--stack", "qa"], { cwd: dir });
  assert.equal(missing.code, 1);
  assert.equal(missing.err, 'error: no stack file environments/Pulumi.qa.yaml for stack "qa" (stacks with a file: broken, prod)\n');
  const bare = writeProject({ "compose.yaml": "services: {}\n" });
  const none = await runCli(["graph", "--stack", "dev"], { cwd: bare });
  assert.equal(none.code, 1);
  assert.equal(none.err, `error: no Pulumi.yaml in ${bare} or its parents: run this in the folder of the Pulumi project\n`);
});

test("a kubernetes stack: its settings are read (the namespace named there), and its graph shows the Deployment, claim and Services", async () => {
  const dir = writeProject({
    "Pulumi.yaml": "name: shop\nruntime: nodejs\n",
    "compose.yaml": "name: shop\nservices:\n  web:\n    image: nginx:1.27\n    ports: ['30080:80']\n    volumes: [cache:/cache]\nvolumes:\n  cache: {}\n",
    "Pulumi.k8s.yaml": [
      "config:",
      "  compose-pulumi:environment: staging",
      "  compose-pulumi:target: kubernetes",
      "  compose-pulumi:compose:",
      "    files: [compose.yaml]",
      "  compose-pulumi:kubernetes:",
      "    kubeconfig: ~/.kube/staging.yaml",
      "    namespace: shop-staging",
      "    publishedPorts: LoadBalancer",
      "    storageClassName: fast",
      "",
    ].join("\n"),
  });
  const { code, out, err } = await runCli(["graph", "--stack", "k8s", "--format", "json"], { cwd: dir });
  assert.equal(code, 0, err);
  const names = (JSON.parse(out) as { type: string; physicalName: string | null }[])
    .filter((r) => r.type.startsWith("kubernetes:"))
    .map((r) => `${r.type} ${r.physicalName}`)
    .sort();
  assert.deepEqual(names, [
    "kubernetes:apps/v1:Deployment web",
    "kubernetes:core/v1:Namespace shop-staging",
    "kubernetes:core/v1:PersistentVolumeClaim cache",
    "kubernetes:core/v1:Service web",
    "kubernetes:core/v1:Service web-published",
  ]);
  assert.equal(err, "");
});
