/**
 * Runs a loaded compose Project on one Docker engine with plain docker commands, the
 * way `docker compose up` does: networks and volumes first, then each service's
 * replicas in depends_on order (waiting for health or for a job's exit 0), secrets
 * bind-mounted read-only at /run/secrets/<target>. Everything created carries a
 * run label, so `down()` removes exactly this run's containers, networks, volumes
 * and images.
 *
 * Deliberate differences from compose, for tests on a shared machine: ports are
 * published on 127.0.0.1 with ephemeral host ports (the fixed ones may be taken),
 * every network is a local bridge (overlay needs a swarm; the swarm path has its own
 * tests), and restart policies are not applied so that failures stay visible.
 */
import type { Project, Service } from "../../../infra/compose/schema/index.ts";
import { docker } from "./docker-cli.ts";

const RUN_LABEL = "io.compose-pulumi.test-run";

export class ComposeOnEngine {
  private readonly builtImages = new Set<string>();

  readonly project: Project;
  readonly runId: string;

  constructor(
    project: Project,
    runId: string,
  ) {
    this.project = project;
    this.runId = runId;
  }

  containerName(service: string, replica = 1): string {
    return `${this.project.name}-${service}-${replica}`;
  }

  replicas(service: string): number {
    const deploy = this.service(service).deploy;
    if (deploy?.mode === "replicated-job" || deploy?.mode === "global-job") return 1;
    return deploy?.replicas ?? 1;
  }

  /** Builds every service image with `build:`, without network access. */
  async build(): Promise<void> {
    for (const [name, service] of Object.entries(this.project.services)) {
      if (!service.build) continue;
      const image = this.imageOf(name);
      const args = ["build", "--network", "none", "--quiet", "--label", `${RUN_LABEL}=${this.runId}`, "--tag", image];
      if (service.build.dockerfile) args.push("--file", `${service.build.context}/${service.build.dockerfile}`);
      for (const [key, value] of Object.entries(service.build.args ?? {})) {
        if (value !== null && value !== undefined) args.push("--build-arg", `${key}=${value}`);
      }
      args.push(service.build.context);
      await docker(args, { timeoutMs: 5 * 60_000, env: { ...process.env, DOCKER_BUILDKIT: "0" } });
      this.builtImages.add(image);
    }
  }

  /** Creates networks and volumes, then starts services in dependency order. */
  async up(): Promise<void> {
    const label = ["--label", `${RUN_LABEL}=${this.runId}`, "--label", `com.docker.compose.project=${this.project.name}`];
    for (const network of Object.values(this.project.networks ?? {})) {
      await docker(["network", "create", ...label, network.name!]);
    }
    for (const volume of Object.values(this.project.volumes ?? {})) {
      await docker(["volume", "create", ...label, volume.name!]);
    }
    for (const name of this.startOrder()) {
      await this.waitForDependencies(name);
      for (let replica = 1; replica <= this.replicas(name); replica++) await this.start(name, replica);
    }
  }

  /** Waits until every replica reports healthy; fails early with its logs if one exits. */
  async waitHealthy(service: string, timeoutMs = 180_000): Promise<void> {
    for (let replica = 1; replica <= this.replicas(service); replica++) {
      const container = this.containerName(service, replica);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { stdout } = await docker(["inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", container]);
        const [status, health] = stdout.trim().split(" ");
        if (health === "healthy") break;
        if (status === "exited" || status === "dead") {
          throw new Error(`${container} exited before becoming healthy; last log lines:\n${await this.logs(service, replica, 30)}`);
        }
        if (Date.now() > deadline) {
          throw new Error(`${container} not healthy after ${timeoutMs / 1000}s (${status} ${health ?? "no healthcheck"}); last log lines:\n${await this.logs(service, replica, 30)}`);
        }
        await sleep(1000);
      }
    }
  }

  /** Waits for a one-shot service's container to exit and returns its exit code. */
  async waitExit(service: string, timeoutMs = 180_000): Promise<number> {
    const { stdout } = await docker(["wait", this.containerName(service)], { timeoutMs });
    return Number(stdout.trim());
  }

  /** Runs a one-shot service's container again; resolves with its exit code and output. */
  async rerun(service: string, timeoutMs = 180_000): Promise<{ code: number; output: string }> {
    const result = await docker(["start", "--attach", this.containerName(service)], { timeoutMs, allowFailure: true });
    return { code: result.code, output: result.stdout + result.stderr };
  }

  async logs(service: string, replica = 1, tail?: number): Promise<string> {
    const args = ["logs", ...(tail ? ["--tail", String(tail)] : []), this.containerName(service, replica)];
    const { stdout, stderr } = await docker(args, { allowFailure: true });
    return stdout + stderr;
  }

  /** All output of every container of the run, for assertions about what was logged. */
  async allLogs(): Promise<string> {
    const parts: string[] = [];
    for (const name of Object.keys(this.project.services)) {
      for (let replica = 1; replica <= this.replicas(name); replica++) parts.push(await this.logs(name, replica));
    }
    return parts.join("\n");
  }

  /** The loopback URL of a replica's published container port. */
  async url(service: string, targetPort: number, replica = 1): Promise<string> {
    const { stdout } = await docker(["port", this.containerName(service, replica), `${targetPort}/tcp`]);
    const binding = stdout.split("\n").find((line) => line.startsWith("127.0.0.1:"));
    if (!binding) throw new Error(`${this.containerName(service, replica)} publishes no loopback port for ${targetPort}/tcp`);
    return `http://${binding.trim()}`;
  }

  async exec(service: string, command: string[], options: { user?: string; replica?: number } = {}) {
    const user = options.user ? ["--user", options.user] : [];
    return docker(["exec", ...user, this.containerName(service, options.replica), ...command], { allowFailure: true });
  }

  /** Removes everything this run created; safe to call after a partial `up`. */
  async down(): Promise<void> {
    const filter = ["--filter", `label=${RUN_LABEL}=${this.runId}`];
    const ids = async (args: string[]) => (await docker([...args, ...filter], { allowFailure: true })).stdout.split("\n").filter(Boolean);
    const containers = await ids(["ps", "--all", "--quiet"]);
    if (containers.length) await docker(["rm", "--force", "--volumes", ...containers], { allowFailure: true });
    const networks = await ids(["network", "ls", "--quiet"]);
    if (networks.length) await docker(["network", "rm", ...networks], { allowFailure: true });
    const volumes = await ids(["volume", "ls", "--quiet"]);
    if (volumes.length) await docker(["volume", "rm", "--force", ...volumes], { allowFailure: true });
    if (this.builtImages.size) await docker(["image", "rm", "--force", ...this.builtImages], { allowFailure: true });
  }

  private service(name: string): Service {
    const service = this.project.services[name];
    if (!service) throw new Error(`project ${this.project.name} has no service "${name}"`);
    return service;
  }

  private imageOf(name: string): string {
    const image = this.service(name).image;
    if (!image) throw new Error(`service ${name} has no image name`);
    return image;
  }

  /** Services ordered so that each comes after everything it depends on. */
  private startOrder(): string[] {
    const order: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (order.includes(name)) return;
      if (path.includes(name)) throw new Error(`depends_on cycle: ${[...path, name].join(" -> ")}`);
      for (const dependency of Object.keys(this.service(name).depends_on ?? {})) visit(dependency, [...path, name]);
      order.push(name);
    };
    for (const name of Object.keys(this.project.services).sort()) visit(name, []);
    return order;
  }

  private async waitForDependencies(name: string): Promise<void> {
    for (const [dependency, { condition }] of Object.entries(this.service(name).depends_on ?? {})) {
      if (condition === "service_healthy") await this.waitHealthy(dependency);
      if (condition === "service_completed_successfully") {
        const code = await this.waitExit(dependency);
        if (code !== 0) {
          throw new Error(`${this.containerName(dependency)} exited ${code}, so ${name} cannot start; its log:\n${await this.logs(dependency, 1, 30)}`);
        }
      }
    }
  }

  private async start(name: string, replica: number): Promise<void> {
    const service = this.service(name);
    const container = this.containerName(name, replica);
    const networks = Object.keys(service.networks ?? {}).map((key) => this.project.networks?.[key]?.name ?? key);
    const args = [
      "create",
      "--name", container,
      "--label", `${RUN_LABEL}=${this.runId}`,
      "--label", `com.docker.compose.project=${this.project.name}`,
      "--label", `com.docker.compose.service=${name}`,
      "--label", `com.docker.compose.container-number=${replica}`,
    ];
    if (networks[0]) args.push("--network", networks[0], "--network-alias", name);
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (value !== null && value !== undefined) args.push("--env", `${key}=${value}`);
    }
    for (const secret of service.secrets ?? []) {
      const file = this.project.secrets?.[secret.source]?.file;
      if (!file) throw new Error(`service ${name} uses secret ${secret.source}, which has no file`);
      const target = secret.target?.startsWith("/") ? secret.target : `/run/secrets/${secret.target ?? secret.source}`;
      args.push("--volume", `${file}:${target}:ro`);
    }
    for (const mount of service.volumes ?? []) {
      if (mount.type !== "volume" || !mount.source) throw new Error(`service ${name}: only named volumes are supported here`);
      args.push("--volume", `${this.project.volumes?.[mount.source]?.name ?? mount.source}:${mount.target}`);
    }
    for (const port of service.ports ?? []) args.push("--publish", `127.0.0.1::${port.target}/${port.protocol ?? "tcp"}`);
    args.push(...healthcheckFlags(service));
    args.push(this.imageOf(name));
    if (Array.isArray(service.command)) args.push(...service.command);
    await docker(args);
    for (const network of networks.slice(1)) await docker(["network", "connect", "--alias", name, network, container]);
    await docker(["start", container]);
  }
}

function healthcheckFlags(service: Service): string[] {
  const check = service.healthcheck;
  if (!check) return [];
  if (check.disable || check.test?.[0] === "NONE") return ["--no-healthcheck"];
  const flags: string[] = [];
  const test = check.test ?? [];
  if (test[0] === "CMD") flags.push("--health-cmd", test.slice(1).map(shellQuote).join(" "));
  else if (test[0] === "CMD-SHELL") flags.push("--health-cmd", test[1] ?? "");
  const duration = (ns: number | undefined, flag: string) => {
    if (ns !== undefined) flags.push(flag, `${ns / 1e6}ms`);
  };
  duration(check.interval, "--health-interval");
  duration(check.timeout, "--health-timeout");
  duration(check.start_period, "--health-start-period");
  if (check.retries !== undefined) flags.push("--health-retries", String(check.retries));
  return flags;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
