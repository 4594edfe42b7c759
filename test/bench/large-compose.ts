/**
 * A large compose file for the loader's benchmarks: N services, each with 5 ports, 5
 * volume mounts and 5 environment entries, in the mixed syntaxes real files use (short
 * and long ports, named, bind and tmpfs mounts, map and list environments, a YAML anchor
 * merged into every service, interpolated defaults).
 */
export const PER_SERVICE = 5;
const SHARED_VOLUMES = 100;

/** The variables the file interpolates, as the benchmarks set them. */
export const LARGE_COMPOSE_ENVIRONMENT = { TAG: "1.0", VALUE_0: "from-env" };

export function generateCompose(services: number): string {
  const lines: string[] = ["name: bench", "x-common: &common", "  restart: unless-stopped", "  labels:", "    com.example.bench: 'true'", "services:"];
  for (let index = 0; index < services; index++) {
    lines.push(`  svc-${index}:`, "    <<: *common", `    image: registry.local/app-${index % 10}:\${TAG:-latest}`, "    ports:");
    for (let port = 0; port < PER_SERVICE; port++) {
      const published = 10_000 + index * PER_SERVICE + port;
      if (port === PER_SERVICE - 1) lines.push(`      - target: ${8000 + port}`, `        published: "${published}"`, "        protocol: udp", "        mode: host");
      else lines.push(`      - "127.0.0.1:${published}:${8000 + port}"`);
    }
    lines.push("    volumes:");
    for (let mount = 0; mount < PER_SERVICE; mount++) {
      if (mount < 3) lines.push(`      - shared-${(index * 3 + mount) % SHARED_VOLUMES}:/data/${mount}`);
      else if (mount === 3) lines.push(`      - ./data/svc-${index}:/srv/bind:ro`);
      else lines.push("      - type: tmpfs", "        target: /tmp/scratch", "        tmpfs:", "          size: 64m");
    }
    if (index % 2 === 0) {
      lines.push("    environment:");
      for (let entry = 0; entry < PER_SERVICE; entry++) lines.push(`      VAR_${entry}: "\${VALUE_${entry}:-default-${index}-${entry}}"`);
    } else {
      lines.push("    environment:");
      for (let entry = 0; entry < PER_SERVICE; entry++) lines.push(`      - VAR_${entry}=value-${index}-${entry}`);
    }
  }
  lines.push("volumes:");
  for (let volume = 0; volume < SHARED_VOLUMES; volume++) lines.push(`  shared-${volume}: {}`);
  return lines.join("\n") + "\n";
}
