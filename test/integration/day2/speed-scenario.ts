/**
 * The speed comparison, step by step, shared by the integration test (which asserts) and
 * the benchmark (which prints): both tools deploy the same generated 20-service file
 * under their own names on one cluster, then the same one-service change. Each step is
 * timed until the tool's command returns, until the changed service runs only new tasks
 * (updates), and until the whole stack has converged (every task running, no service
 * still in an update).
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSpeedCompose, SPEED_SECRETS, SPEED_SERVICE_COUNT, speedServiceKey, writeSpeedCompose } from "./speed-compose.ts";
import type { SpeedCluster } from "./speed-cluster.ts";
import { changedServices, serviceVersions, waitConverged, type ServiceVersion } from "./speed-swarm-state.ts";
import { ProductDeployer, StackDeployDeployer, type PreviewStep } from "./speed-tools.ts";
import { DeployProfile } from "./deploy-profile.ts";

export type Tool = "ours" | "stackDeploy";
export const TOOLS: Tool[] = ["ours", "stackDeploy"];

export interface StepTiming {
  /** Until `pulumi up` / `docker stack deploy` returned. */
  commandSeconds: number;
  /** Until every task of the stack ran as the file says and swarm had no update in progress. */
  convergedSeconds: number;
  /** Until the changed service ran only new tasks (updates only). */
  changedSeconds?: number;
}

export interface UpdateResult extends StepTiming {
  /** Services whose Version.Index changed. */
  touched: string[];
  /** Services with at least one task replaced. */
  restarted: string[];
  before: Record<string, ServiceVersion>;
  after: Record<string, ServiceVersion>;
}

/** Service 2 (two replicas, mounts a config): the one the update changes. */
export const CHANGED_KEY = speedServiceKey(1);

export class SpeedScenario {
  readonly suffix = randomBytes(3).toString("hex");
  readonly namespaces: Record<Tool, string> = { ours: `ours${this.suffix}`, stackDeploy: `stk${this.suffix}` };
  private workDir = "";
  private composeFile = "";
  private tasks: Record<Tool, Record<string, string[]>> = { ours: {}, stackDeploy: {} };
  private ours?: ProductDeployer;
  private stackDeploy?: StackDeployDeployer;
  /** Where the product's last deployment spent its time. */
  lastProfile?: DeployProfile;

  private readonly env: NodeJS.ProcessEnv;
  private readonly cluster: SpeedCluster;

  /** The product's `pulumi up --parallel`; the CLI's default when undefined. */
  private readonly parallel?: number;

  constructor(
    env: NodeJS.ProcessEnv,
    cluster: SpeedCluster,
    options: { parallel?: number } = {},
  ) {
    this.env = env;
    this.cluster = cluster;
    this.parallel = options.parallel;
  }

  changedService(tool: Tool): string {
    return `${this.namespaces[tool]}_${CHANGED_KEY}`;
  }

  async prepare(): Promise<void> {
    this.workDir = await mkdtemp(join(tmpdir(), "cp-speed-"));
    const secrets = Object.fromEntries(SPEED_SECRETS.map((key) => [key, randomBytes(16).toString("hex")]));
    this.composeFile = await writeSpeedCompose(join(this.workDir, "app"), { image: this.cluster.image }, (key) => secrets[key]);
    const backendDir = join(this.workDir, "backend");
    await mkdir(backendDir);
    const dockerHost = this.cluster.manager.dockerHost;
    this.ours = await ProductDeployer.create({
      env: this.env,
      backendDir,
      namespace: this.namespaces.ours,
      composeFile: this.composeFile,
      dockerHost,
      registry: this.cluster.hosts.registry,
    });
    this.ours.parallel = this.parallel;
    this.stackDeploy = new StackDeployDeployer(this.namespaces.stackDeploy, this.composeFile, dockerHost);
  }

  /** First deploy of the whole file by `tool`. */
  async firstDeploy(tool: Tool): Promise<StepTiming> {
    return this.timed(tool, {});
  }

  /** Rewrites the file with one changed variable in CHANGED_KEY. */
  async changeOneService(revision: string): Promise<void> {
    await writeFile(this.composeFile, generateSpeedCompose({ image: this.cluster.image, changed: { service: CHANGED_KEY, revision } }));
  }

  async previewOurs(): Promise<PreviewStep[]> {
    return this.deployer("ours").previewChanges();
  }

  /**
   * Deploys the current file again with `tool`; reads every service before and after.
   * `unchanged`: the file is as last deployed (no-op), so no task is waited for to be replaced.
   * `preview`: the product previews first (`pulumi up --yes`).
   */
  async update(tool: Tool, options: { unchanged?: boolean; preview?: boolean } = {}): Promise<UpdateResult> {
    const dockerHost = this.cluster.manager.dockerHost;
    const before = await serviceVersions(dockerHost, this.namespaces[tool]);
    const previousTasks = this.tasks[tool];
    const replaced = options.unchanged ? {} : { [this.changedService(tool)]: previousTasks[this.changedService(tool)] ?? [] };
    const timing = await this.timed(tool, replaced, options.preview);
    const after = await serviceVersions(dockerHost, this.namespaces[tool]);
    const restarted = Object.keys(this.tasks[tool])
      .filter((name) => this.tasks[tool][name].some((id) => !(previousTasks[name] ?? []).includes(id)))
      .sort();
    return { ...timing, touched: changedServices(before, after), restarted, before, after };
  }

  async cleanUp(): Promise<void> {
    await this.ours?.remove();
    await this.stackDeploy?.remove();
    if (this.workDir) await rm(this.workDir, { recursive: true, force: true });
  }

  private deployer(tool: "ours"): ProductDeployer;
  private deployer(tool: Tool): ProductDeployer | StackDeployDeployer;
  private deployer(tool: Tool): ProductDeployer | StackDeployDeployer {
    const deployer = tool === "ours" ? this.ours : this.stackDeploy;
    if (!deployer) throw new Error("prepare() has not run");
    return deployer;
  }

  private async timed(tool: Tool, replaced: Record<string, string[]>, preview = false): Promise<StepTiming> {
    const started = performance.now();
    if (tool === "ours") {
      const profile = new DeployProfile(started);
      this.deployer("ours").onEvent = (event, seenAt) => profile.record(event, seenAt);
      this.lastProfile = profile;
    }
    const deployer = this.deployer(tool);
    const { seconds } = deployer instanceof ProductDeployer ? await deployer.deploy({ preview }) : await deployer.deploy();
    if (tool === "ours") this.lastProfile?.finish();
    const converged = await waitConverged(this.cluster.manager.dockerHost, {
      namespace: this.namespaces[tool],
      services: SPEED_SERVICE_COUNT,
      replaced,
    });
    this.tasks[tool] = converged.tasks;
    const timing: StepTiming = { commandSeconds: seconds, convergedSeconds: (performance.now() - started) / 1000 };
    if (converged.replacedAt !== undefined) timing.changedSeconds = (converged.replacedAt - started) / 1000;
    return timing;
  }
}

export function ratio(ours: number, theirs: number): string {
  return theirs > 0 ? (ours / theirs).toFixed(2) : "n/a";
}
