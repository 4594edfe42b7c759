/**
 * No plaintext secrets in environment variables: a variable named like a credential
 * (PASSWORD, SECRET, TOKEN, credential-like KEY names...) that holds a literal value puts
 * the secret in the compose file, in `docker inspect` and in the deployment state. Such
 * values belong in a compose secret, mounted as a file (`*_FILE` variables point to it),
 * with the content set per stack by `pulumi config set --secret`.
 */
import { servicePath, TYPES, Violations, workloads, type StackResource, type Violation } from "../resources.ts";

const ALWAYS_SECRET = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL)/i;
/** KEY alone is too common (COUNTER_KEY, SORT_KEY): it counts with a credential-like qualifier. */
const CREDENTIAL_KEY = /(^|_)(API|ACCESS|PRIVATE|SECRET|AUTH|ENCRYPTION|SIGNING|MASTER|CLIENT|LICENSE|APP|ACCOUNT|SSH|TLS|SSL)_?KEY($|_)|^KEY$/i;
const KEY_WORD = /(^|_)KEY($|_)/i;
/** Names that point at the secret rather than hold it. */
const REFERENCE_NAME = /_(FILE|PATH|DIR)$/i;

export interface PlaintextSecretOptions {
  /** Variable names never reported (known not to hold secrets). */
  allow?: readonly string[];
}

/** A value that looks generated: long, mixing letters and digits. */
function looksRandom(value: string): boolean {
  return value.length >= 16 && /[A-Za-z]/.test(value) && /\d/.test(value) && !/\s/.test(value);
}

export function isSecretLike(name: string, value: string): boolean {
  if (REFERENCE_NAME.test(name)) return false;
  if (value === "" || value.startsWith("/run/secrets/")) return false;
  if (ALWAYS_SECRET.test(name) || CREDENTIAL_KEY.test(name)) return true;
  return KEY_WORD.test(name) && looksRandom(value);
}

function environmentOf(resource: StackResource, kind: "container" | "service"): Record<string, unknown> {
  if (kind === "service") {
    const env = resource.props.taskSpec?.containerSpec?.env;
    return env !== null && typeof env === "object" ? env : {};
  }
  const out: Record<string, unknown> = {};
  for (const entry of Array.isArray(resource.props.envs) ? resource.props.envs : []) {
    if (typeof entry !== "string") continue;
    const equals = entry.indexOf("=");
    if (equals > 0) out[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return out;
}

export function plaintextSecrets(resources: readonly StackResource[], options: PlaintextSecretOptions = {}): Violation[] {
  const allowed = new Set(options.allow ?? []);
  const violations = new Violations();
  for (const { resource, service, kind } of workloads(resources)) {
    for (const [name, value] of Object.entries(environmentOf(resource, kind))) {
      if (allowed.has(name) || typeof value !== "string" || !isSecretLike(name, value)) continue;
      violations.add(
        `${servicePath(service, "environment", name)}: a literal value in a variable named like a secret; ` +
          `mount it as a compose secret (secrets: + ${name}_FILE=/run/secrets/...) and set its value with \`pulumi config set --secret\``,
        resource.urn,
      );
    }
  }
  return violations.list;
}

export const PLAINTEXT_SECRET_TYPES = [TYPES.container, TYPES.service];
