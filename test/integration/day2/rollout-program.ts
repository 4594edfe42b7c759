/**
 * The Pulumi program of the rollout tests, run by the pulumi CLI in its own process as a
 * user's program is: it loads `$ROLLOUT_DIR/compose.yaml` (edited by the tests between
 * runs) and deploys it with ComposeProject on the swarm manager at $ROLLOUT_DOCKER_HOST.
 */
import { join } from "node:path";
import * as docker from "@pulumi/docker";
import { loadProject } from "../../../infra/compose/load.ts";
import { ComposeProject } from "../../../components/compose-project.ts";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set`);
  return value;
}

const projectName = required("ROLLOUT_PROJECT");
const project = loadProject({ files: [join(required("ROLLOUT_DIR"), "compose.yaml")], projectName, environment: {} });
const provider = new docker.Provider("swarm", { host: required("ROLLOUT_DOCKER_HOST") });
new ComposeProject(projectName, {
  project,
  target: "swarm",
  provider,
  insecureRegistries: [required("ROLLOUT_REGISTRY")],
  environment: {},
  rolloutTimeoutSeconds: 300,
});
