/**
 * A client inside the overlay network that requests a service in a loop, one line per
 * request ("ok <body>" or "fail <wget exit code>"), so a test can count failed requests
 * during a change and see which versions answered. It runs as a plain container on the
 * manager, attached to the project's attachable overlay network, and resolves the
 * service name afresh for every request (dnsrr: DNS names the tasks themselves).
 */
import { runChecked, run } from "../../harness/process.ts";

export interface ClientLoop {
  dockerHost: string;
  container: string;
}

export interface ClientCounts {
  /** Log lines read so far: pass as `fromLine` to count only what came after. */
  lines: number;
  total: number;
  failed: number;
  /** Answers by body (the version the task served). */
  bodies: Record<string, number>;
  /** The first few failure lines, for the assertion message. */
  failures: string[];
}

// Debian's static busybox wget crashes resolving names through glibc's NSS and with its
// own -T timeout, so the loop resolves with busybox's nslookup (taking the first address
// DNS returns, as most clients do) and bounds each request with `timeout`.
const LOOP = [
  "while :; do",
  "  ip=$(nslookup \"$SERVICE\" 2>/dev/null | awk '/^Name:/ { named = 1 } named && /^Address/ { print $2; exit }')",
  '  if [ -z "$ip" ]; then echo "fail dns"',
  '  elif body=$(timeout 3 wget -q -O - "http://$ip:$PORT$URL_PATH" 2>/dev/null); then echo "ok $body"',
  '  else echo "fail $? $ip"; fi',
  "  sleep 0.05",
  "done",
].join("\n");

export interface ClientOptions {
  name: string;
  network: string;
  image: string;
  service: string;
  port: number;
  path: string;
}

export async function startClientLoop(dockerHost: string, options: ClientOptions): Promise<ClientLoop> {
  await run("docker", ["-H", dockerHost, "rm", "-f", options.name]);
  await runChecked("docker", [
    "-H", dockerHost, "run", "-d", "--name", options.name, "--network", options.network,
    "-e", `SERVICE=${options.service}`, "-e", `PORT=${options.port}`, "-e", `URL_PATH=${options.path}`, "--log-driver", "json-file", options.image, "sh", "-c", LOOP,
  ], { timeoutMs: 60_000 });
  return { dockerHost, container: options.name };
}

/** The requests logged from line `fromLine` on. */
export async function clientCounts(loop: ClientLoop, fromLine = 0): Promise<ClientCounts> {
  const { stdout } = await runChecked("docker", ["-H", loop.dockerHost, "logs", loop.container], { timeoutMs: 60_000 });
  const all = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  const counts: ClientCounts = { lines: all.length, total: 0, failed: 0, bodies: {}, failures: [] };
  for (const line of all.slice(fromLine)) {
    counts.total++;
    if (line.startsWith("ok ")) {
      const body = line.slice(3);
      counts.bodies[body] = (counts.bodies[body] ?? 0) + 1;
    } else {
      counts.failed++;
      if (counts.failures.length < 5) counts.failures.push(line);
    }
  }
  return counts;
}

export async function removeClientLoop(loop: ClientLoop | undefined): Promise<void> {
  if (loop) await run("docker", ["-H", loop.dockerHost, "rm", "-f", loop.container], { timeoutMs: 60_000 });
}

/**
 * Waits until the client has had `body` answer several times in a row (the service is
 * reachable); returns the log position to count from.
 */
export async function waitForAnswers(loop: ClientLoop, body: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await runChecked("docker", ["-H", loop.dockerHost, "logs", loop.container], { timeoutMs: 60_000 });
    const all = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    if (all.length >= 5 && all.slice(-5).every((line) => line === `ok ${body}`)) return all.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the client never got "${body}" within ${timeoutMs} ms`);
}
