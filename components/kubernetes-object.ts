/**
 * A compose secret or config on Kubernetes: a Secret or a ConfigMap holding the content
 * under one key, named with its content hash (infra/graph/targets/kubernetes/objects.ts)
 * and immutable. A secret's content becomes a Pulumi secret here, before it reaches any
 * resource, so it is never plain text in the state.
 * An external one is an existing object of that name in the namespace.
 */
import * as pulumi from "@pulumi/pulumi";
// Each class from its own module: the package's root loads all of Kubernetes' API groups,
// which the bundled command line would then read on every start.
import { Secret } from "@pulumi/kubernetes/core/v1/secret.js";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap.js";
import { CONTENT_KEY, type KubernetesObjectSpec } from "../infra/graph/targets/kubernetes/objects.ts";

export const KUBERNETES_OBJECT_TYPE = "compose:kubernetes:KubernetesObject";

export interface KubernetesObjectArgs extends KubernetesObjectSpec {
  kind: "secret" | "config";
  namespace: pulumi.Input<string>;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export class KubernetesObject extends pulumi.ComponentResource {
  /** The Secret's or ConfigMap's name, with its content hash. */
  readonly objectName: pulumi.Output<string>;
  readonly secret?: Secret;
  readonly configMap?: ConfigMap;

  constructor(name: string, args: KubernetesObjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_OBJECT_TYPE, name, {}, opts);
    const metadata = { name: args.name, namespace: args.namespace, labels: args.labels, annotations: args.annotations };
    const child = { parent: this, dependsOn: opts?.dependsOn };
    if (args.external) {
      this.objectName = pulumi.output(args.name);
    } else if (args.kind === "secret") {
      this.secret = new Secret(
        name,
        { metadata, type: "Opaque", immutable: true, data: pulumi.secret({ [CONTENT_KEY]: args.contentBase64 ?? "" }) },
        child,
      );
      this.objectName = this.secret.metadata.name;
    } else {
      this.configMap = new ConfigMap(name, { metadata, immutable: true, binaryData: { [CONTENT_KEY]: args.contentBase64 ?? "" } }, child);
      this.objectName = this.configMap.metadata.name;
    }
    this.registerOutputs({ objectName: this.objectName });
  }
}
