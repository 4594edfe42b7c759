/**
 * Time and peak memory to load a large generated compose file: 1,000 services with
 * 5,000 ports, 5,000 volume mounts and 5,000 environment entries in total.
 *
 *   node test/bench/load-large.bench.ts [--services N] [--runs N]
 *
 * Prints figures; it is not a pass/fail test. The first load runs before anything else
 * in the process, so its peak RSS is the cost of a cold load.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { interpolate } from "../../infra/compose/interpolate.ts";
import { loadProject } from "../../infra/compose/load.ts";
import { parseComposeText } from "../../infra/compose/parse.ts";
import { validateComposeFile } from "../../infra/compose/schema/index.ts";

const PER_SERVICE = 5;
const SHARED_VOLUMES = 100;

const { values } = parseArgs({
  options: { services: { type: "string", default: "1000" }, runs: { type: "string", default: "3" } },
});
const serviceCount = Number(values.services);
const runs = Number(values.runs);

/** Mixed syntaxes, as real files use them: short and long ports, named and bind mounts, map and list environments. */
function generateCompose(services: number): string {
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

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function timed<T>(action: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = action();
  return { result, ms: performance.now() - start };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const environment = { HOME: os.homedir(), TAG: "1.0", VALUE_0: "from-env" };
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "compose-bench-"));
try {
  const file = path.join(workspace, "compose.yaml");
  const text = generateCompose(serviceCount);
  fs.writeFileSync(file, text);

  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const heapBefore = process.memoryUsage().heapUsed;
  const cold = timed(() => loadProject({ files: [file], environment }));
  const rssPeak = process.resourceUsage().maxRSS * 1024;
  const project = cold.result;

  const services = Object.values(project.services);
  const totals = {
    services: services.length,
    ports: services.reduce((sum, service) => sum + (service.ports?.length ?? 0), 0),
    volumes: services.reduce((sum, service) => sum + (service.volumes?.length ?? 0), 0),
    environment: services.reduce((sum, service) => sum + Object.keys(service.environment ?? {}).length, 0),
  };

  const warm: number[] = [];
  for (let run = 0; run < runs; run++) warm.push(timed(() => loadProject({ files: [file], environment })).ms);

  const parse = timed(() => parseComposeText(file, workspace, text));
  const source = parse.result.source;
  if (!source) throw new Error("the generated file does not parse");
  const interpolation = timed(() => interpolate(source, environment));
  const validation = timed(() => validateComposeFile(source, interpolation.result.data));
  const measuredStages = parse.ms + interpolation.ms + validation.ms;

  console.log(`generated: ${megabytes(text.length)}, ${text.split("\n").length} lines`);
  console.log(`loaded: ${totals.services} services, ${totals.ports} ports, ${totals.volumes} volumes, ${totals.environment} environment entries`);
  console.log(`loadProject, cold: ${cold.ms.toFixed(0)} ms`);
  console.log(`loadProject, warm: median ${median(warm).toFixed(0)} ms over ${runs} runs (${warm.map((ms) => ms.toFixed(0)).join(", ")})`);
  console.log(`peak RSS: ${megabytes(rssPeak)} (${megabytes(rssPeak - rssBefore)} above the ${megabytes(rssBefore)} before loading)`);
  console.log(`heap used after the cold load: ${megabytes(process.memoryUsage().heapUsed)} (was ${megabytes(heapBefore)})`);
  console.log("stages, warm, measured one by one:");
  console.log(`  parse (YAML, positions):      ${parse.ms.toFixed(0)} ms`);
  console.log(`  interpolate (and casts):      ${interpolation.ms.toFixed(0)} ms`);
  console.log(`  validate (schema, expansion): ${validation.ms.toFixed(0)} ms`);
  console.log(`  remaining stages (difference to the warm median): ${Math.max(0, median(warm) - measuredStages).toFixed(0)} ms`);
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
