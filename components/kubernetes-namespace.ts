/**
 * The namespace a compose project runs in on Kubernetes: it scopes every name, as
 * `<project>_` does on a swarm, and carries the project's labels. A stack may name an
 * existing namespace instead (`create: false`), which is then only referred to.
 */
import * as pulumi from "@pulumi/pulumi";
// Each class from its own module: the package's root loads all of Kubernetes' API groups,
// which the bundled command line would then read on every start.
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace.js";

export const KUBERNETES_NAMESPACE_TYPE = "compose:kubernetes:KubernetesNamespace";

export interface KubernetesNamespaceArgs {
  /** The namespace's name (DNS-1123). */
  name: string;
  /** Create it (the default), or use one that exists. */
  create?: boolean;
  labels: Record<string, string>;
}

export class KubernetesNamespace extends pulumi.ComponentResource {
  /** The name, an output of the created Namespace so that what uses it waits for it. */
  readonly namespaceName: pulumi.Output<string>;
  readonly namespace?: Namespace;

  constructor(name: string, args: KubernetesNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_NAMESPACE_TYPE, name, {}, opts);
    if (args.create === false) {
      this.namespaceName = pulumi.output(args.name);
    } else {
      this.namespace = new Namespace(name, { metadata: { name: args.name, labels: args.labels } }, { parent: this });
      this.namespaceName = this.namespace.metadata.name;
    }
    this.registerOutputs({ namespaceName: this.namespaceName });
  }
}
