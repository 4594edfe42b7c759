// Runs commands on a test host over real SSH: the harness key, and the host key pinned
// in the harness known_hosts (StrictHostKeyChecking=yes; an unknown key is refused).
import type { TestHost, TestHosts } from "./hosts.ts";
import { run, runChecked, type RunResult } from "./process.ts";

export interface SshOptions {
  input?: string;
  timeoutMs?: number;
}

function sshArgs(env: TestHosts, host: TestHost, command: string): string[] {
  return [
    "-F", env.sshConfigPath,
    "-p", String(host.port),
    "-l", host.user,
    host.address,
    command,
  ];
}

export function ssh(env: TestHosts, host: TestHost, command: string, options: SshOptions = {}): Promise<RunResult> {
  return run("ssh", sshArgs(env, host, command), options);
}

export function sshChecked(env: TestHosts, host: TestHost, command: string, options: SshOptions = {}): Promise<RunResult> {
  return runChecked("ssh", sshArgs(env, host, command), options);
}
