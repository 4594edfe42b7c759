/**
 * The shared life of a rollout test file: one rig (test swarm, client loop, first
 * `pulumi up`) started before the file's tests and torn down after them, or the reason
 * it cannot run here (no toolchain, daemon or test hosts), which each test skips with.
 */
import { after, before, type TestContext } from "node:test";
import { randomBytes } from "node:crypto";
import { harnessUnavailableReason } from "../../harness/hosts.ts";
import { engineMissing, projectEnv } from "../pulumi-toolchain.ts";
import { startRig, stopRig, type RolloutRig } from "./rollout-scenario.ts";
import type { RolloutCluster } from "./rollout-cluster.ts";

/** Registers the file's before/after hooks; the returned function gives a test the rig, or skips it. */
export function rolloutRigForFile(
  projectPrefix: string,
  firstCompose: (cluster: RolloutCluster) => string,
  files: Record<string, string> = {},
): (t: TestContext) => RolloutRig | undefined {
  let skipReason: string | undefined;
  let rig: RolloutRig | undefined;
  let savedPath: string | undefined;

  before(async () => {
    const env = await projectEnv();
    skipReason = (await engineMissing(env)) ?? (await harnessUnavailableReason());
    if (skipReason) return;
    // LocalWorkspace finds `pulumi` through this process's PATH.
    savedPath = process.env.PATH;
    process.env.PATH = env.PATH;
    rig = await startRig(env, `${projectPrefix}${randomBytes(3).toString("hex")}`, firstCompose, files);
  });

  after(async () => {
    await stopRig(rig);
    if (savedPath !== undefined) process.env.PATH = savedPath;
  });

  return (t) => {
    if (skipReason || !rig) {
      t.skip(skipReason ?? "no cluster");
      return undefined;
    }
    return rig;
  };
}
