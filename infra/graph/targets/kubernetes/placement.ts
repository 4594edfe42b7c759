/**
 * Swarm placement constraints as required node affinity. A swarm constraint reads a node's
 * attributes; Kubernetes nodes carry labels, so what maps onto a label converts:
 *
 * - `node.labels.<label> == v` / `!= v`: the node label itself (In / NotIn);
 * - `node.hostname`: `kubernetes.io/hostname`;
 * - `node.platform.os` / `node.platform.arch`: `kubernetes.io/os` / `kubernetes.io/arch`
 *   (with Docker's architecture names, `x86_64` and `aarch64`, as Kubernetes spells them).
 *
 * `node.role`, `node.id` and `engine.labels.*` have no node label to read; they are
 * returned as unconverted, and infra/graph/warnings.ts warns about each.
 */
import type * as k8s from "@pulumi/kubernetes";

type Requirement = k8s.types.input.core.v1.NodeSelectorRequirement;

const CONSTRAINT = /^\s*([\w.\-/]+)\s*(==|!=)\s*(.*?)\s*$/;
const ARCHITECTURES: Record<string, string> = { x86_64: "amd64", aarch64: "arm64", armv7l: "arm" };

export interface Placement {
  /** One term, all of whose expressions must hold: what swarm's list of constraints means. */
  affinity?: k8s.types.input.core.v1.Affinity;
  /** Constraints with no node label to read, by their index. */
  unconverted: { index: number; constraint: string }[];
}

function requirement(constraint: string): Requirement | undefined {
  const match = CONSTRAINT.exec(constraint);
  if (match === null) return undefined;
  const [, attribute, operator, raw] = match;
  let key: string | undefined;
  let value = raw;
  if (attribute.startsWith("node.labels.") && attribute.length > "node.labels.".length) key = attribute.slice("node.labels.".length);
  else if (attribute === "node.hostname") key = "kubernetes.io/hostname";
  else if (attribute === "node.platform.os") key = "kubernetes.io/os";
  else if (attribute === "node.platform.arch") {
    key = "kubernetes.io/arch";
    value = ARCHITECTURES[raw] ?? raw;
  }
  if (key === undefined) return undefined;
  return { key, operator: operator === "==" ? "In" : "NotIn", values: [value] };
}

export function placement(constraints: readonly string[] | undefined): Placement {
  const expressions: Requirement[] = [];
  const unconverted: Placement["unconverted"] = [];
  (constraints ?? []).forEach((constraint, index) => {
    const converted = requirement(constraint);
    if (converted === undefined) unconverted.push({ index, constraint });
    else expressions.push(converted);
  });
  if (expressions.length === 0) return { unconverted };
  return {
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } },
    unconverted,
  };
}
