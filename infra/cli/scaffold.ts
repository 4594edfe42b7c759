/**
 * The files `compose-pulumi init` writes for a folder of compose files: a Pulumi project
 * whose program (index.ts, run by Node's type stripping) deploys them with ComposeApp,
 * and one stack file in the compose-pulumi stack format (the one `graph --stack` reads).
 * Pure: text in, file contents out.
 */
import type { Project } from "../compose/schema/index.ts";
import type { Target } from "../graph/targets/target.ts";
import type { EnvironmentTier } from "../app/tiers.ts";

export interface ScaffoldInput {
  /** Pulumi project name. */
  name: string;
  /** The compose project, loaded from the files. */
  project: Project;
  /** The compose files as written in the stack file (relative to the project folder). */
  files: readonly string[];
  target: Target;
  stack: string;
  tier: EnvironmentTier;
  /** The dependency spec of compose-pulumi in package.json (a version range, or file:<tarball>). */
  packageSpec: string;
  /** The spec of @pulumi/pulumi: the one compose-pulumi depends on, so that one SDK is installed. */
  pulumiSpec: string;
}

/** File name -> content, in the order they are written. */
export function scaffoldFiles(input: ScaffoldInput): Record<string, string> {
  return {
    "Pulumi.yaml": pulumiYaml(input),
    "package.json": packageJson(input),
    "index.ts": program(input),
    [`Pulumi.${input.stack}.yaml`]: stackFile(input),
    ".gitignore": "node_modules/\n",
  };
}

function pulumiYaml(input: ScaffoldInput): string {
  return `name: ${input.name}
description: The ${input.project.name} compose application, deployed with compose-pulumi
# index.ts runs as it is: Node.js >= 22.18 strips the types itself (no build step, no ts-node).
runtime:
  name: nodejs
  options:
    typescript: false
`;
}

function packageJson(input: ScaffoldInput): string {
  const manifest = {
    name: input.name,
    private: true,
    type: "module",
    main: "index.ts",
    engines: { node: ">=22.18" },
    dependencies: {
      "@pulumi/pulumi": input.pulumiSpec,
      "compose-pulumi": input.packageSpec,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function program(input: ScaffoldInput): string {
  return `/**
 * ${input.project.name}: the compose application in ${input.files.join(", ")}, deployed by Pulumi.
 * Each stack (Pulumi.<stack>.yaml) says where it runs and what that environment changes;
 * the compose files stay the same for every environment.
 */
import * as pulumi from "@pulumi/pulumi";
import { ComposeApp, type ComposeAppArgs } from "compose-pulumi";

interface ComposeSettings {
  files: string[];
  envFiles?: string[];
  profiles?: string[];
  projectName?: string;
  variables?: Record<string, string>;
}

const config = new pulumi.Config("compose-pulumi");
const compose = config.requireObject<ComposeSettings>("compose");

const app = new ComposeApp(${JSON.stringify(input.project.name)}, {
  files: compose.files,
  envFiles: compose.envFiles,
  profiles: compose.profiles,
  projectName: compose.projectName,
  variables: compose.variables,
  target: config.require("target") as ComposeAppArgs["target"],
  environment: config.get("environment") as ComposeAppArgs["environment"],
  // The Docker engine or swarm manager; default: DOCKER_HOST, else the local socket.
  dockerHost: config.getObject<{ host: string }>("docker")?.host,
  // The kubernetes target's kubeconfig path, context, namespace, published ports and storage.
  kubernetes: config.getObject<ComposeAppArgs["kubernetes"]>("kubernetes"),
  // The address of the published ports in the URL outputs (a node or a load balancer on Kubernetes).
  publicHost: config.get("publicHost"),
  overrides: config.getObject<ComposeAppArgs["overrides"]>("services"),
  secrets: config.getSecretObject<Record<string, string>>("secrets"),
});

export const url = app.url;
export const urls = app.urls;
export const services = app.services;
export const images = app.images;
export const project = app.projectName;
`;
}

function stackFile(input: ScaffoldInput): string {
  const services = Object.keys(input.project.services);
  const secrets = Object.entries(input.project.secrets ?? {}).filter(([, secret]) => secret.external !== true).map(([key]) => key);
  const example = services[0] ?? "web";
  const lines = [
    `# The ${input.stack} stack of ${input.name}: where the compose application runs and what this`,
    "# environment changes. Another environment: copy this file to Pulumi.<stack>.yaml and edit it.",
    "config:",
    `  compose-pulumi:environment: ${input.tier}`,
    `  compose-pulumi:target: ${input.target}`,
    "  compose-pulumi:compose:",
    "    files:",
    ...input.files.map((file) => `      - ${file}`),
    ...(input.target === "kubernetes"
      ? [
        "  # The cluster; default: KUBECONFIG, else ~/.kube/config, and its current context.",
        "  # compose-pulumi:kubernetes:",
        "  #   kubeconfig: ~/.kube/prod.yaml",
        "  #   context: prod",
        "  #   namespace: shop",
        "  #   publishedPorts: LoadBalancer     # default NodePort",
        "  #   storageClassName: fast           # default: the cluster's default class",
        "  # compose-pulumi:publicHost: node-1.example.com   # the address in the URL outputs",
      ]
      : [
        "  # The Docker engine (or swarm manager); default: DOCKER_HOST, else the local socket.",
        "  # compose-pulumi:docker:",
        "  #   host: ssh://deploy@203.0.113.10",
      ]),
    "  # Per-service changes for this environment:",
    "  # compose-pulumi:services:",
    `  #   ${example}:`,
    "  #     replicas: 2",
    "  #     tag: \"1.2.3\"",
  ];
  if (secrets.length > 0) {
    const rule = input.tier === "dev"
      ? "# Secrets: dev uses the compose file's secret files; to set one here instead:"
      : `# Secrets: a ${input.tier} stack needs each one set here (the compose file's are for development):`;
    lines.push(`  ${rule}`, ...secrets.map((key) => `  #   pulumi config set --secret --path 'compose-pulumi:secrets.${key}' <value>`));
  }
  return `${lines.join("\n")}\n`;
}
