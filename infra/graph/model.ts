/**
 * Names for the parts of the canonical model that the graph reads. Every type here is
 * derived from the adapter's schema; none is written by hand.
 */
import type { Project } from "../compose/schema/index.ts";

export type { Project };
export type ServiceConfig = Project["services"][string];
export type NetworkConfig = NonNullable<Project["networks"]>[string];
export type VolumeConfig = NonNullable<Project["volumes"]>[string];
export type SecretConfig = NonNullable<Project["secrets"]>[string];
export type ConfigObjConfig = NonNullable<Project["configs"]>[string];
export type PortConfig = NonNullable<ServiceConfig["ports"]>[number];
export type ServiceMount = NonNullable<ServiceConfig["volumes"]>[number];
export type FileReference = NonNullable<ServiceConfig["secrets"]>[number];
export type HealthcheckConfig = NonNullable<ServiceConfig["healthcheck"]>;
export type DeployConfig = NonNullable<ServiceConfig["deploy"]>;
export type NetworkAttachment = NonNullable<NonNullable<ServiceConfig["networks"]>[string]>;
