/**
 * Records every resource a Pulumi program registers under `pulumi.runtime.setMocks`.
 *
 * The mocks' `newResource` callback sees only type, name and inputs; parent, dependencies
 * and the provider reference travel on the RegisterResource request, so the recorder also
 * wraps the mock monitor's `registerResource` to read them from the request itself.
 * Secret inputs arrive wrapped in the runtime's secret signature; the recorder keeps the
 * plain values in `inputs` and lists where the secrets were in `secretPaths`.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  /** Inputs with secret markers removed. */
  inputs: Record<string, any>;
  /** Dotted paths (`data`, `taskSpec.containerSpec.env`) of inputs that were secret. */
  secretPaths: string[];
  parent?: string;
  /** Every URN the resource waits for: explicit `dependsOn` plus the sources of its inputs. */
  dependencies: string[];
  /** Per input property, the URNs that property's value came from. */
  propertyDependencies: Record<string, string[]>;
  /** `urn::id` of the explicit provider, when one was given. */
  provider?: string;
  /** What a component registered with registerOutputs (secret markers removed); the engine's outputs of it. */
  outputs?: Record<string, any>;
  /** Dotted paths of those outputs that were secret. */
  outputSecretPaths?: string[];
}

export interface RecorderOptions {
  project?: string;
  stack?: string;
  preview?: boolean;
  /** Extra output state per resource type, for outputs a real provider would compute. */
  outputs?: (type: string, name: string, inputs: Record<string, any>) => Record<string, unknown>;
}

const WARNING_PREFIX = "warning: [runtime] ";

/** Plain value and the dotted paths of secret values within it. */
export function unwrapSecrets(value: unknown, path = ""): { value: any; secretPaths: string[] } {
  if (pulumi.runtime.isRpcSecret(value)) {
    const inner = unwrapSecrets(pulumi.runtime.unwrapRpcSecret(value), path);
    return { value: inner.value, secretPaths: [path, ...inner.secretPaths] };
  }
  if (Array.isArray(value)) {
    const secretPaths: string[] = [];
    const items = value.map((item, index) => {
      const inner = unwrapSecrets(item, `${path}[${index}]`);
      secretPaths.push(...inner.secretPaths);
      return inner.value;
    });
    return { value: items, secretPaths };
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const secretPaths: string[] = [];
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const inner = unwrapSecrets(item, path === "" ? key : `${path}.${key}`);
      secretPaths.push(...inner.secretPaths);
      out[key] = inner.value;
    }
    return { value: out, secretPaths };
  }
  return { value, secretPaths: [] };
}

/** Outputs the docker and command providers compute, so components can consume them in tests. */
export function defaultProviderOutputs(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const digest = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
  switch (type) {
    case "docker:index/remoteImage:RemoteImage":
      return {
        imageId: digest(`image ${inputs.name} ${JSON.stringify(inputs.triggers ?? {})}`),
        repoDigest: `${String(inputs.name).replace(/:[^:/]*$/, "")}@${digest(`manifest ${inputs.name}`)}`,
      };
    case "docker:index/registryImage:RegistryImage":
      return { sha256Digest: digest(`manifest ${inputs.name} ${JSON.stringify(inputs.triggers ?? {})}`) };
    case "docker:index/container:Container":
      return { exitCode: 0, containerLogs: "" };
    case "command:local:Command":
      return { stdout: `${name}-stdout\n`, stderr: "" };
    default:
      return {};
  }
}

export class ResourceRecorder {
  readonly resources: RecordedResource[] = [];
  /** Messages the program logged through `pulumi.log.warn` (no engine under mocks). */
  readonly warnings: string[] = [];
  private readonly restoreConsole: () => void;
  private inFlight = 0;

  private constructor(restoreConsole: () => void) {
    this.restoreConsole = restoreConsole;
  }

  /**
   * Installs the mocks. Call before the program under test creates any resource, and
   * `dispose()` afterwards to give `console.warn` back.
   */
  static install(options: RecorderOptions = {}): ResourceRecorder {
    const outputs = options.outputs ?? defaultProviderOutputs;
    const originalWarn = console.warn;
    const recorder = new ResourceRecorder(() => {
      console.warn = originalWarn;
    });
    console.warn = (...args: unknown[]) => {
      const text = args.map(String).join(" ");
      if (text.startsWith(WARNING_PREFIX)) recorder.warnings.push(text.slice(WARNING_PREFIX.length));
      else originalWarn(...args);
    };

    // setMocks is declared async but installs the monitor synchronously.
    void pulumi.runtime.setMocks(
      {
        newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
          const plain = unwrapSecrets(args.inputs).value as Record<string, any>;
          const state = { ...args.inputs, ...outputs(args.type, args.name, plain) };
          return { id: args.custom === false ? undefined : `${args.name}-id`, state };
        },
        call(args: pulumi.runtime.MockCallArgs) {
          return args.inputs;
        },
      },
      options.project ?? "project",
      options.stack ?? "stack",
      options.preview ?? false,
    );

    const monitor = pulumi.runtime.getMonitor() as any;
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
      recorder.inFlight++;
      return registerResource(req, (err: any, resp: any) => {
        recorder.inFlight--;
        if (!err) recorder.record(req, resp.getUrn());
        callback(err, resp);
      });
    };
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: any, resp: any) => void) => {
      recorder.inFlight++;
      return registerResourceOutputs(req, (err: any, resp: any) => {
        recorder.inFlight--;
        if (!err) recorder.recordOutputs(req);
        callback(err, resp);
      });
    };
    return recorder;
  }

  /** A component's registered outputs, attached to its registration (which always comes first). */
  private recordOutputs(req: any): void {
    const { value, secretPaths } = unwrapSecrets(pulumi.runtime.deserializeProperties(req.getOutputs()));
    const entry = this.resources.find((resource) => resource.urn === req.getUrn());
    if (entry === undefined) return;
    entry.outputs = value;
    entry.outputSecretPaths = secretPaths;
  }

  private record(req: any, urn: string): void {
    const raw = pulumi.runtime.deserializeProperties(req.getObject());
    const { value, secretPaths } = unwrapSecrets(raw);
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    this.resources.push({
      type: req.getType(),
      name: req.getName(),
      urn,
      custom: req.getCustom(),
      inputs: value,
      secretPaths,
      parent: req.getParent() || undefined,
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      provider: req.getProvider() || undefined,
    });
  }

  /**
   * Resolves once the program has stopped registering: the runtime's RPC queue is drained,
   * nothing is in flight, and no new registration arrived for a few timer turns (child
   * registrations wait for their parents' and inputs' outputs, which resolve later).
   */
  async settle(): Promise<void> {
    const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;
    let quietTurns = 0;
    let seen = -1;
    while (quietTurns < 5) {
      await waitForRPCs();
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (this.inFlight === 0 && this.resources.length === seen) quietTurns++;
      else quietTurns = 0;
      seen = this.resources.length;
    }
  }

  /** Waits for a resource's URN (and with it, its registration) to resolve, then settles. */
  async created(resource: pulumi.Resource): Promise<RecordedResource> {
    const urn = await new Promise<string>((resolve) => resource.urn.apply((value) => resolve(value)));
    await this.settle();
    const found = this.resources.find((entry) => entry.urn === urn);
    if (!found) throw new Error(`no registration recorded for ${urn}`);
    return found;
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((entry) => entry.type === type);
  }

  /** The one resource with this type and logical name; throws listing what exists otherwise. */
  get(type: string, name: string): RecordedResource {
    const found = this.resources.filter((entry) => entry.type === type && entry.name === name);
    if (found.length !== 1) {
      const names = this.ofType(type).map((entry) => entry.name).join(", ");
      throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names})`);
    }
    return found[0];
  }

  byUrn(urn: string): RecordedResource {
    const found = this.resources.find((entry) => entry.urn === urn);
    if (!found) throw new Error(`no resource with urn ${urn}`);
    return found;
  }

  /** Direct children of a resource, in registration order. */
  childrenOf(parent: RecordedResource): RecordedResource[] {
    return this.resources.filter((entry) => entry.parent === parent.urn);
  }

  /** `type name` of every resource `resource` depends on, sorted, for readable assertions. */
  dependencyNames(resource: RecordedResource): string[] {
    return resource.dependencies.map((urn) => {
      const dep = this.byUrn(urn);
      return `${dep.type} ${dep.name}`;
    }).sort();
  }

  dispose(): void {
    this.restoreConsole();
  }
}
