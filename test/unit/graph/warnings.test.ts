/**
 * Target limits: a key a target cannot express is a warning naming key and service; an
 * impossible combination is an error, all of them reported together, before any resource
 * exists.
 */
import type { Target } from "../../../infra/graph/targets/target.ts";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as docker from "@pulumi/docker";
import { loadComposeText } from "./load-text.ts";
import { checkProject, formatGraphIssue, GraphError } from "../../../infra/graph/warnings.ts";
import { planProject } from "../../../infra/graph/plan.ts";
import { ComposeProject } from "../../../components/compose-project.ts";
import { ResourceRecorder } from "./recorder.ts";
import type { Project } from "../../../infra/compose/schema/index.ts";

interface Case {
  name: string;
  yaml: string;
  target: Target;
  errors?: string[];
  warnings?: string[];
}

const cases: Case[] = [
  {
    name: "healthy wait on a service without a healthcheck",
    target: "engine",
    yaml: "services:\n  db: {image: db}\n  app:\n    image: app\n    depends_on: {db: {condition: service_healthy}}",
    errors: ['services.app.depends_on.db: waits for "db" to be healthy, but "db" has no healthcheck'],
  },
  {
    name: "healthy wait on a job",
    target: "swarm",
    yaml: "services:\n  job:\n    image: job\n    healthcheck: {test: [CMD, 'true']}\n    deploy: {mode: replicated-job}\n  app:\n    image: app\n    depends_on: {job: {condition: service_healthy}}",
    errors: ['services.app.depends_on.job: waits for "job" to be healthy, but "job" runs to completion as a job'],
  },
  {
    name: "external secret on one engine",
    target: "engine",
    yaml: "services:\n  app:\n    image: app\n    secrets: [token]\nsecrets:\n  token: {external: true}",
    errors: ['services.app.secrets[0]: external secret "token" exists only on a swarm; the engine target cannot use it'],
  },
  {
    name: "published range for one target port",
    target: "swarm",
    yaml: "services:\n  app:\n    image: app\n    ports: ['8000-8010:80']",
    errors: ['services.app.ports[0]: published port range "8000-8010" for one target port cannot be expressed; publish one port per target'],
  },
  {
    name: "npipe mount",
    target: "swarm",
    yaml: "services:\n  app:\n    image: app\n    volumes: [{type: npipe, source: '\\\\.\\pipe\\docker_engine', target: '\\\\.\\pipe\\docker_engine'}]",
    errors: ['services.app.volumes[0].type: mount type "npipe" cannot be expressed on the swarm target'],
  },
  {
    name: "engine-only keys on a swarm",
    target: "swarm",
    yaml: "services:\n  app:\n    image: app\n    privileged: true\n    ulimits: {nofile: 1024}\n    tty: true\n    cpus: 0.5",
    warnings: [
      "services.app.cpus: is not supported on the swarm target (use deploy.resources; docker stack deploy ignores it too); ignored",
      "services.app.privileged: is not supported on the swarm target (the docker provider's service spec cannot express it); ignored",
      "services.app.tty: is not supported on the swarm target (the docker provider's service spec cannot express it); ignored",
      "services.app.ulimits: is not supported on the swarm target (the docker provider's service spec cannot express it); ignored",
    ],
  },
  {
    name: "overlay network on one engine",
    target: "engine",
    yaml: "services:\n  app:\n    image: app\n    networks: [wp]\nnetworks:\n  wp: {driver: overlay, attachable: true}",
    warnings: [
      "networks.wp.driver: overlay needs a swarm; a bridge network is created on the engine target",
      "networks.wp.attachable: only applies to overlay networks; ignored on the engine target",
    ],
  },
  {
    name: "variable without a value",
    target: "swarm",
    yaml: "services:\n  app:\n    image: app\n    environment: [UNSET_IN_TEST]",
    warnings: ["services.app.environment.UNSET_IN_TEST: has no value and is not set in the environment; not passed to the container"],
  },
  {
    name: "restart that disagrees with deploy.restart_policy",
    target: "engine",
    yaml: "services:\n  app:\n    image: app\n    restart: always\n    deploy: {restart_policy: {condition: none}}",
    warnings: ["services.app.restart: deploy.restart_policy takes precedence; ignored"],
  },
  {
    name: "restart that agrees with deploy.restart_policy",
    target: "engine",
    yaml: "services:\n  app:\n    image: app\n    restart: 'no'\n    deploy: {restart_policy: {condition: none}}",
    warnings: [],
  },
];

describe("warnings and errors per target", () => {
  for (const c of cases) {
    test(c.name, () => {
      const result = checkProject(loadComposeText(c.yaml), { target: c.target });
      if (c.errors !== undefined) assert.deepEqual(result.errors.map(formatGraphIssue), c.errors);
      if (c.warnings !== undefined) assert.deepEqual(result.warnings.map(formatGraphIssue), c.warnings);
    });
  }

  test("container_name on several replicas is refused by the adapter already", () => {
    assert.throws(() => loadComposeText("services:\n  app:\n    image: app\n    deploy: {replicas: 2}\n    container_name: app"), /container names must be unique/);
  });

  test("models built by hand get the same guards: no image, no build; undefined dependency", () => {
    const project: Project = {
      name: "demo",
      services: {
        app: { command: null, entrypoint: null, depends_on: { ghost: { condition: "service_started", required: true } } },
        one: { image: "one", command: null, entrypoint: null, container_name: "one", deploy: { replicas: 2 } },
      },
    };
    assert.deepEqual(checkProject(project, { target: "engine" }).errors.map(formatGraphIssue), [
      "services.app: needs an image or a build",
      'services.app.depends_on.ghost: depends on service "ghost", which is not defined',
      'services.one.container_name: "one" cannot name 2 replicas: container names must be unique',
    ]);
  });

  test("all problems together, including unreadable secrets and unset variables, before anything is created", () => {
    const project = loadComposeText(
      "services:\n  app:\n    image: app\n    secrets: [a, b]\n    ports: ['7000-7001:80']\nsecrets:\n  a: {file: ./missing.txt}\n  b: {environment: NOT_SET_ANYWHERE}",
    );
    const recorder = ResourceRecorder.install();
    try {
      assert.throws(
        () => new ComposeProject("p", { project, target: "swarm", provider: new docker.Provider("d", {}), environment: {} }),
        (error: unknown) => {
          assert.ok(error instanceof GraphError);
          assert.deepEqual(error.message.split("\n"), [
            'services.app.ports[0]: published port range "7000-7001" for one target port cannot be expressed; publish one port per target',
            `secrets.a.file: cannot read "${project.secrets!.a.file}": no such file`,
            'secrets.b.environment: variable "NOT_SET_ANYWHERE" is not set',
          ]);
          return true;
        },
      );
      assert.deepEqual(recorder.resources.filter((r) => r.type.startsWith("compose:")), []);
    } finally {
      recorder.dispose();
    }
  });

  test("a secret's content never appears in an error", () => {
    const project = loadComposeText("services:\n  app:\n    image: app\n    ports: ['7000-7001:80']\n    secrets: [a]\nsecrets:\n  a: {file: ./a.txt}", { "a.txt": "hunter2-very-secret" });
    assert.throws(
      () => planProject(project, { target: "swarm", sources: { readFile: (p) => Buffer.from(`hunter2-very-secret ${p}`), environment: {}, hashBuildContext: () => "0" } }),
      (error: unknown) => error instanceof GraphError && !error.message.includes("hunter2"),
    );
  });
});

test("a provider service (run by a compose plugin) is an error on every target, named at its provider key", () => {
  const project = loadComposeText("services:\n  app:\n    image: app:1\n    depends_on: [db]\n  db:\n    provider:\n      type: awesomecloud\n      options: {type: mysql}\n");
  for (const target of ["engine", "swarm"] as const) {
    const { errors } = checkProject(project, { target });
    assert.deepEqual(errors.map(formatGraphIssue), [
      "services.db.provider: is run by a docker compose provider plugin, which no target here can run; deploy that resource another way and give the service an image, or leave it out with a profile",
    ]);
  }
});
