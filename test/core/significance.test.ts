import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  bonferroniAdjust,
  fisherExactTest,
  holmAdjust,
  logFactorial,
  logGamma,
  twoProportionZTest,
} from "../../src/core/significance.js";

const close = (actual: number, expected: number, rel = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} ≠ ${expected}`);

test("logGamma and logFactorial agree with exact factorials", () => {
  close(logFactorial(10), Math.log(3628800), 1e-12);
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
  // Across the switch from sums to Lanczos at 256.
  close(logFactorial(256) - logFactorial(255), Math.log(256), 1e-9);
  close(logFactorial(1000), 5912.128178488163, 1e-12); // Python math.lgamma(1001)
});

test("Fisher's exact test matches SciPy's fisher_exact on known tables", () => {
  // Values from scipy.stats.fisher_exact (two-sided), the same definition as R's fisher.test.
  close(fisherExactTest({ a: 1, b: 9, c: 11, d: 3 }), 0.0027594561852200836);
  close(fisherExactTest({ a: 3, b: 1, c: 1, d: 3 }), 0.48571428571428565); // Fisher's tea tasting: 34/70
  close(fisherExactTest({ a: 8, b: 2, c: 1, d: 5 }), 0.034965034965034975);
  close(fisherExactTest({ a: 40, b: 60, c: 25, d: 75 }), 0.03414380231476882);
  close(fisherExactTest({ a: 120, b: 380, c: 60, d: 440 }), 9.96846912565666e-7, 1e-5);
  close(fisherExactTest({ a: 2, b: 8, c: 50, d: 50 }), 0.09852833648227362);
  assert.equal(fisherExactTest({ a: 0, b: 0, c: 3, d: 4 }), 1);
  assert.throws(() => fisherExactTest({ a: 1.5, b: 1, c: 1, d: 1 }), /whole non-negative counts/);
});

test("Fisher's test by hand: 2×2 table [[2,0],[0,2]] has p = 2 × 1/6", () => {
  // Margins 2,2 / 2,2: P(a=0)=1/6, P(a=1)=4/6, P(a=2)=1/6; two-sided from a=2 sums 1/6 + 1/6.
  close(fisherExactTest({ a: 2, b: 0, c: 0, d: 2 }), 1 / 3, 1e-12);
});

test("Fisher's p-value is symmetric under swapping rows and columns (property)", () => {
  fc.assert(
    fc.property(fc.nat(30), fc.nat(30), fc.nat(30), fc.nat(30), (a, b, c, d) => {
      const p = fisherExactTest({ a, b, c, d });
      assert.ok(p > 0 && p <= 1);
      close(fisherExactTest({ a: c, b: d, c: a, d: b }), p, 1e-9);
      close(fisherExactTest({ a, b: c, c: b, d }), p, 1e-9);
    }),
  );
});

/** The definition, summed term by term over every possible table (the reference for the fast walk). */
function fisherByDefinition(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const logP = (x: number) =>
    logFactorial(r1) +
    logFactorial(r2) +
    logFactorial(c1) +
    logFactorial(n - c1) -
    logFactorial(n) -
    logFactorial(x) -
    logFactorial(r1 - x) -
    logFactorial(c1 - x) -
    logFactorial(r2 - c1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++)
    if (logP(x) <= observed + Math.log1p(1e-7)) p += Math.exp(logP(x));
  return Math.min(1, p);
}

test("Fisher's walk from the mode equals the sum over every table (property, up to 2,000 people)", () => {
  fc.assert(
    fc.property(fc.nat(500), fc.nat(500), fc.nat(500), fc.nat(500), (a, b, c, d) => {
      if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return;
      const fast = fisherExactTest({ a, b, c, d });
      const slow = fisherByDefinition(a, b, c, d);
      assert.ok(
        Math.abs(fast - slow) <= 1e-9 * Math.max(slow, 1e-300) || Math.abs(fast - slow) < 1e-300,
        `${a},${b},${c},${d}: ${fast} vs ${slow}`,
      );
    }),
    { numRuns: 300 },
  );
});

test("two-proportion z-test: 0.3 vs 0.5 on 100 each", () => {
  const r = twoProportionZTest(0.3, 100, 0.5, 100);
  close(r.z, -2.886751345948129, 1e-9);
  close(r.pValue, 0.003892417122778628, 1e-5);
  assert.equal(twoProportionZTest(0, 10, 0, 10).pValue, 1);
  assert.ok(Number.isNaN(twoProportionZTest(0.5, 0, 0.5, 10).pValue));
});

test("Holm and Bonferroni adjustments", () => {
  assert.deepEqual(
    holmAdjust([0.01, 0.04, 0.03]).map((p) => +p.toFixed(12)),
    [0.03, 0.06, 0.06],
  );
  assert.deepEqual(
    bonferroniAdjust([0.01, 0.04, Number.NaN, 0.5]).map((p) => +p.toFixed(12)),
    [0.03, 0.12, Number.NaN, 1],
  );
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), (ps) => {
      const holm = holmAdjust(ps);
      const bonf = bonferroniAdjust(ps);
      ps.forEach((p, i) => {
        assert.ok(holm[i] >= p - 1e-15 && holm[i] <= bonf[i] + 1e-15);
      });
    }),
  );
});
