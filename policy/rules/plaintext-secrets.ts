/**
 * No plaintext secrets in environment variables: a variable named like a credential
 * (PASSWORD, SECRET, TOKEN, credential-like KEY names...) that holds a literal value puts
 * the secret in the compose file, in `docker inspect` and in the deployment state. Such
 * values belong in a compose secret, mounted as a file (`*_FILE` variables point to it),
 * with the content set per stack by `pulumi config set --secret`.
 *
 * Read from the compose facts (known at preview, also on a new stack), not from the
 * containers' inputs (unknown there until their images and networks exist).
 */
import { composeProjects } from "../compose-facts.ts";
import { servicePath, Violations, type StackResource, type Violation } from "../resources.ts";

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

export function plaintextSecrets(resources: readonly StackResource[], options: PlaintextSecretOptions = {}): Violation[] {
  const allowed = new Set(options.allow ?? []);
  const { projects, unchecked } = composeProjects(resources);
  const violations = new Violations(unchecked);
  for (const { facts, urnOf } of projects) {
    for (const [service, { environment }] of Object.entries(facts.services)) {
      for (const [name, value] of Object.entries(environment)) {
        if (allowed.has(name) || typeof value !== "string" || !isSecretLike(name, value)) continue;
        violations.add(
          `${servicePath(service, "environment", name)}: a literal value in a variable named like a secret; ` +
            `mount it as a compose secret (secrets: + ${name}_FILE=/run/secrets/...) and set its value with \`pulumi config set --secret\``,
          urnOf(service),
        );
      }
    }
  }
  return violations.list;
}
