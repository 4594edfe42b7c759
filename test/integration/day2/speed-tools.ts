/**
 * The two deployers compared: the product (ComposeProject through the Automation API on
 * a file:// backend, the docker provider talking to the manager's daemon) and
 * `docker stack deploy` of Debian's docker CLI against the same daemon. Both read the
 * compose file at `composeFile` each time they run, so editing the file is the change.
 */
import * as docker from "@pulumi/docker";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import { ComposeProject } from "../../../components/compose-project.ts";
import { loadProject } from "../../../infra/compose/load.ts";
import { inlineStack } from "../pulumi-toolchain.ts";
import { DEBIAN_DOCKER, debianDocker } from "./speed-swarm-state.ts";
import { runChecked } from "../../harness/process.ts";

export interface PreviewStep {
  op: string;
  urn: string;
  type: string;
}

export class ProductDeployer {
  readonly namespace: string;
  private readonly stack: Stack;

  private constructor(namespace: string, stack: Stack) {
    this.namespace = namespace;
    this.stack = stack;
  }

  static async create(options: {
    env: NodeJS.ProcessEnv;
    backendDir: string;
    namespace: string;
    composeFile: string;
    dockerHost: string;
    registry: string;
  }): Promise<ProductDeployer> {
    const stack = await inlineStack(options.env, options.backendDir, "compose-pulumi-speed", options.namespace, async () => {
      const project = loadProject({ files: [options.composeFile], projectName: options.namespace, environment: {} });
      const provider = new docker.Provider("manager", { host: options.dockerHost });
      new ComposeProject(options.namespace, { project, target: "swarm", provider, insecureRegistries: [options.registry] });
    });
    return new ProductDeployer(options.namespace, stack);
  }

  /** `pulumi up`; returns its wall time and the engine's change counts. */
  async deploy(): Promise<{ seconds: number; changes: Record<string, number> }> {
    const started = performance.now();
    const result = await this.stack.up();
    const seconds = (performance.now() - started) / 1000;
    if (result.summary.result !== "succeeded") throw new Error(`pulumi up ${result.summary.result}:\n${result.stderr}`);
    return { seconds, changes: result.summary.resourceChanges ?? {} };
  }

  /** `pulumi preview`: every step that is not `same`, with its resource type. */
  async previewChanges(): Promise<PreviewStep[]> {
    const steps: PreviewStep[] = [];
    await this.stack.preview({
      onEvent: (event: EngineEvent) => {
        const metadata = event.resourcePreEvent?.metadata;
        if (metadata && metadata.op !== "same") steps.push({ op: metadata.op, urn: metadata.urn, type: metadata.type });
      },
    });
    return steps;
  }

  async remove(): Promise<void> {
    await this.stack.destroy().catch(() => undefined);
    await this.stack.workspace.removeStack(this.stack.name).catch(() => undefined);
  }
}

export class StackDeployDeployer {
  readonly namespace: string;
  private readonly composeFile: string;
  private readonly dockerHost: string;

  constructor(
    namespace: string,
    composeFile: string,
    dockerHost: string,
  ) {
    this.namespace = namespace;
    this.composeFile = composeFile;
    this.dockerHost = dockerHost;
  }

  /** `docker stack deploy -c <file> <namespace>` with the CLI's defaults; returns its wall time. */
  async deploy(): Promise<{ seconds: number; output: string }> {
    const started = performance.now();
    const { stdout, stderr } = await runChecked(DEBIAN_DOCKER, ["-H", this.dockerHost, "stack", "deploy", "-c", this.composeFile, this.namespace], {
      timeoutMs: 600_000,
    });
    return { seconds: (performance.now() - started) / 1000, output: stdout + stderr };
  }

  async remove(): Promise<void> {
    await debianDocker(this.dockerHost, ["stack", "rm", this.namespace]).catch(() => undefined);
  }
}
