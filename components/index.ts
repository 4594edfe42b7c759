/**
 * The package's main entry (`import { ComposeApp } from "compose-pulumi"`): every
 * component. The loader is `compose-pulumi/compose`; hosts and clusters, with their
 * inventory types, are `compose-pulumi/cluster`.
 */
export * from "./compose-app.ts";
export * from "./compose-project.ts";
export * from "./environment.ts";
export * from "./network.ts";
export * from "./volume.ts";
export * from "./secret.ts";
export * from "./config.ts";
export * from "./image.ts";
export * from "./service.ts";
export * from "./container.ts";
export * from "./job.ts";
export * from "./swarm-node.ts";
export * from "./swarm-cluster.ts";
export * from "./kubernetes-namespace.ts";
export * from "./kubernetes-volume.ts";
export * from "./kubernetes-object.ts";
export * from "./kubernetes-workload.ts";
export * from "./kubernetes-job.ts";
