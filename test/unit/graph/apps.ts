/**
 * The models the graph tests deploy: the three example applications under stacks/apps,
 * and compose-go's full example made consistent (see fullExampleProject).
 */
import path from "node:path";
import { loadModel, loadProject } from "../../../infra/compose/load.ts";
import { ComposeError } from "../../../infra/compose/errors.ts";
import { validateProject, type Project } from "../../../infra/compose/schema/index.ts";
import { COMPOSE_GO, FIXTURES_MISSING, REPO_ROOT } from "../compose/fixture-paths.ts";

export { FIXTURES_MISSING };
export const APPS = path.join(REPO_ROOT, "stacks/apps");

/** An example application, loaded as the stacks load it (`.env` beside the file, no process variables). */
export function loadApp(app: "wordpress" | "flask" | "postgres", extraFiles: string[] = []): Project {
  return loadProject({ files: [path.join(APPS, app, "compose.yaml"), ...extraFiles.map((f) => path.join(APPS, app, f))], environment: {} });
}

export const FULL_EXAMPLE_ENV = {
  HOME: "/home/user",
  FOO: "foo_from_env",
  BAR: "bar_from_env",
  QUX: "qux_from_environment",
};

/**
 * compose-go's full example. compose-go's own loader test skips the consistency checks:
 * the file depends on and links to services it does not define (db, redis), attaches to an
 * undefined network and mounts an undefined volume, and sets network_mode together with
 * networks. To deploy it, those gaps are filled with the smallest definitions (two
 * image-only services, one network, one volume) and network_mode is dropped in favour of
 * the networks; everything else is the file as loaded.
 */
export function fullExampleProject(): Project {
  const { model, source } = loadModel(
    // Every declared resource is kept, unused ones too, so the graph meets each kind (external, from the environment, ...).
    { files: [path.join(COMPOSE_GO, "full-example.yml")], environment: FULL_EXAMPLE_ENV, allResources: true },
    { checkReferences: false, normalize: true },
  );
  const data = model as any;
  delete data.services.foo.network_mode;
  data.services.db = { image: "postgres:16", command: null, entrypoint: null, networks: { default: null } };
  data.services.redis = { image: "redis:7", command: null, entrypoint: null, networks: { default: null } };
  data.networks = { ...data.networks, "other-other-network": { name: "full_example_project_name_other-other-network" }, default: { name: "full_example_project_name_default" } };
  data.volumes = { ...data.volumes, datavolume: { name: "full_example_project_name_datavolume" } };
  const checked = validateProject(source, data);
  if (checked.project === undefined) throw new ComposeError(checked.issues);
  return checked.project;
}
