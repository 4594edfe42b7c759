/**
 * The compose file both tools deploy in the speed comparison: N services on one
 * attachable overlay network, each reachable by name (`endpoint_mode: dnsrr`, the
 * harness kernel has no IPVS), replicas alternating 1 and 2, restarts asked for with
 * `restart:` or `deploy.restart_policy`, a few services mounting one of two secrets and
 * one of two configs. `changed` sets one service's
 * `SPEED_REVISION` variable: the one-service change the update step times.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface SpeedComposeOptions {
  image: string;
  services?: number;
  /** Service key whose environment carries `revision` instead of the base revision. */
  changed?: { service: string; revision: string };
}

export const SPEED_SERVICE_COUNT = 20;
export const SPEED_SECRETS = ["api_key", "db_password"];
export const SPEED_CONFIGS = ["app_settings", "proxy_rules"];
const BASE_REVISION = "1";

export function speedServiceKey(index: number): string {
  return `svc${String(index + 1).padStart(2, "0")}`;
}

export function speedServiceKeys(count = SPEED_SERVICE_COUNT): string[] {
  return Array.from({ length: count }, (_, index) => speedServiceKey(index));
}

export function speedReplicas(index: number): number {
  return index % 2 === 0 ? 1 : 2;
}

export function generateSpeedCompose(options: SpeedComposeOptions): string {
  // docker/cli 20.10's stack deploy still requires a 3.x version key.
  const lines = ['version: "3.8"', "services:"];
  speedServiceKeys(options.services).forEach((key, index) => {
    const revision = options.changed?.service === key ? options.changed.revision : BASE_REVISION;
    lines.push(
      `  ${key}:`,
      `    image: ${options.image}`,
      `    command: ["sh", "-c", "echo ${key} > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]`,
      "    environment:",
      `      SPEED_SERVICE: ${key}`,
      `      SPEED_REVISION: "${revision}"`,
      "    networks: [backend]",
    );
    if (index % 5 === 0) lines.push("    secrets:", `      - ${SPEED_SECRETS[(index / 5) % 2]}`);
    if (index % 5 === 1) lines.push("    configs:", `      - source: ${SPEED_CONFIGS[((index - 1) / 5) % 2]}`, "        target: /etc/speed.conf");
    // Both ways of asking for restarts: the legacy `restart:` key and deploy.restart_policy.
    if (index % 4 === 3) lines.push("    restart: unless-stopped");
    lines.push("    deploy:", "      endpoint_mode: dnsrr", `      replicas: ${speedReplicas(index)}`);
    if (index % 4 !== 3) lines.push("      restart_policy:", "        condition: any");
  });
  lines.push("networks:", "  backend:", "    driver: overlay", "    attachable: true");
  lines.push("secrets:", ...SPEED_SECRETS.flatMap((key) => [`  ${key}:`, `    file: ./${key}.txt`]));
  lines.push("configs:", ...SPEED_CONFIGS.flatMap((key) => [`  ${key}:`, `    file: ./${key}.conf`]));
  return `${lines.join("\n")}\n`;
}

/**
 * Writes compose.yaml and the secret and config files it names into `dir`; returns the
 * compose file's path. Secret contents are random per run and never printed.
 */
export async function writeSpeedCompose(dir: string, options: SpeedComposeOptions, secretValue: (key: string) => string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const key of SPEED_SECRETS) await writeFile(join(dir, `${key}.txt`), secretValue(key), { mode: 0o600 });
  for (const key of SPEED_CONFIGS) await writeFile(join(dir, `${key}.conf`), `# ${key}\nlisten 8080\n`);
  const file = join(dir, "compose.yaml");
  await writeFile(file, generateSpeedCompose(options));
  return file;
}
