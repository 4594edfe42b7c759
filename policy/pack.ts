/** The policy pack `pulumi preview --policy-pack policy` runs (see policies.ts for the rules). */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies.ts";

new PolicyPack("compose-pulumi", { policies });
