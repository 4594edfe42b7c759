/**
 * Runs a Pulumi component under the runtime's mocks (no engine, no daemon) and returns the
 * resources it registers: type, logical and physical name, parent and dependencies. This
 * is what `pulumi preview` would show, computed by the same component code. Inputs are
 * read only for physical names; secret values are never returned.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export interface GraphNode {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** The name on the daemon (container, service, network, secret, image, job), if any. */
  physicalName?: string;
  parent?: string;
  /** URNs this resource waits for, providers excluded. */
  dependsOn: string[];
}

const WARNING_PREFIX = "warning: [runtime] ";

function digest(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** Outputs real providers compute and that components consume. */
function computedOutputs(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  switch (type) {
    case "docker:index/remoteImage:RemoteImage":
      return { imageId: digest(`image ${String(unwrap(inputs.name))}`) };
    case "docker:index/registryImage:RegistryImage":
      return { sha256Digest: digest(`manifest ${String(unwrap(inputs.name))}`) };
    case "command:local:Command":
      return { stdout: `<${name}>`, stderr: "" };
    default:
      return {};
  }
}

function unwrap(value: unknown): unknown {
  return pulumi.runtime.isRpcSecret(value) ? pulumi.runtime.unwrapRpcSecret(value) : value;
}

function physicalName(type: string, inputs: Record<string, unknown>): string | undefined {
  if (type === "command:local:Command") {
    const create = unwrap(inputs.create);
    const match = typeof create === "string" ? /^name=(\S+)$/m.exec(create) : null;
    return match === null ? undefined : match[1].replace(/^'(.*)'$/, "$1");
  }
  for (const field of ["name", "imageName"]) {
    const value = unwrap(inputs[field]);
    if (typeof value === "string") return value;
  }
  // Kubernetes objects are named in their metadata.
  const metadata = unwrap(inputs.metadata) as { name?: unknown } | undefined;
  return typeof metadata?.name === "string" ? metadata.name : undefined;
}

/**
 * Registers `build`'s resources against mocks and resolves with all of them once the
 * program is quiet. Messages logged through pulumi.log.warn are handed to `onWarning`.
 */
export async function captureGraph(build: () => pulumi.Resource, onWarning: (message: string) => void): Promise<GraphNode[]> {
  const nodes: GraphNode[] = [];
  const providers = new Set<string>();
  let inFlight = 0;
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith(WARNING_PREFIX)) onWarning(text.slice(WARNING_PREFIX.length));
    else originalWarn(...args);
  };
  try {
    void pulumi.runtime.setMocks(
      {
        newResource(args) {
          const state = { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) };
          return { id: args.custom === false ? undefined : `${args.name}-id`, state };
        },
        call(args) {
          return args.inputs;
        },
      },
      "graph",
      "preview",
      true,
    );
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
      inFlight++;
      return register(req, (err: any, resp: any) => {
        inFlight--;
        if (!err) {
          const type: string = req.getType();
          const urn: string = resp.getUrn();
          if (type.startsWith("pulumi:providers:")) providers.add(urn);
          const inputs = pulumi.runtime.deserializeProperties(req.getObject()) as Record<string, unknown>;
          nodes.push({
            urn,
            type,
            name: req.getName(),
            custom: req.getCustom(),
            physicalName: req.getCustom() ? physicalName(type, inputs) : undefined,
            parent: req.getParent() || undefined,
            dependsOn: req.getDependenciesList(),
          });
        }
        callback(err, resp);
      });
    };

    const root = build();
    await new Promise<void>((resolve) => root.urn.apply(() => resolve()));
    const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;
    // Quiet: five turns of the event loop in a row with no registration in flight and no
    // new resource. The mocks answer through promises, so a turn (not a timer) is enough
    // for any pending registration to show.
    let quiet = 0;
    let seen = -1;
    while (quiet < 5) {
      await waitForRPCs();
      await new Promise((resolve) => setImmediate(resolve));
      if (inFlight === 0 && nodes.length === seen) quiet++;
      else quiet = 0;
      seen = nodes.length;
    }
  } finally {
    console.warn = originalWarn;
  }
  return nodes
    .filter((node) => !providers.has(node.urn))
    .map((node) => ({ ...node, dependsOn: node.dependsOn.filter((urn) => !providers.has(urn)) }));
}
