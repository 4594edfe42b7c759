/**
 * How `graph` prints the resources: a tree as text, JSON, or a mermaid flowchart.
 */
import type { GraphNode } from "./mock-graph.ts";

export type GraphFormat = "text" | "json" | "mermaid";
export const GRAPH_FORMATS: readonly GraphFormat[] = ["text", "json", "mermaid"];

export function render(nodes: readonly GraphNode[], format: GraphFormat): string {
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
