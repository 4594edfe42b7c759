/**
 * Where people reach the application: one URL per published TCP port of each long-running
 * service, on the host that publishes it (the engine's host, or a swarm manager).
 */
import { jobServices } from "../graph/depends-on.ts";
import { publishedPort } from "../graph/ports.ts";
import type { Project } from "../compose/schema/index.ts";

/** The Docker endpoint when nothing names one, as the docker CLI defaults. */
export const LOCAL_DOCKER_ENDPOINT = "unix:///var/run/docker.sock";

/** The endpoint the docker CLI would use: DOCKER_HOST from the environment, else the local socket. */
export function defaultDockerEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  return env.DOCKER_HOST || LOCAL_DOCKER_ENDPOINT;
}

/**
 * The host name in a Docker endpoint: `tcp://h:2376` and `ssh://user@h:22` give `h`; a
 * local socket (`unix://`, `npipe://`, `fd://`) gives 127.0.0.1.
 */
export function hostOfDockerEndpoint(endpoint: string): string {
  const match = /^([a-z]+):\/\/(.*)$/.exec(endpoint);
  if (match === null) return "127.0.0.1";
  const [, scheme, rest] = match;
  if (scheme !== "tcp" && scheme !== "ssh" && scheme !== "http" && scheme !== "https") return "127.0.0.1";
  const authority = rest.split("/")[0];
  const host = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}

/** `https` for the usual TLS ports, `http` otherwise. */
function schemeFor(targetPort: number): string {
  return targetPort === 443 || targetPort === 8443 ? "https" : "http";
}

/**
 * Service name -> its URLs, services in compose order. A port bound to one host address
 * (`127.0.0.1:8080:80`) is reached there rather than on `host`.
 */
export function serviceUrls(project: Project, host: string): Record<string, string[]> {
  const jobs = jobServices(project);
  const urls: Record<string, string[]> = {};
  for (const [name, service] of Object.entries(project.services)) {
    if (jobs.has(name)) continue;
    const list: string[] = [];
    for (const port of service.ports ?? []) {
      const published = publishedPort(port);
      if (typeof published !== "number" || (port.protocol ?? "tcp") !== "tcp") continue;
      const boundTo = port.host_ip !== undefined && port.host_ip !== "" && port.host_ip !== "0.0.0.0" && port.host_ip !== "::" ? port.host_ip : host;
      const hostPart = boundTo.includes(":") && !boundTo.startsWith("[") ? `[${boundTo}]` : boundTo;
      list.push(`${schemeFor(Number(port.target))}://${hostPart}:${published}/`);
    }
    if (list.length > 0) urls[name] = list;
  }
  return urls;
}

/** The application's main URL: the first URL of the first service that publishes one. */
export function primaryUrl(urls: Record<string, string[]>): string | undefined {
  for (const list of Object.values(urls)) if (list.length > 0) return list[0];
  return undefined;
}
