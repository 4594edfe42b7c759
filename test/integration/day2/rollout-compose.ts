/**
 * The compose files of the rollout scenarios: a web service (busybox httpd serving its
 * image's version) with a healthcheck and a start-first, one-at-a-time update policy
 * that rolls back on failure, on an attachable overlay network reached by DNS (dnsrr).
 */

export interface WebComposeOptions {
  image: string;
  replicas: number;
  /** The path the healthcheck asks for; the images serve only `/`. */
  healthPath?: string;
  /** Compose secret the service reads (its file is `./<name>.txt`). */
  secret?: string;
}

export const WEB_PORT = 8080;

export function webCompose(options: WebComposeOptions): string {
  const healthPath = options.healthPath ?? "/";
  const secretCheck = options.secret ? ` && test -s /run/secrets/${options.secret}` : "";
  const command = options.secret
    ? `["sh", "-c", "test -s /run/secrets/${options.secret} && exec httpd -f -p ${WEB_PORT} -h /www"]`
    : `["httpd", "-f", "-p", "${WEB_PORT}", "-h", "/www"]`;
  const lines = [
    "services:",
    "  web:",
    `    image: ${options.image}`,
    `    command: ${command}`,
    "    healthcheck:",
    `      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:${WEB_PORT}${healthPath}${secretCheck}"]`,
    "      interval: 1s",
    "      timeout: 2s",
    "      retries: 2",
    ...(options.secret ? ["    secrets:", `      - ${options.secret}`] : []),
    "    deploy:",
    `      replicas: ${options.replicas}`,
    "      endpoint_mode: dnsrr",
    "      update_config:",
    "        parallelism: 1",
    "        order: start-first",
    "        failure_action: rollback",
    "        monitor: 3s",
    "      rollback_config:",
    "        parallelism: 1",
    "        order: start-first",
    "networks:",
    "  default:",
    "    driver: overlay",
    "    attachable: true",
  ];
  if (options.secret) lines.push("secrets:", `  ${options.secret}:`, `    file: ./${options.secret}.txt`);
  return `${lines.join("\n")}\n`;
}
