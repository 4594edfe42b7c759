/**
 * The cluster the rollout tests run on: three test hosts bootstrapped into a swarm (one
 * manager, two workers), the harness busybox image, and small web images that serve
 * their own version at `/`, all in the slot registry and pulled on every node so that
 * no timing includes an image download.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestHosts, destroyTestHosts, type TestHost, type TestHosts } from "../../harness/hosts.ts";
import { publishBusyboxImage } from "../../harness/images.ts";
import { runChecked } from "../../harness/process.ts";
import { bootstrapSwarm } from "../../harness/swarm.ts";

export interface RolloutCluster {
  hosts: TestHosts;
  manager: TestHost;
  /** The harness busybox image (the client loop runs it). */
  busybox: string;
  /** Web image by version: busybox plus /www/index.html holding the version. */
  web: Record<string, string>;
  setupSeconds: number;
}

/** Builds `<registry>/rollout/web:<version>` on the manager and pushes it. */
async function publishWebImage(hosts: TestHosts, busybox: string, version: string): Promise<string> {
  const ref = `${hosts.registry}/rollout/web:${version}`;
  const dockerHost = hosts.hosts[0].dockerHost;
  const context = await mkdtemp(join(tmpdir(), "cp-rollout-web-"));
  try {
    await writeFile(join(context, "index.html"), `${version}\n`);
    await writeFile(join(context, "Dockerfile"), `FROM ${busybox}\nCOPY index.html /www/index.html\n`);
    await runChecked("docker", ["-H", dockerHost, "build", "-q", "-t", ref, context], {
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
      timeoutMs: 120_000,
    });
    await runChecked("docker", ["-H", dockerHost, "push", ref], { timeoutMs: 120_000 });
    return ref;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

export async function startRolloutCluster(versions: string[]): Promise<RolloutCluster> {
  const started = performance.now();
  const hosts = await createTestHosts(3);
  try {
    const [manager, ...workers] = hosts.hosts;
    await bootstrapSwarm(hosts, { managers: [manager], workers });
    const busybox = await publishBusyboxImage(hosts, "rollout/busybox", "harness");
    const web: Record<string, string> = {};
    for (const version of versions) web[version] = await publishWebImage(hosts, busybox, version);
    await Promise.all(
      workers.flatMap((host) =>
        [busybox, ...Object.values(web)].map((image) => runChecked("docker", ["-H", host.dockerHost, "pull", image], { timeoutMs: 120_000 })),
      ),
    );
    return { hosts, manager, busybox, web, setupSeconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await destroyTestHosts(hosts).catch(() => undefined);
    throw error;
  }
}

export async function stopRolloutCluster(cluster: RolloutCluster | undefined): Promise<void> {
  if (cluster) await destroyTestHosts(cluster.hosts);
}
