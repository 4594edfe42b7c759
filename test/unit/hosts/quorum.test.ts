/** Manager counts against Raft's quorum rules, and the production warning. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkQuorum, faultTolerance, majority, type QuorumHost } from "../../../infra/hosts/quorum.ts";

function hosts(managers: number, workers = 0, managerAvailability: QuorumHost["availability"] = "active"): QuorumHost[] {
  return [
    ...Array.from({ length: managers }, (_, i) => ({ name: `m${i + 1}`, role: "manager" as const, availability: managerAvailability })),
    ...Array.from({ length: workers }, (_, i) => ({ name: `w${i + 1}`, role: "worker" as const, availability: "active" as const })),
  ];
}

describe("Raft arithmetic", () => {
  it("majority and tolerated failures", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 9].map(majority), [1, 2, 2, 3, 3, 4, 4, 5]);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 9].map(faultTolerance), [0, 0, 0, 1, 1, 2, 2, 3, 4]);
  });
});

describe("checkQuorum", () => {
  for (const n of [1, 3, 5, 7]) {
    it(`accepts ${n} manager${n === 1 ? "" : "s"}`, () => {
      const check = checkQuorum("prod", hosts(n, 2));
      assert.deepEqual(check.errors, []);
      assert.equal(check.managers, n);
      assert.equal(check.faultTolerance, (n - 1) / 2);
    });
  }

  it("refuses an even count, explaining the quorum", () => {
    assert.deepEqual(checkQuorum("prod", hosts(4, 1)).errors, [
      'swarm "prod": 4 managers is an even count. Raft commits only with a majority (3 of 4), so 4 managers survive 1 failure, no more than 3 would, while one more manager must agree on every change. Use 3 or 5 managers, or set allowEvenManagers to accept this',
    ]);
    assert.deepEqual(checkQuorum("c", hosts(2)).errors, [
      'swarm "c": 2 managers is an even count. Raft commits only with a majority (2 of 2), so 2 managers survive 0 failures, no more than 1 would, while one more manager must agree on every change. Use 1 or 3 managers, or set allowEvenManagers to accept this',
    ]);
  });

  it("refuses more than seven, and 8 for both reasons", () => {
    assert.deepEqual(checkQuorum("big", hosts(9)).errors, [
      'swarm "big": 9 managers is more than 7. Every Raft write waits for a majority (5), so each extra manager slows the cluster down; 7 managers already survive 3 failures. Use at most 7 managers (make the others workers), or set allowMoreThanSevenManagers to accept this',
    ]);
    assert.equal(checkQuorum("big", hosts(8)).errors.length, 2);
  });

  it("accepts what is explicitly allowed", () => {
    assert.deepEqual(checkQuorum("c", hosts(4), { allowEvenManagers: true }).errors, []);
    assert.deepEqual(checkQuorum("c", hosts(9), { allowMoreThanSevenManagers: true }).errors, []);
    assert.deepEqual(checkQuorum("c", hosts(8), { allowEvenManagers: true, allowMoreThanSevenManagers: true }).errors, []);
  });

  it("refuses a swarm without managers", () => {
    assert.deepEqual(checkQuorum("c", hosts(0, 3)).errors, [
      'swarm "c": no host has role manager; a swarm needs at least one manager (1, 3, 5 or 7 for a Raft quorum)',
    ]);
  });

  it("warns in production when managers accept workloads, not otherwise", () => {
    assert.deepEqual(checkQuorum("prod", hosts(3, 2), { production: true }).warnings, [
      'swarm "prod": managers m1, m2, m3 accept workloads in production; tasks placed there compete with Raft for CPU, memory and disk and can cost the cluster its quorum under load: set availability: drain on the managers, or constrain services with node.role == worker',
    ]);
    assert.deepEqual(checkQuorum("prod", hosts(1), { production: true }).warnings, [
      'swarm "prod": manager m1 accepts workloads in production; tasks placed there compete with Raft for CPU, memory and disk and can cost the cluster its quorum under load: add workers and drain the managers',
    ]);
    assert.deepEqual(checkQuorum("prod", hosts(3, 2, "drain"), { production: true }).warnings, []);
    assert.deepEqual(checkQuorum("dev", hosts(3, 2), { production: false }).warnings, []);
  });
});
