// Runs the product's SSH bootstrap scripts (infra/hosts/bootstrap) on a test host the
// way a remote command does: the rendered script on stdin of `sh -s`, over real SSH.
import {
  BOOTSTRAP_STDIN_COMMAND,
  bootstrapScript,
  parseBootstrapResult,
  type BootstrapInputs,
  type BootstrapResults,
  type BootstrapScriptName,
} from "../../infra/hosts/bootstrap/index.ts";
import type { TestHost, TestHosts } from "./hosts.ts";
import { ssh } from "./ssh.ts";

export interface BootstrapRun<N extends BootstrapScriptName> {
  result: BootstrapResults[N];
  /** The script's log (stderr); by contract it never contains a secret. */
  log: string;
}

export async function runBootstrap<N extends BootstrapScriptName>(
  env: TestHosts,
  host: TestHost,
  name: N,
  inputs: BootstrapInputs[N],
  timeoutMs = 180_000,
): Promise<BootstrapRun<N>> {
  const { code, stdout, stderr } = await ssh(env, host, BOOTSTRAP_STDIN_COMMAND, {
    input: bootstrapScript(name, inputs),
    timeoutMs,
  });
  let result: BootstrapResults[N];
  try {
    result = parseBootstrapResult(name, stdout);
  } catch (error) {
    throw new Error(`${name} on ${host.name} (exit ${code}): ${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
  if (code !== 0) throw new Error(`${name} on ${host.name} exited with ${code} despite an ok result\n${stderr.slice(-2000)}`);
  return { result, log: stderr };
}
