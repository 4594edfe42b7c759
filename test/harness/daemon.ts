// Stops and restarts a test host's dockerd, as a crash or a service restart would on a VM.
import { readFile } from "node:fs/promises";
import { harnessScript, type TestHost } from "./hosts.ts";
import { runChecked } from "./process.ts";

async function dockerdPid(host: TestHost): Promise<number | undefined> {
  const text = await readFile(`${host.stateDir}/dockerd.pid`, "utf8").catch(() => "");
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const comm = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "");
  return comm.trim() === "dockerd" ? pid : undefined;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const comm = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "");
    if (comm.trim() !== "dockerd") return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Stops the host's dockerd (SIGTERM: clean stop; SIGKILL: crash) and waits until it is gone. */
export async function stopDockerd(host: TestHost, signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
  const pid = await dockerdPid(host);
  if (pid === undefined) return;
  process.kill(pid, signal);
  if (!(await waitForExit(pid, 40_000))) throw new Error(`dockerd of ${host.name} (pid ${pid}) did not stop within 40 s`);
}

/** Starts the host's dockerd inside the host's namespaces and waits until it answers. */
export async function startDockerd(host: TestHost): Promise<void> {
  if ((await dockerdPid(host)) !== undefined) return;
  await runChecked(
    "nsenter",
    ["-t", String(host.pid), "--net", "--mount", "--uts", "sh", harnessScript("start-dockerd.sh"), host.stateDir],
    { timeoutMs: 90_000 },
  );
}
