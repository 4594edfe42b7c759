/**
 * The cluster the speed comparison runs on: three test hosts bootstrapped into a swarm
 * (one manager, two workers) with the harness busybox image in the slot registry and
 * already pulled on every node, so neither tool's timing includes an image download.
 */
import { createTestHosts, destroyTestHosts, type TestHost, type TestHosts } from "../../harness/hosts.ts";
import { publishBusyboxImage } from "../../harness/images.ts";
import { runChecked } from "../../harness/process.ts";
import { bootstrapSwarm } from "../../harness/swarm.ts";

export interface SpeedCluster {
  hosts: TestHosts;
  manager: TestHost;
  /** The image every generated service runs, by tag (as compose files name images), in the slot registry. */
  image: string;
  /** Seconds spent creating hosts, bootstrapping the swarm and publishing the image. */
  setupSeconds: number;
}

export async function startSpeedCluster(): Promise<SpeedCluster> {
  const started = performance.now();
  const hosts = await createTestHosts(3);
  try {
    const [manager, ...workers] = hosts.hosts;
    await bootstrapSwarm(hosts, { managers: [manager], workers });
    const image = await publishBusyboxImage(hosts, "speed/busybox", "harness");
    await Promise.all(workers.map((host) => runChecked("docker", ["-H", host.dockerHost, "pull", image], { timeoutMs: 120_000 })));
    return { hosts, manager, image, setupSeconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await destroyTestHosts(hosts).catch(() => undefined);
    throw error;
  }
}

export async function stopSpeedCluster(cluster: SpeedCluster | undefined): Promise<void> {
  if (cluster) await destroyTestHosts(cluster.hosts);
}
