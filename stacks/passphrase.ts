/**
 * The dev stack's passphrase is public (it is in the README and the scripts): secrets a
 * staging or prod stack encrypted with it would be readable by anyone. The scripts never
 * give it to another stack; this check also stops a shell that exported it for dev and
 * then runs `pulumi up -s prod` directly.
 */

export const DEV_PASSPHRASE = "compose-pulumi-dev";

export class PublicPassphraseError extends Error {
  constructor(stack: string, environment: string) {
    super(
      `stack ${stack} (${environment}): PULUMI_CONFIG_PASSPHRASE is the public passphrase of the dev stack; ` +
        "set this stack's own passphrase in PULUMI_CONFIG_PASSPHRASE (or a file in PULUMI_CONFIG_PASSPHRASE_FILE), " +
        "or give the stack a secrets provider (pulumi stack change-secrets-provider)",
    );
    this.name = "PublicPassphraseError";
  }
}

/** Throws PublicPassphraseError when a stack outside dev runs with the public passphrase. */
export function refusePublicPassphrase(stack: string, environment: string, processEnv: Readonly<Record<string, string | undefined>>): void {
  if (environment !== "dev" && processEnv.PULUMI_CONFIG_PASSPHRASE === DEV_PASSPHRASE) {
    throw new PublicPassphraseError(stack, environment);
  }
}
