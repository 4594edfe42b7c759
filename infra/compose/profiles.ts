/**
 * Profiles (compose-go `Project.WithProfiles`): a service without `profiles` is always
 * enabled; a service with profiles is enabled when one of them is active, or when `*` is
 * active. Disabled services leave the model; they are returned so that the reference
 * checks can tell "depends on a disabled service" from "depends on an unknown service".
 */
import { isTree, type Tree } from "./tree.ts";

export interface ProfileSelection {
  model: Tree;
  /** Services whose profiles are all inactive, by name. */
  disabled: Tree;
}

/**
 * The profiles COMPOSE_PROFILES activates when none are given: a comma-separated list,
 * read from the project environment, so `.env` can set it as the process environment can
 * (compose-go `WithDefaultProfiles`).
 */
export function profilesFromEnvironment(env: Readonly<Record<string, string>>): string[] {
  return (env.COMPOSE_PROFILES ?? "").split(",").map((profile) => profile.trim()).filter((profile) => profile !== "");
}

export function isServiceEnabled(service: unknown, activeProfiles: readonly string[]): boolean {
  const profiles = isTree(service) && Array.isArray(service.profiles) ? service.profiles : [];
  if (profiles.length === 0) return true;
  return activeProfiles.includes("*") || profiles.some((profile) => activeProfiles.includes(profile as string));
}

export function applyProfiles(model: Tree, activeProfiles: readonly string[]): ProfileSelection {
  const services = isTree(model.services) ? model.services : {};
  const enabled: Tree = {};
  const disabled: Tree = {};
  for (const [name, service] of Object.entries(services)) {
    if (isServiceEnabled(service, activeProfiles)) enabled[name] = service;
    else disabled[name] = service;
  }
  return { model: { ...model, services: enabled }, disabled };
}
