/**
 * The two deployers compared: the product (a Pulumi program using ComposeApp, run by the
 * `pulumi` CLI and the nodejs language host as `pulumi up` runs it, on a file:// backend,
 * the docker provider talking to the manager's daemon) and `docker stack deploy` of
 * Debian's docker CLI against the same daemon. Both read the compose file at
 * `composeFile` each time they run, so editing the file is the change.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation/index.js";
import { repoRoot } from "../pulumi-toolchain.ts";
import { followEventLog, type TimedEventSink } from "./engine-event-log.ts";
import { DEBIAN_DOCKER, debianDocker } from "./speed-swarm-state.ts";
import { runChecked } from "../../harness/process.ts";

export interface PreviewStep {
  op: string;
  urn: string;
  type: string;
}

/** The program users write (see examples/swarm-cluster), reading what it deploys from stack config. */
function programSource(programDir: string): string {
  const components = relative(programDir, join(repoRoot, "components/index.ts"));
  return `import * as pulumi from "@pulumi/pulumi";
import { ComposeApp } from "${components}";

const config = new pulumi.Config();
new ComposeApp(config.require("namespace"), {
  files: [config.require("composeFile")],
  projectName: config.require("namespace"),
  target: "swarm",
  dockerHost: config.require("dockerHost"),
  registry: { server: config.require("registry"), insecure: true },
});
`;
}

export class ProductDeployer {
  readonly namespace: string;
  private readonly stack: Stack;
  private readonly programDir: string;
  private readonly cliEnv: NodeJS.ProcessEnv;
  private runs = 0;
  /** Receives the engine's events of every deployment as they appear, e.g. to profile it. */
  onEvent?: TimedEventSink;
  /** `pulumi up --parallel`; the CLI's default (4 x CPUs, or PULUMI_PARALLEL) when undefined. */
  parallel?: number;

  private constructor(namespace: string, stack: Stack, programDir: string, cliEnv: NodeJS.ProcessEnv) {
    this.namespace = namespace;
    this.stack = stack;
    this.programDir = programDir;
    this.cliEnv = cliEnv;
  }

  static async create(options: {
    env: NodeJS.ProcessEnv;
    backendDir: string;
    namespace: string;
    composeFile: string;
    dockerHost: string;
    registry: string;
  }): Promise<ProductDeployer> {
    // Inside the checkout, so that the program finds this checkout's node_modules as an
    // installed package's program would find its own.
    const programDir = join(repoRoot, ".state/speed-programs", options.namespace);
    await mkdir(programDir, { recursive: true });
    await writeFile(join(programDir, "Pulumi.yaml"), "name: compose-pulumi-speed\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.ts\n");
    await writeFile(join(programDir, "index.ts"), programSource(programDir));
    const envVars: Record<string, string> = {
      PULUMI_BACKEND_URL: `file://${options.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: "speed-comparison-only",
    };
    for (const key of ["PATH", "PULUMI_HOME", "PULUMI_SKIP_UPDATE_CHECK", "HOME", "PULUMI_PARALLEL", "NODE_COMPILE_CACHE"]) {
      if (options.env[key]) envVars[key] = options.env[key] as string;
    }
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: options.namespace, workDir: programDir }, { envVars });
    await stack.setAllConfig({
      "compose-pulumi-speed:namespace": { value: options.namespace },
      "compose-pulumi-speed:composeFile": { value: options.composeFile },
      "compose-pulumi-speed:dockerHost": { value: options.dockerHost },
      "compose-pulumi-speed:registry": { value: options.registry },
    });
    return new ProductDeployer(options.namespace, stack, programDir, envVars);
  }

  /**
   * `pulumi up --yes --skip-preview` run as a user runs it (with `preview`, `pulumi up
   * --yes`: a preview first, as an interactive `pulumi up` shows one); returns its wall
   * time (start to exit of the CLI) and the engine's change counts.
   */
  async deploy(options: { preview?: boolean } = {}): Promise<{ seconds: number; changes: Record<string, number> }> {
    const eventLog = join(this.programDir, `events-${++this.runs}.jsonl`);
    let changes: Record<string, number> = {};
    const follower = followEventLog(eventLog, (event, seenAt) => {
      if (event.summaryEvent) changes = event.summaryEvent.resourceChanges ?? {};
      this.onEvent?.(event, seenAt);
    });
    const parallel = this.parallel === undefined ? [] : ["--parallel", String(this.parallel)];
    const started = performance.now();
    try {
      await runChecked("pulumi", ["up", "--yes", ...(options.preview ? [] : ["--skip-preview"]), "--non-interactive", "--stack", this.namespace, "--event-log", eventLog, ...parallel], {
        cwd: this.programDir,
        // --event-log is one of the flags the CLI offers only with PULUMI_DEBUG_COMMANDS (the Automation API sets it too).
        env: { ...this.cliEnv, PULUMI_DEBUG_COMMANDS: "true" },
        timeoutMs: 900_000,
      });
    } finally {
      await follower.stop();
    }
    return { seconds: (performance.now() - started) / 1000, changes };
  }

  /** `pulumi preview`: every step that is not `same`, with its resource type. */
  async previewChanges(): Promise<PreviewStep[]> {
    const steps: PreviewStep[] = [];
    await this.stack.preview({
      parallel: this.parallel,
      onEvent: (event: EngineEvent) => {
        const metadata = event.resourcePreEvent?.metadata;
        if (metadata && metadata.op !== "same") steps.push({ op: metadata.op, urn: metadata.urn, type: metadata.type });
      },
    });
    return steps;
  }

  async remove(): Promise<void> {
    await this.stack.destroy({ parallel: this.parallel }).catch(() => undefined);
    await this.stack.workspace.removeStack(this.stack.name).catch(() => undefined);
    await rm(this.programDir, { recursive: true, force: true });
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
