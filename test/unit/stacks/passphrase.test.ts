import { test } from "node:test";
import assert from "node:assert/strict";
import { DEV_PASSPHRASE, PublicPassphraseError, refusePublicPassphrase } from "../../../stacks/passphrase.ts";

test("the public dev passphrase is refused outside dev, and nothing else is", () => {
  assert.doesNotThrow(() => refusePublicPassphrase("dev", "dev", { PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE }));
  assert.doesNotThrow(() => refusePublicPassphrase("prod", "prod", { PULUMI_CONFIG_PASSPHRASE: "a-real-one" }));
  assert.doesNotThrow(() => refusePublicPassphrase("prod", "prod", {}));
  for (const [stack, environment] of [["staging", "staging"], ["prod", "prod"], ["eu", "prod"]]) {
    assert.throws(() => refusePublicPassphrase(stack, environment, { PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE }), (error: Error) => {
      assert.ok(error instanceof PublicPassphraseError);
      assert.equal(error.message.split(";")[0], `stack ${stack} (${environment}): PULUMI_CONFIG_PASSPHRASE is the public passphrase of the dev stack`);
      assert.match(error.message, /PULUMI_CONFIG_PASSPHRASE_FILE/);
      return true;
    });
  }
});
