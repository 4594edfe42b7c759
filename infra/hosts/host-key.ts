/**
 * SSH host keys for machines this program creates, derived from one secret seed.
 *
 * A machine's host key is handed to it through cloud-init, so its public half is known,
 * and pinned, before the machine exists: the first connection already verifies it.
 * Deriving each key from the stack's seed and the host's name keeps it the same on
 * every `pulumi up` without storing key material anywhere else; a different seed (key
 * rotation) yields new keys, and with them new machines.
 */
import { createHash, createHmac, createPrivateKey, createPublicKey } from "node:crypto";

export interface SshHostKey {
  /** `ssh-ed25519 AAAA... <comment>`, as in known_hosts or authorized_keys. */
  publicKey: string;
  /** OpenSSH private key file (unencrypted), as sshd reads it. */
  privateKey: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const KEY_TYPE = "ssh-ed25519";
const DERIVATION_CONTEXT = "compose-pulumi ssh host key v1";

export const MIN_SEED_LENGTH = 32;

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** The ed25519 key pair of one host, the same for the same seed and host name. */
export function deriveHostKey(seed: string, hostName: string): SshHostKey {
  if (seed.length < MIN_SEED_LENGTH) {
    throw new Error(`the host key seed must be at least ${MIN_SEED_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
  }
  const secret = createHmac("sha256", seed).update(`${DERIVATION_CONTEXT}\0${hostName}`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, secret]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  const publicRaw = Buffer.from(String(jwk.x), "base64url");
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(publicRaw)]);

  // The check integers only let a reader detect a wrong passphrase; fixed per key here.
  const check = createHash("sha256").update(publicBlob).digest().readUInt32BE(0);
  let section = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(KEY_TYPE),
    sshString(publicRaw),
    sshString(Buffer.concat([secret, publicRaw])),
    sshString(hostName),
  ]);
  const padding: number[] = [];
  for (let i = 1; (section.length + padding.length) % 8 !== 0; i++) padding.push(i);
  section = Buffer.concat([section, Buffer.from(padding)]);

  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(section),
  ]).toString("base64");
  const lines = body.match(/.{1,70}/g) ?? [];
  return {
    publicKey: `${KEY_TYPE} ${publicBlob.toString("base64")} ${hostName}`,
    privateKey: ["-----BEGIN OPENSSH PRIVATE KEY-----", ...lines, "-----END OPENSSH PRIVATE KEY-----", ""].join("\n"),
  };
}

/** `type base64` of a public key line, without its comment. */
export function publicKeyWithoutComment(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(" ");
}
