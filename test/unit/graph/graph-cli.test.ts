/**
 * `cli graph`: the resources ComposeProject would create, computed under the mock runtime,
 * as text, JSON and mermaid; errors and usage problems with their exit codes.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../../infra/cli.ts";
import { APPS } from "./apps.ts";

/** `compose-pulumi graph ...` in-process, through the dispatcher (exit codes, error lines). */
async function run(argv: string[], env: Record<string, string | undefined> = {}, cwd?: string) {
  let out = "";
  let err = "";
  const code = await main(["graph", ...argv], { out: (t) => void (out += t), err: (t) => void (err += t), env, cwd });
  return { code, out, err };
}

const flask = path.join(APPS, "flask", "compose.yaml");
const postgres = path.join(APPS, "postgres", "compose.yaml");

describe("cli graph", () => {
  test("text: a tree of type, logical name, [physical name] and what each waits for", async () => {
    const { code, out, err } = await run(["-f", flask, "--target", "engine"]);
    assert.equal(code, 0, err);
    assert.equal(err, "");
    const lines = out.trimEnd().split("\n");
    assert.equal(lines[0], "compose:project:ComposeProject  flask");
    assert.ok(lines.includes("  compose:container:Container  flask-web  <- Container/flask-redis-1"));
    assert.ok(lines.includes("    docker:index/container:Container  flask-web-2  [flask-web-2]  <- Container/flask-redis-1, Network/flask-backend, Network/flask-frontend, RemoteImage/flask-web"));
    assert.ok(lines.includes("    docker:index/network:Network  flask-frontend  [flask_frontend]"));
    assert.ok(lines.includes("    docker:index/remoteImage:RemoteImage  flask-web  [127.0.0.1:5000/flask-web:1.0.0]"));
    assert.equal(lines.filter((line) => line.includes("docker:index/container:Container")).length, 4);
  });

  test("json: every resource with parent and dependencies", async () => {
    const { code, out } = await run(["-f", postgres, "--target", "swarm", "--format", "json"]);
    assert.equal(code, 0);
    const resources = JSON.parse(out) as { type: string; name: string; physicalName: string | null; parent: unknown; dependsOn: { type: string; name: string }[] }[];
    const job = resources.find((r) => r.type === "command:local:Command" && r.name === "postgres-migrate")!;
    assert.equal(job.physicalName, "postgres_migrate");
    assert.deepEqual(job.parent, { type: "compose:job:Job", name: "postgres-migrate" });
    assert.ok(job.dependsOn.some((d) => d.type === "docker:index/service:Service" && d.name === "postgres-db"));
    const app = resources.find((r) => r.type === "docker:index/service:Service" && r.name === "postgres-app")!;
    assert.equal(app.physicalName, "postgres_app");
    assert.ok(app.dependsOn.some((d) => d.type === "command:local:Command" && d.name === "postgres-migrate"));
    assert.deepEqual(
      resources.filter((r) => r.type === "docker:index/secret:Secret").map((r) => r.physicalName!.replace(/-[0-9a-f]{8}$/, "-HASH")).sort(),
      ["postgres_app_password-HASH", "postgres_pg_owner_password-HASH", "postgres_pg_superuser_password-HASH"],
    );
    assert.ok(!out.includes("dev-only-pg"), "secret values never appear in the output");
  });

  test("kubernetes: the namespace, claims, Secrets, Deployments, Services and the migration's Job", async () => {
    const { code, out, err } = await run(["-f", postgres, "--target", "kubernetes", "--registry", "127.0.0.1:5000"]);
    assert.equal(code, 0, err);
    const lines = out.trimEnd().split("\n").map((line) => line.replace(/-[0-9a-f]{8}\]/g, "-HASH]"));
    assert.ok(lines.includes("    kubernetes:core/v1:Namespace  postgres-namespace  [postgres]"));
    assert.ok(lines.includes("    kubernetes:core/v1:PersistentVolumeClaim  postgres-pg_data  [pg-data]  <- Namespace/postgres-namespace"));
    assert.ok(lines.includes("    kubernetes:core/v1:Secret  postgres-app_password  [app-password-HASH]  <- Namespace/postgres-namespace"));
    assert.ok(lines.includes("    kubernetes:core/v1:Service  postgres-app-published  [app-published]  <- Namespace/postgres-namespace"));
    assert.ok(lines.includes(
      "    kubernetes:batch/v1:Job  postgres-migrate  [migrate-HASH]  <- Deployment/postgres-db, Namespace/postgres-namespace, RegistryImage/postgres-migrate, Secret/postgres-app_password, Secret/postgres-pg_owner_password, Service/postgres-db",
    ));
    assert.ok(lines.includes(
      "    kubernetes:apps/v1:Deployment  postgres-app  [app]  <- Deployment/postgres-db, Job/postgres-migrate, Namespace/postgres-namespace, RegistryImage/postgres-app, Secret/postgres-app_password, Service/postgres-db",
    ));
    assert.equal(err, [
      "warning: services.app.ports[0]: published port 8082 is outside the NodePort range 30000-32767: a NodePort Service gets a node port the cluster assigns (a LoadBalancer Service publishes 8082)",
      "warning: services.db.deploy.restart_policy: is not supported on the kubernetes target (a Deployment always restarts its pods, with the kubelet's back-off); ignored",
      "",
    ].join("\n"));
  });

  test("mermaid: components as subgraphs, dependency edges", async () => {
    const { code, out } = await run(["-f", flask, "--target", "engine", "--format", "mermaid"]);
    assert.equal(code, 0);
    const lines = out.trimEnd().split("\n");
    assert.equal(lines[0], "flowchart LR");
    const id = (label: string) => /^\s*(r\d+)\[/.exec(lines.find((line) => line.includes(label))!)![1];
    const redis = id("flask-redis-1<br/>flask-redis-1");
    const web1 = id("flask-web-1<br/>flask-web-1");
    assert.ok(lines.includes(`  ${redis} --> ${web1}`));
    assert.ok(lines.some((line) => line.trim().startsWith("subgraph") && line.includes("compose:container:Container<br/>flask-web")));
  });

  test("warnings go to stderr with the key and the service", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-cli-"));
    try {
      fs.writeFileSync(path.join(dir, "compose.yaml"), "name: demo\nservices:\n  app:\n    image: app\n    tty: true\n");
      const { code, out, err } = await run(["-f", path.join(dir, "compose.yaml"), "--target", "swarm"]);
      assert.equal(code, 0);
      assert.equal(err, "warning: services.app.tty: is not supported on the swarm target (the docker provider's service spec cannot express it); ignored\n");
      assert.match(out, /docker:index\/service:Service  demo-app  \[demo_app\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an impossible combination exits 1 with every error", async () => {
    const { code, out, err } = await run(["-f", path.join(APPS, "wordpress", "compose.yaml"), "--target", "engine"]);
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.equal(err, "error: services.web.ports[0]: port 8080 is published by 3 replicas on one engine; only one container can bind it\n");
  });

  test("invalid compose files exit 1 with positioned issues", async () => {
    const { code, err } = await run(["-f", path.join(APPS, "missing", "compose.yaml"), "--target", "swarm"]);
    assert.equal(code, 1);
    assert.match(err, /compose\.yaml/);
  });

  test("command line problems exit 2 with the message and the usage", async () => {
    const cases: [string[], string][] = [
      [["-f", flask], "--target is required (swarm, engine or kubernetes), or --stack NAME"],
      [["-f", flask, "--target", "k8s"], '--target must be swarm, engine or kubernetes, got "k8s"'],
      [["-f", flask, "--target", "swarm", "--format", "dot"], '--format must be text, json or mermaid, got "dot"'],
      [["--stack", "dev", "-f", flask, "--target", "engine"], "--stack takes the compose files and target from Pulumi.dev.yaml; leave out --file, --target"],
      [["--bogus"], "Unknown option '--bogus'"],
    ];
    for (const [argv, message] of cases) {
      const { code, out, err } = await run(argv);
      assert.equal(code, 2, argv.join(" "));
      assert.equal(out, "");
      assert.ok(err.startsWith(`${message}`), `${argv.join(" ")}: ${err.split("\n")[0]}`);
      assert.match(err, /\n\nUsage: compose-pulumi graph /);
    }
  });

  test("no compose file anywhere exits 1 naming where it looked", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-cli-empty-"));
    try {
      const { code, out, err } = await run(["--target", "swarm"], {}, dir);
      assert.equal(code, 1);
      assert.equal(out, "");
      assert.equal(
        err,
        `error: no compose file: none given with -f, COMPOSE_FILE is not set, and none of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml is in ${dir} or its parents\n`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("without -f: compose.yaml in the working directory, or COMPOSE_FILE split on COMPOSE_PATH_SEPARATOR", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-cli-default-"));
    try {
      fs.writeFileSync(path.join(dir, "compose.yaml"), "name: found\nservices:\n  app:\n    image: app:1\n");
      fs.writeFileSync(path.join(dir, "extra.yaml"), "services:\n  extra:\n    image: extra:1\n");
      const found = await run(["--target", "engine", "--format", "json"], {}, dir);
      assert.equal(found.code, 0, found.err);
      assert.deepEqual(JSON.parse(found.out).filter((r: { type: string }) => r.type === "docker:index/container:Container").map((r: { name: string }) => r.name), ["found-app-1"]);
      const listed = await run(["--target", "engine", "--format", "json"], { COMPOSE_FILE: `${path.join(dir, "compose.yaml")};${path.join(dir, "extra.yaml")}`, COMPOSE_PATH_SEPARATOR: ";" }, dir);
      assert.equal(listed.code, 0, listed.err);
      assert.deepEqual(
        JSON.parse(listed.out).filter((r: { type: string }) => r.type === "docker:index/container:Container").map((r: { name: string }) => r.name).sort(),
        ["found-app-1", "found-extra-1"],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("json through the dispatcher", async () => {
    const { code, out, err } = await run(["-f", flask, "--target", "engine", "--format", "json"]);
    assert.equal(code, 0, err);
    assert.ok(JSON.parse(out).length > 0);
  });
});
