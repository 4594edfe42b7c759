/**
 * A stack as the policy pack sees it in `pulumi preview`: a compose file deployed by
 * ComposeProject (and the stack's Environment record) under the mock runtime, every
 * registered resource handed to the pack's stack validations with its parent chain.
 */
import type { Target } from "../../../infra/graph/targets/target.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { unknownCheckingProxy, UnknownValueError, type PolicyResource, type StackValidationArgs } from "@pulumi/policy";
import { ComposeProject } from "../../../components/compose-project.ts";
import { loadProject } from "../../../infra/compose/load.ts";
import { policies } from "../../../policy/policies.ts";
import { Environment, type EnvironmentFacts } from "../../../components/environment.ts";
import { ResourceRecorder, type RecordedResource } from "../graph/recorder.ts";
import { UNKNOWN } from "./unknown.ts";

export interface StackOptions {
  tier: "dev" | "staging" | "prod";
  target: Target;
  managers?: number;
  workers?: number;
  /**
   * As in the preview of a new stack: every input of the docker and command resources is
   * unknown (they wait for image digests, network ids, ...); components keep theirs.
   */
  unknownResourceInputs?: boolean;
}

/** Deploys `composeText` under mocks and returns the resources as policy resources. */
export async function previewStack(composeText: string, options: StackOptions): Promise<PolicyResource[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cp-policy-"));
  try {
    fs.writeFileSync(path.join(dir, "compose.yaml"), composeText);
    const project = loadProject({ files: [path.join(dir, "compose.yaml")], environment: {} });
    const recorder = ResourceRecorder.install({ stack: options.tier });
    try {
      const facts: EnvironmentFacts = { environment: options.tier, stack: options.tier, target: options.target, project: project.name };
      if (options.managers !== undefined) Object.assign(facts, { managers: options.managers, workers: options.workers ?? 0 });
      new Environment("environment", facts);
      const provider = new docker.Provider("docker", { host: "unix:///run/test-docker.sock" });
      const kubernetes = options.target === "kubernetes" ? { provider: new k8s.Provider("cluster", {}) } : undefined;
      const component = new ComposeProject(project.name, { project, target: options.target, provider, kubernetes });
      await recorder.created(component);
      return toPolicyResources(recorder.resources, { unknownResourceInputs: options.unknownResourceInputs === true });
    } finally {
      recorder.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Recorded registrations as @pulumi/policy's PolicyResource (the fields the pack reads). */
export function toPolicyResources(recorded: readonly RecordedResource[], options: { unknownResourceInputs?: boolean } = {}): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const entry of recorded) {
    const unknown = options.unknownResourceInputs === true && entry.custom;
    // As the engine hands a stack policy each resource's outputs: a component's are what it registered.
    const state = entry.outputs ?? entry.inputs;
    const props = unknown ? Object.fromEntries(Object.keys(state).map((key) => [key, UNKNOWN])) : state;
    byUrn.set(entry.urn, {
      type: entry.type,
      name: entry.name,
      urn: entry.urn,
      // The pack reads inputs through the SDK's proxy, which throws on an unknown value.
      props: unknownCheckingProxy(props),
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as PolicyResource);
  }
  for (const entry of recorded) {
    if (entry.parent !== undefined && byUrn.has(entry.parent)) byUrn.get(entry.urn)!.parent = byUrn.get(entry.parent);
  }
  return [...byUrn.values()];
}

export interface PolicyReport {
  /** Policy name -> the messages it reported, in order. */
  violations: Record<string, string[]>;
  /** Policy name -> why it could not run: the SDK turns an unknown value into an advisory skip. */
  skipped: Record<string, string>;
  /** Message -> name of the resource it was reported on. */
  reportedOn: Record<string, string | undefined>;
}

/** Runs every policy of the pack (as `pulumi preview --policy-pack` would) over `resources`. */
export async function runPolicies(resources: PolicyResource[], config: Record<string, object> = {}): Promise<PolicyReport> {
  const report: PolicyReport = { violations: {}, skipped: {}, reportedOn: {} };
  for (const policy of policies) {
    const args: StackValidationArgs = {
      resources,
      stackTags: new Map(),
      getConfig: <T extends object>() => (config[policy.name] ?? {}) as T,
      notApplicable: (reason?: string): never => {
        throw new Error(`not applicable: ${reason}`);
      },
    } as StackValidationArgs;
    const messages: string[] = [];
    try {
      await policy.validateStack(args, (message: string, urn?: string) => {
        messages.push(message);
        report.reportedOn[message] = resources.find((resource) => resource.urn === urn)?.name;
      });
    } catch (error) {
      // What @pulumi/policy's server does: the policy is skipped with an advisory note.
      if (!(error instanceof UnknownValueError)) throw error;
      report.skipped[policy.name] = `can't run policy '${policy.name}' during preview: ${(error as Error).message}`;
    }
    if (messages.length > 0) report.violations[policy.name] = messages;
  }
  return report;
}
