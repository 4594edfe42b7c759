import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { writeProject } from "./assembly-helpers.ts";
import { REPO_ROOT } from "./fixture-paths.ts";

/** Runs the CLI as a user would, with only PATH and a fixed HOME from the environment. */
function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "infra/cli.ts"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: "/home/tester", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const WEB = "services:\n  web:\n    image: nginx\n    ports: ['8080:80']\n";

describe("cli config", () => {
  it("prints the model as docker compose config --format json does (no final newline), exit 0", () => {
    const dir = writeProject({ "compose.yaml": WEB });
    const result = cli(["config", "-f", path.join(dir, "compose.yaml"), "--project-name", "demo", "--format", "json"]);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      `{
  "name": "demo",
  "networks": {
    "default": {
      "name": "demo_default",
      "ipam": {}
    }
  },
  "services": {
    "web": {
      "command": null,
      "entrypoint": null,
      "image": "nginx",
      "networks": {
        "default": null
      },
      "ports": [
        {
          "mode": "ingress",
          "target": 80,
          "published": "8080",
          "protocol": "tcp"
        }
      ]
    }
  }
}`,
    );
  });

  it("prints YAML by default and with --format yaml, as docker compose config does", () => {
    const dir = writeProject({ "compose.yaml": WEB });
    const result = cli(["config", "-f", path.join(dir, "compose.yaml"), "-p", "demo", "--format", "yaml"]);
    assert.equal(result.code, 0);
    assert.equal(cli(["config", "-f", path.join(dir, "compose.yaml"), "-p", "demo"]).stdout, result.stdout);
    assert.equal(
      result.stdout,
      `name: demo
services:
  web:
    image: nginx
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8080"
        protocol: tcp
networks:
  default:
    name: demo_default
`,
    );
  });

  it("merges several -f files and applies --env-file and --profile", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n  debug:\n    image: busybox\n    profiles: [debug]\n",
      "override.yaml": "services:\n  web:\n    environment: {MODE: prod}\n",
      "prod.env": "TAG=1.25\n",
    });
    const args = ["config", "--format", "json", "-f", path.join(dir, "compose.yaml"), "-f", path.join(dir, "override.yaml"), "--env-file", path.join(dir, "prod.env")];
    const plain = JSON.parse(cli(args).stdout);
    assert.deepEqual(Object.keys(plain.services), ["web"]);
    assert.equal(plain.services.web.image, "nginx:1.25");
    assert.deepEqual(plain.services.web.environment, { MODE: "prod" });
    assert.deepEqual(Object.keys(JSON.parse(cli([...args, "--profile", "debug"]).stdout).services), ["debug", "web"]);
    assert.deepEqual(Object.keys(JSON.parse(cli(args, { COMPOSE_PROFILES: "debug" }).stdout).services), ["debug", "web"]);
  });

  it("prints every error on stderr, one per line, and exits 1", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    imagee: nginx\n    networks: [missing]\n",
      "other.yaml": "services:\n  api:\n    image: api\n    deploy:\n      replicas: many\n",
    });
    const result = cli(["config", "-f", path.join(dir, "compose.yaml"), "-f", path.join(dir, "other.yaml")]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr.split(dir).join("<dir>"),
      [
        '<dir>/compose.yaml:3:5: services.web.imagee: unknown key "imagee" (did you mean "image"?)',
        '<dir>/other.yaml:5:17: services.api.deploy.replicas: failed to cast to expected type: strconv.Atoi: parsing "many": invalid syntax',
        "",
      ].join("\n"),
    );
  });

  it("exits 2 with the usage on a wrong command line", () => {
    for (const args of [[], ["nope"], ["config", "--bogus"], ["config", "--format", "xml"], ["config", "extra-positional"]]) {
      const result = cli(args);
      assert.equal(result.code, 2, `exit code for ${JSON.stringify(args)}`);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /Usage: compose-pulumi /, `usage for ${JSON.stringify(args)}`);
    }
    assert.match(cli(["config", "--format", "xml"]).stderr, /^--format must be json or yaml, got "xml"\n/);
    assert.match(cli(["nope"]).stderr, /^unknown command "nope"\n/);
  });

  it("prints help on stdout and exits 0", () => {
    const result = cli(["config", "--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: compose-pulumi config \[-f FILE\]\.\.\. \[options\]/);
    assert.match(cli(["--help"]).stdout, /^Usage: compose-pulumi <command> \[options\]\n\n.*\n\nCommands:\n {2}init {4}write a Pulumi project.*\n {2}config {2}print the canonical model/);
  });
});
