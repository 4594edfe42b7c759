/** Runs ComposeProject under the mock runtime and hands back what it registered. */
import type { Target } from "../../../infra/graph/targets/target.ts";
import * as docker from "@pulumi/docker";
import { ComposeProject, type ComposeProjectArgs } from "../../../components/compose-project.ts";
import { ResourceRecorder, type RecordedResource } from "./recorder.ts";
import type { Project } from "../../../infra/compose/schema/index.ts";

export interface Deployed {
  recorder: ResourceRecorder;
  component: ComposeProject;
  record: RecordedResource;
  /** `type name` of each direct child of the project component, sorted. */
  children: string[];
}

export type DeployOptions = Partial<Omit<ComposeProjectArgs, "project" | "target" | "provider">>;

export async function deploy(name: string, project: Project, target: Target, options: DeployOptions = {}): Promise<Deployed> {
  const recorder = ResourceRecorder.install();
  try {
    const provider = new docker.Provider(`${name}-${target}`, { host: "unix:///run/test-docker.sock" });
    const component = new ComposeProject(name, { project, target, provider, ...options });
    const record = await recorder.created(component);
    const children = recorder.childrenOf(record).map((child) => `${child.type} ${child.name}`).sort();
    return { recorder, component, record, children };
  } finally {
    recorder.dispose();
  }
}

/** The one descendant custom resource of `type` under the component named `component`. */
export function childOf(recorder: ResourceRecorder, componentType: string, componentName: string, type: string): RecordedResource[] {
  const parent = recorder.get(componentType, componentName);
  return recorder.childrenOf(parent).filter((child) => child.type === type);
}
