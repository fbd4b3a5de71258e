/** PSI, Jensen–Shannon and Kolmogorov–Smirnov from binned counts: hand-computed values, then their properties (fast-check). */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  binOf,
  jensenShannonDivergence,
  kolmogorovSmirnovDistance,
  populationStabilityIndex,
  referenceEdges,
  scoreDrift,
} from "../../src/monitor/drift.js";
import { FairkitError } from "../../src/core/errors.js";

const close = (actual: number, expected: number, what: string, abs = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= abs, `${what}: ${actual} vs ${expected}`);

test("PSI by hand: (q − p) · ln(q / p) summed over the bins", () => {
  // p = (½, ½), q = (¼, ¾): (−¼) ln ½ + (¼) ln 1.5 = ¼ ln 3.
  close(populationStabilityIndex([50, 50], [25, 75]), 0.25 * Math.log(3), "two bins");
  // Counts, not proportions: scaling either side changes nothing.
  close(populationStabilityIndex([1, 1], [1, 3]), 0.25 * Math.log(3), "scaled");
  // An empty bin is floored at 1e-4: (½ − 1) ln(½) + (½ − 1e-4) ln(½ / 1e-4) = 4.604318…
  close(populationStabilityIndex([10, 0], [5, 5]), 4.60431846666895, "empty reference bin", 1e-10);
  assert.equal(populationStabilityIndex([3, 2, 1], [3, 2, 1]), 0);
});

test("Jensen–Shannon by hand, in bits: ½ KL(p‖m) + ½ KL(q‖m)", () => {
  // m = (0.375, 0.625): ½(½ log₂(.5/.375) + ½ log₂(.5/.625)) + ½(¼ log₂(.25/.375) + ¾ log₂(.75/.625)).
  close(jensenShannonDivergence([50, 50], [25, 75]), 0.0487949406953985, "two bins", 1e-14);
  // No bin in common: the maximum, 1 bit.
  assert.equal(jensenShannonDivergence([1, 0], [0, 1]), 1);
  assert.equal(jensenShannonDivergence([0, 4, 0], [2, 0, 2]), 1);
  assert.equal(jensenShannonDivergence([7, 1], [7, 1]), 0);
});

test("Kolmogorov–Smirnov by hand: the largest gap of the cumulative proportions", () => {
  assert.equal(kolmogorovSmirnovDistance([50, 50], [25, 75]), 0.25);
  // Cumulative ¼, ½, 1 against ½, ¾, 1.
  assert.equal(kolmogorovSmirnovDistance([1, 1, 2], [2, 1, 1]), 0.25);
  assert.equal(kolmogorovSmirnovDistance([1, 0], [0, 1]), 1);
  assert.equal(kolmogorovSmirnovDistance([2, 2], [1, 1]), 0);
});

test("an empty sample gives NaN; bad counts and unequal bins are refused by name", () => {
  assert.ok(Number.isNaN(populationStabilityIndex([0, 0], [1, 2])));
  assert.deepEqual(
    Object.values(scoreDrift([1, 2], [0, 0])).map((x) => Number.isNaN(x)),
    [true, true, true],
  );
  assert.throws(
    () => kolmogorovSmirnovDistance([1, -1], [1, 1]),
    (e: unknown) => e instanceof FairkitError && /reference: bin 1 holds -1/.test(e.message),
  );
  assert.throws(
    () => jensenShannonDivergence([1, 2, 3], [1, 2]),
    (e: unknown) => e instanceof FairkitError && /3 bins and the current sample 2/.test(e.message),
  );
});

test("bins: edges from the reference's quantiles, repeats dropped; a score is in the bin of the edges <= it", () => {
  assert.deepEqual(referenceEdges([3, 1, 2, 2, 3]), [1, 2, 3]);
  const edges = [1, 2, 3];
  assert.deepEqual(
    [0.5, 1, 1.5, 2, 3, 9].map((s) => binOf(edges, s)),
    [0, 1, 1, 2, 3, 3],
  );
  assert.throws(() => referenceEdges([1, Number.NaN]), /bin edge NaN/);
});

const counts = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: length, maxLength: length });
const samples = fc
  .integer({ min: 1, max: 12 })
  .chain((k) => fc.tuple(counts(k), counts(k)))
  .filter(([a, b]) => a.some((x) => x > 0) && b.some((x) => x > 0));

test("properties: PSI >= 0, JS in [0, 1] (bits), KS in [0, 1]; JS and KS symmetric", () => {
  fc.assert(
    fc.property(samples, ([a, b]) => {
      const d = scoreDrift(a, b);
      assert.ok(d.psi >= 0, `psi ${d.psi}`);
      assert.ok(d.js >= 0 && d.js <= 1, `js ${d.js}`);
      assert.ok(d.ks >= 0 && d.ks <= 1, `ks ${d.ks}`);
      close(jensenShannonDivergence(b, a), d.js, "js symmetric", 1e-12);
      close(kolmogorovSmirnovDistance(b, a), d.ks, "ks symmetric", 1e-12);
    }),
    { numRuns: 500 },
  );
});

test("properties: all three are 0 for identical distributions (the same counts, or scaled)", () => {
  fc.assert(
    fc.property(samples, fc.integer({ min: 1, max: 50 }), ([a], scale) => {
      const d = scoreDrift(
        a,
        a.map((x) => x * scale),
      );
      close(d.psi, 0, "psi", 1e-12);
      close(d.js, 0, "js", 1e-12);
      close(d.ks, 0, "ks", 1e-12);
    }),
    { numRuns: 300 },
  );
});
