/**
 * `graph`: the resources ComposeProject would create for compose files on a target (type,
 * logical name, physical name, dependencies), computed by the component itself under
 * Pulumi's mock runtime, so no engine, daemon or credentials are needed.
 */
import { parseArgs } from "node:util";
import * as docker from "@pulumi/docker";
import { ComposeError, formatIssue } from "../compose/errors.ts";
import { loadProject } from "../compose/load.ts";
import { GraphError, formatGraphIssue } from "../graph/warnings.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import { captureGraph, type GraphNode } from "./mock-graph.ts";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO, type Command } from "./command.ts";

const usage = `Usage: cli graph -f FILE [-f FILE]... --target swarm|engine [options]

Print the resources a deployment of the compose files would create: type, logical
name, physical name and dependencies, as the Pulumi program computes them.

Options:
  -f, --file FILE              compose file; repeat to merge several, in order
                               (default: $COMPOSE_FILE)
      --target swarm|engine    where the project runs (required)
      --format text|json|mermaid
                               output format (default: text)
      --env-file FILE          env file replacing .env; repeat for several
      --profile NAME           activate a profile; repeat for several (default: $COMPOSE_PROFILES)
  -p, --project-name NAME      project name (default: $COMPOSE_PROJECT_NAME, name:, directory name)
      --project-directory DIR  directory relative paths resolve against (default: the first file's)
      --registry HOST[:PORT]   registry for built images without image: (swarm)
  -h, --help                   show this help`;

type Format = "text" | "json" | "mermaid";

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
    const target = values.target;
    if (target !== "swarm" && target !== "engine") {
      throw new UsageError(target === undefined ? "--target is required (swarm or engine)" : `--target must be swarm or engine, got "${target}"`);
    }
    const format = (values.format ?? "text") as Format;
    if (!["text", "json", "mermaid"].includes(format)) throw new UsageError(`--format must be text, json or mermaid, got "${values.format}"`);
    const files = values.file ?? io.env.COMPOSE_FILE?.split(":").filter((file) => file !== "");
    if (files === undefined || files.length === 0) throw new UsageError("no compose file given (-f FILE)");

    let project;
    try {
      project = loadProject({
        files,
        envFiles: values["env-file"],
        profiles: values.profile ?? io.env.COMPOSE_PROFILES?.split(",").filter((profile) => profile !== ""),
        projectName: values["project-name"],
        workingDir: values["project-directory"],
        environment: io.env,
      });
    } catch (error) {
      if (!(error instanceof ComposeError)) throw error;
      io.err(error.issues.map((issue) => `${formatIssue(issue)}\n`).join(""));
      return EXIT_FAILED;
    }

    const warnings: string[] = [];
    let nodes: GraphNode[];
    try {
      nodes = await captureGraph(
        () => {
          const provider = new docker.Provider(`${project.name}-${target}`, {});
          return new ComposeProject(project.name, { project, target, provider, registry: values.registry, environment: io.env });
        },
        (message) => warnings.push(message),
      );
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      io.err(error.issues.map((issue) => `error: ${formatGraphIssue(issue)}\n`).join(""));
      return EXIT_FAILED;
    }
    io.err(warnings.map((warning) => `warning: ${warning}\n`).join(""));
    io.out(render(nodes, format));
    return EXIT_OK;
  },
};

function parseGraphArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        file: { type: "string", short: "f", multiple: true },
        target: { type: "string" },
        format: { type: "string" },
        "env-file": { type: "string", multiple: true },
        profile: { type: "string", multiple: true },
        "project-name": { type: "string", short: "p" },
        "project-directory": { type: "string" },
        registry: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function render(nodes: readonly GraphNode[], format: Format): string {
  if (format === "json") return `${JSON.stringify(toJson(nodes), null, 2)}\n`;
  if (format === "mermaid") return renderMermaid(nodes);
  return renderText(nodes);
}

interface JsonResource {
  type: string;
  name: string;
  physicalName: string | null;
  parent: { type: string; name: string } | null;
  dependsOn: { type: string; name: string }[];
}

function toJson(nodes: readonly GraphNode[]): JsonResource[] {
  const byUrn = new Map(nodes.map((node) => [node.urn, node]));
  const ref = (urn: string) => {
    const node = byUrn.get(urn);
    return node === undefined ? { type: "?", name: urn } : { type: node.type, name: node.name };
  };
  return nodes.map((node) => ({
    type: node.type,
    name: node.name,
    physicalName: node.physicalName ?? null,
    parent: node.parent === undefined ? null : ref(node.parent),
    dependsOn: [...node.dependsOn].map(ref).sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`)),
  }));
}

/** A tree by parent; each line: type, logical name, physical name, then what it waits for. */
function renderText(nodes: readonly GraphNode[]): string {
  const byUrn = new Map(nodes.map((node) => [node.urn, node]));
  const children = new Map<string | undefined, GraphNode[]>();
  for (const node of nodes) {
    const parent = node.parent !== undefined && byUrn.has(node.parent) ? node.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
    for (const node of list) {
      const deps = node.dependsOn.map((urn) => shortRef(byUrn.get(urn)) ?? urn).sort();
      const parts = [`${"  ".repeat(depth)}${node.type}`, node.name];
      if (node.physicalName !== undefined) parts.push(`[${node.physicalName}]`);
      if (deps.length > 0) parts.push(`<- ${deps.join(", ")}`);
      lines.push(parts.join("  "));
      walk(node.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return `${lines.join("\n")}\n`;
}

/** `Kind/name` (e.g. `Service/web`): enough to tell an image from the service of the same name. */
function shortRef(node: GraphNode | undefined): string | undefined {
  return node === undefined ? undefined : `${node.type.split(":").pop()}/${node.name}`;
}

/** A flowchart: components as subgraphs, edges from each dependency to its dependent. */
function renderMermaid(nodes: readonly GraphNode[]): string {
  const ids = new Map(nodes.map((node, index) => [node.urn, `r${index}`]));
  const lines = ["flowchart LR"];
  const byParent = new Map<string | undefined, GraphNode[]>();
  for (const node of nodes) byParent.set(node.parent, [...(byParent.get(node.parent) ?? []), node]);
  const escape = (text: string) => text.replace(/"/g, "#quot;");
  const emit = (parent: string | undefined, indent: string) => {
    for (const node of byParent.get(parent) ?? []) {
      const label = escape(`${node.type}<br/>${node.name}${node.physicalName !== undefined ? `<br/>${node.physicalName}` : ""}`);
      if (node.custom) {
        lines.push(`${indent}${ids.get(node.urn)}["${label}"]`);
      } else {
        lines.push(`${indent}subgraph ${ids.get(node.urn)}["${label}"]`);
        emit(node.urn, `${indent}  `);
        lines.push(`${indent}end`);
      }
    }
  };
  emit(undefined, "  ");
  for (const node of nodes) {
    if (!node.custom) continue;
    for (const dependency of [...node.dependsOn].sort()) {
      if (ids.has(dependency)) lines.push(`  ${ids.get(dependency)} --> ${ids.get(node.urn)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
