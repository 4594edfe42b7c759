/**
 * Where the shared conformance fixtures live: `shared/` beside the repository
 * (CI clones the repository next to it).
 */
import fs from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
export const FIXTURES = path.resolve(REPO_ROOT, "../shared/fixtures/compose");
export const COMPOSE_GO = path.join(FIXTURES, "compose-go");
export const COMPOSE_GO_TESTDATA = path.join(COMPOSE_GO, "testdata");
export const DOCKER_CLI = path.join(FIXTURES, "docker-cli");

export const FIXTURES_MISSING = fs.existsSync(FIXTURES)
  ? undefined
  : `the conformance fixtures are not at ${FIXTURES} (shared/ must sit beside the repository)`;
