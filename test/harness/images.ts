// Puts images into the harness registry. Nothing can be pulled from the internet here,
// so images are built locally and pushed through one host's daemon, which trusts the
// registry; every host then pulls them from the registry as a real cluster would.
import { mkdtemp, rm, symlink, copyFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestHosts } from "./hosts.ts";
import { run, runChecked } from "./process.ts";

const BUSYBOX = "/usr/bin/busybox";

/**
 * Builds a FROM-scratch image holding Debian's static busybox (every applet linked into
 * /bin) and pushes it as <registry>/<repository>:<tag>. Returns the pushed reference.
 */
export async function publishBusyboxImage(env: TestHosts, repository = "busybox", tag = "harness"): Promise<string> {
  const ref = `${env.registry}/${repository}:${tag}`;
  const dockerHost = env.hosts[0].dockerHost;
  const root = await mkdtemp(join(tmpdir(), "harness-busybox-"));
  try {
    await mkdir(join(root, "bin"));
    await mkdir(join(root, "tmp"));
    await copyFile(BUSYBOX, join(root, "bin", "busybox"));
    const { stdout } = await runChecked(BUSYBOX, ["--list"]);
    for (const applet of stdout.split("\n").map((s) => s.trim()).filter(Boolean)) {
      if (applet !== "busybox") await symlink("busybox", join(root, "bin", applet));
    }
    const tarPath = `${root}.tar`;
    try {
      await runChecked("tar", ["-C", root, "-cf", tarPath, "."]);
      await runChecked("docker", ["-H", dockerHost, "import", "--change", 'CMD ["sh"]', tarPath, ref], { timeoutMs: 120_000 });
    } finally {
      await rm(tarPath, { force: true });
    }
    await runChecked("docker", ["-H", dockerHost, "push", ref], { timeoutMs: 120_000 });
    return ref;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Copies an image from another daemon (for example the project's own dockerd) into the
 * harness registry under <registry>/<name>; returns the pushed reference.
 */
export async function publishImageFrom(env: TestHosts, sourceDockerHost: string, image: string, name = image): Promise<string> {
  const ref = `${env.registry}/${name}`;
  const dockerHost = env.hosts[0].dockerHost;
  const saved = await run("bash", [
    "-o", "pipefail", "-c",
    'docker -H "$1" save "$2" | docker -H "$3" load >&2',
    "bash", sourceDockerHost, image, dockerHost,
  ], { timeoutMs: 300_000 });
  if (saved.code !== 0) throw new Error(`could not copy ${image} from ${sourceDockerHost}: ${saved.stderr.slice(-2000)}`);
  await runChecked("docker", ["-H", dockerHost, "tag", image, ref]);
  await runChecked("docker", ["-H", dockerHost, "push", ref], { timeoutMs: 300_000 });
  return ref;
}
