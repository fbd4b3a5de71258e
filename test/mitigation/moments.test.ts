import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { encodeGroups } from "../../src/core/groups.js";
import {
  DemographicParity,
  EqualizedOdds,
  ErrorRateParity,
  FalsePositiveRateParity,
  TruePositiveRateParity,
  errorRateObjective,
} from "../../src/mitigation/in/moments.js";

function data(y: number[], group: string[], weights?: number[]) {
  return {
    y: Uint8Array.from(y),
    encoding: encodeGroups(group),
    weights: Float64Array.from(weights ?? y.map(() => 1)),
  };
}

describe("constraint moments", () => {
  it("computes γ of demographic parity from selection rates (hand-computed)", () => {
    // Group a selects 2 of 4, group b 1 of 2; overall 3 of 6.
    const d = data([1, 0, 1, 0, 1, 0], ["a", "a", "a", "a", "b", "b"]);
    const c = new DemographicParity({ differenceBound: 0.05 }).load(d);
    const gamma = Array.from(c.gamma(Uint8Array.of(1, 1, 0, 0, 1, 0)));
    assert.deepEqual(gamma, [0, 0, 0, 0]);
    const gamma2 = Array.from(c.gamma(Uint8Array.of(1, 1, 1, 0, 0, 0)));
    // a: 3/4, b: 0, overall 1/2 → γ⁺ = [1/4, −1/2], γ⁻ = [−1/4, 1/2].
    assert.deepEqual(gamma2, [0.25, -0.5, -0.25, 0.5]);
    assert.deepEqual(Array.from(c.bound), [0.05, 0.05, 0.05, 0.05]);
    assert.deepEqual(
      c.labels.map((l) => `${l.sign}${l.event}/${l.group}`),
      ["+all/a", "+all/b", "-all/a", "-all/b"],
    );
  });

  it("computes γ of equalized odds from FPR (label 0) and TPR (label 1)", () => {
    const y = [1, 1, 0, 0, 1, 1, 0, 0];
    const group = ["a", "a", "a", "a", "b", "b", "b", "b"];
    const c = new EqualizedOdds().load(data(y, group));
    // Decisions: a finds both positives and flags one negative; b finds one positive, flags none.
    const gamma = Array.from(c.gamma(Uint8Array.of(1, 1, 1, 0, 1, 0, 0, 0)));
    // FPR a 1/2, b 0, overall 1/4; TPR a 1, b 1/2, overall 3/4.
    assert.deepEqual(gamma.slice(0, 4), [0.25, -0.25, 0.25, -0.25]);
  });

  const constraints = {
    demographic_parity: (o = {}) => new DemographicParity(o),
    equalized_odds: (o = {}) => new EqualizedOdds(o),
    true_positive_rate_parity: (o = {}) => new TruePositiveRateParity(o),
    false_positive_rate_parity: (o = {}) => new FalsePositiveRateParity(o),
    error_rate_parity: (o = {}) => new ErrorRateParity(o),
  } as const;

  it("signed weights are −n × the exact change of λ·γ when a row's decision flips to 1 (property, all constraints, ratio bounds)", () => {
    const row = fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
      fc.double({ min: 0.2, max: 3, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 6, maxLength: 30 }),
        fc.constantFrom(...(Object.keys(constraints) as (keyof typeof constraints)[])),
        fc.option(fc.double({ min: 0.5, max: 1, noNaN: true }), { nil: undefined }),
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 36, maxLength: 36 }),
        (rows, name, ratio, lambdas) => {
          // Every group needs both labels, or some (event, group) cells are empty for every decision.
          const group = rows.map((r) => `g${r[0]}`);
          const y = rows.map((r) => r[1]);
          for (const g of new Set(group)) if (new Set(y.filter((_, i) => group[i] === g)).size < 2) return;
          const d = data(
            y,
            group,
            rows.map((r) => r[3]),
          );
          const c = constraints[name](ratio === undefined ? {} : { ratioBound: ratio }).load(d);
          const K = c.labels.length;
          const lambda = Float64Array.from(lambdas.slice(0, K));
          const decision = Uint8Array.from(rows.map((r) => r[2]));
          const signed = c.signedWeights(lambda);
          const objective = errorRateObjective(d);
          const objectiveSigned = objective.signedWeights();
          const value = (h: Uint8Array) => c.gamma(h).reduce((s, g, k) => s + g * lambda[k], 0);
          const n = rows.length;
          for (let i = 0; i < n; i++) {
            const one = Uint8Array.from(decision);
            const zero = Uint8Array.from(decision);
            one[i] = 1;
            zero[i] = 0;
            const change = value(one) - value(zero);
            assert.ok(Math.abs(-n * change - signed[i]) < 1e-9, `${name} row ${i}: ${-n * change} vs ${signed[i]}`);
            const errChange = objective.gamma(one) - objective.gamma(zero);
            assert.ok(Math.abs(-n * errChange - objectiveSigned[i]) < 1e-9);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("projects λ to one non-zero sign per cell for difference bounds", () => {
    const c = new DemographicParity().load(data([1, 0, 1, 0], ["a", "a", "b", "b"]));
    assert.deepEqual(Array.from(c.projectLambda(Float64Array.of(3, 0, 1, 2))), [2, 0, 0, 2]);
    assert.throws(() => new DemographicParity({ differenceBound: 0.1, ratioBound: 0.8 }), /not both/);
    assert.throws(() => new DemographicParity({ ratioBound: 1.5 }), /ratioBound must be in \(0, 1\]/);
  });
});
