/**
 * `graph`: the resources ComposeProject would create for compose files on a target (type,
 * logical name, physical name, dependencies), computed by the component itself under
 * Pulumi's mock runtime, so no engine, daemon or credentials are needed. With `--stack`,
 * the files, target and per-environment overrides come from that stack of the Pulumi
 * project in the working directory, so the graph is what that stack deploys.
 */
import * as docker from "@pulumi/docker";
import type * as k8s from "@pulumi/kubernetes";
// The provider from its own module: the package's root loads all of Kubernetes' API groups.
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider.js";
import { loadProjectWithEnvironment } from "../compose/load.ts";
import type { Project } from "../compose/schema/index.ts";
import { TARGET_DEFINITIONS, TARGET_NAMES, type Target } from "../graph/targets/index.ts";
import type { KubernetesOptions } from "../graph/targets/kubernetes/index.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import { captureGraph } from "./mock-graph.ts";
import { GRAPH_FORMATS, render, type GraphFormat } from "./graph-render.ts";
import { COMPOSE_OPTIONS_USAGE, loadOptionsFrom, parseComposeCommandLine } from "./compose-options.ts";
import { loadStackDeployment } from "./stack-project.ts";
import { EXIT_OK, UsageError, workingDirectory, type CliIO, type Command } from "./command.ts";

const usage = `Usage: compose-pulumi graph [-f FILE]... --target swarm|engine|kubernetes [options]
       compose-pulumi graph --stack NAME [options]

Print the resources a deployment of the compose files would create: type, logical
name, physical name and dependencies, as the Pulumi program computes them.

Options:
${COMPOSE_OPTIONS_USAGE}
      --target swarm|engine|kubernetes
                               where the project runs (required without --stack)
  -s, --stack NAME             what that stack of the Pulumi project here deploys: its compose
                               files, target, variables and service overrides (Pulumi.NAME.yaml)
      --format text|json|mermaid
                               output format (default: text)
      --registry HOST[:PORT]   registry for built images without image: (swarm)
  -h, --help                   show this help`;

interface Deployment {
  project: Project;
  target: Target;
  registry?: string;
  /** What secret and config content from `environment:` is read from. */
  environment: Readonly<Record<string, string | undefined>>;
  /** The stack's Kubernetes settings (namespace, published ports, storage). */
  kubernetes?: KubernetesOptions;
}

export const graphCommand: Command = {
  name: "graph",
  summary: "print the resources a deployment would create and their dependencies",
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseGraphArgs(argv);
    if (values.help) {
      io.out(`${usage}\n`);
      return EXIT_OK;
    }
    const format = (values.format ?? "text") as GraphFormat;
    if (!GRAPH_FORMATS.includes(format)) throw new UsageError(`--format must be text, json or mermaid, got "${values.format}"`);
    const deployment = values.stack !== undefined ? fromStack(values.stack, values, io) : fromFiles(values, io);

    const warnings: string[] = [];
    const nodes = await captureGraph(
      () => {
        const { project, target, registry, environment } = deployment;
        const provider = new docker.Provider(`${project.name}-${target}`, {});
        // Under the mocks the provider never reads its kubeconfig: the graph needs no cluster.
        const kubernetes = TARGET_DEFINITIONS[target].platform === "kubernetes" ? { ...deployment.kubernetes, provider: new KubernetesProvider(`${project.name}-kubernetes`, {}) } : undefined;
        return new ComposeProject(project.name, { project, target, provider, kubernetes, registry, environment });
      },
      (message) => warnings.push(message),
    );
    io.err(warnings.map((warning) => `warning: ${warning}\n`).join(""));
    io.out(render(nodes, format));
    return EXIT_OK;
  },
};

type GraphValues = ReturnType<typeof parseGraphArgs>["values"];

function fromFiles(values: GraphValues, io: CliIO): Deployment {
  const target = values.target as Target | undefined;
  if (target === undefined || !TARGET_NAMES.includes(target)) {
    throw new UsageError(target === undefined ? "--target is required (swarm, engine or kubernetes), or --stack NAME" : `--target must be swarm, engine or kubernetes, got "${target}"`);
  }
  const loaded = loadProjectWithEnvironment(loadOptionsFrom(values, io, workingDirectory(io)));
  return { project: loaded.project, target, registry: values.registry, environment: loaded.environment };
}

/** The stack decides what the compose options would: giving both is a contradiction, not a merge. */
function fromStack(stack: string, values: GraphValues, io: CliIO): Deployment {
  const conflicting = (["file", "env-file", "profile", "project-name", "project-directory", "target"] as const).filter((option) => values[option] !== undefined);
  if (conflicting.length > 0) {
    throw new UsageError(`--stack takes the compose files and target from Pulumi.${stack}.yaml; leave out ${conflicting.map((option) => `--${option}`).join(", ")}`);
  }
  const loaded = loadStackDeployment(stack, workingDirectory(io), io.env);
  return {
    project: loaded.project,
    target: loaded.config.target,
    registry: values.registry ?? loaded.config.registry?.server,
    environment: loaded.environment,
    kubernetes: loaded.config.kubernetes,
  };
}

function parseGraphArgs(argv: string[]) {
  return parseComposeCommandLine(argv, {
    target: { type: "string" },
    stack: { type: "string", short: "s" },
    format: { type: "string" },
    registry: { type: "string" },
  });
}
