/**
 * RegressionFrame: hand-computed metrics, criteria and distances; scikit-learn's and scipy's
 * definitions recomputed straight from rows; properties (merging statistics equals computing on
 * the union, weight 2 equals a duplicated row, W1 of a shift is the shift, KS in [0, 1]); the
 * centred moments' accuracy where sums of squares fail; the errors.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  distributionOf,
  ksDistance,
  mergeDistributions,
  mergeMoments,
  mergeRegressionStats,
  momentsOf,
  RegressionFrame,
  wasserstein1,
  weightedQuantile,
} from "../../src/index.js";

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected} (±${tolerance})`);
}

describe("RegressionFrame by hand", () => {
  // F: y 3, 5 predicted 2.5, 5 → errors 0.5, 0; M: y 2, 8 predicted 3, 7 → errors −1, 1.
  const rf = new RegressionFrame({
    yTrue: [3, 5, 2, 8],
    yPred: [2.5, 5, 3, 7],
    sensitiveFeatures: { sex: ["F", "F", "M", "M"] },
    minGroupSize: 1,
  });
  const [f, m] = rf.byGroup;

  test("per-group metrics", () => {
    assert.deepEqual([f.key, m.key], ["F", "M"]);
    assert.equal(f.metrics.mean_target, 4);
    assert.equal(f.metrics.mean_prediction, 3.75);
    assert.equal(f.metrics.mean_residual, 0.25);
    assert.equal(f.metrics.mean_absolute_error, 0.25);
    assert.equal(f.metrics.mean_squared_error, 0.125);
    close(f.metrics.root_mean_squared_error, Math.sqrt(0.125), 1e-15, "RMSE F");
    // R² = 1 − SSE/SST = 1 − 0.25 / 2 (y 3, 5 around 4).
    assert.equal(f.metrics.r2, 0.875);
    assert.equal(m.metrics.mean_residual, 0);
    assert.equal(m.metrics.mean_absolute_error, 1);
    close(m.metrics.r2, 1 - 2 / 18, 1e-15, "R² M");
    assert.equal(rf.overall.metrics.mean_absolute_error, 0.625);
    assert.equal(rf.overall.n, 4);
  });

  test("normal intervals: mean ± z·s/√n", () => {
    // F's absolute errors 0.5 and 0: mean 0.25, s² = 0.125, SE = s/√2 = 0.25 (z to the 1e-9 of fairkit's normal quantile).
    const z = 1.959963984540054;
    close(f.intervals.mean_absolute_error[0], 0.25 - z * 0.25, 1e-8, "MAE low");
    close(f.intervals.mean_absolute_error[1], 0.25 + z * 0.25, 1e-8, "MAE high");
    assert.equal(f.intervals.r2, undefined, "R² has no normal interval");
  });

  test("criteria, with the groups that set them", () => {
    const c = rf.criteria;
    assert.equal(c.mean_prediction_difference.value, 1.25);
    assert.deepEqual(c.mean_prediction_difference.groups, ["M", "F"]);
    assert.equal(c.mean_prediction_ratio.value, 0.75);
    assert.equal(c.mean_residual_difference.value, 0.25);
    assert.equal(c.mean_absolute_error_difference.value, 0.75);
    assert.equal(c.mean_absolute_error_ratio.value, 0.25);
    assert.equal(c.worst_group_mean_squared_error.value, 1);
    assert.deepEqual(c.worst_group_mean_squared_error.groups, ["M"]);
    // Predictions F {2.5, 5}, M {3, 7}: CDFs differ by 1/2 on [2.5, 3) and on [5, 7).
    assert.equal(c.prediction_ks.value, 0.5);
    assert.equal(c.prediction_wasserstein.value, 0.5 * 0.5 + 0.5 * 2);
    assert.deepEqual(c.prediction_ks.check, { rule: "<=", tolerance: 0.1, pass: false });
    assert.equal(c.mean_residual_difference.check, undefined, "a gap in units of y has no default tolerance");
    // The interval of the signed difference F − M of mean residuals: SE² = 0.125/2 + 2/2.
    const se = Math.sqrt(0.25 ** 2 + 1);
    close(c.mean_residual_difference.interval![0], 0.25 - 1.959963984540054 * se, 1e-8, "difference interval");
  });

  test("prediction quantiles by the inverted CDF", () => {
    assert.deepEqual(f.predictionQuantiles, { p10: 2.5, p25: 2.5, p50: 2.5, p75: 5, p90: 5 });
  });

  test("a reference group: every group against it", () => {
    const three = new RegressionFrame({
      yTrue: [1, 2, 3, 4, 5, 6],
      yPred: [1, 2, 2, 2, 9, 9],
      sensitiveFeatures: ["a", "a", "b", "b", "c", "c"],
      minGroupSize: 1,
      reference: "b",
    });
    // Mean predictions a 1.5, b 2, c 9: against b the largest gap is c's 7, not a–c's 7.5.
    assert.equal(three.criteria.mean_prediction_difference.value, 7);
    assert.deepEqual(three.criteria.mean_prediction_difference.groups, ["c", "b"]);
    assert.equal(three.settings.reference, "b");
  });

  test("small groups are left out of the criteria and named", () => {
    const rf2 = new RegressionFrame({
      yTrue: [1, 2, 3],
      yPred: [1, 2, 3],
      sensitiveFeatures: ["a", "a", "b"],
      minGroupSize: 2,
    });
    assert.deepEqual(rf2.excluded, ["b"]);
    assert.ok(Number.isNaN(rf2.criteria.mean_residual_difference.value));
    assert.ok(rf2.warnings.some((w) => w.code === "SINGLE_GROUP"));
    assert.ok(rf2.warnings.some((w) => w.code === "EXCLUDED_FROM_DISPARITY"));
  });

  test("R² of a constant outcome is undefined, with a warning (not scikit-learn's forced 0 or 1)", () => {
    const rf3 = new RegressionFrame({
      yTrue: [2, 2, 1, 3],
      yPred: [2, 1, 1, 3],
      sensitiveFeatures: ["a", "a", "b", "b"],
      minGroupSize: 1,
    });
    assert.ok(Number.isNaN(rf3.byGroup[0].metrics.r2));
    assert.ok(rf3.warnings.some((w) => w.code === "UNDEFINED_METRIC" && w.group === "a"));
  });
});

describe("RegressionFrame errors name the argument and row", () => {
  test("a non-finite prediction", () => {
    assert.throws(
      () => new RegressionFrame({ yTrue: [1, 2], yPred: [1, Number.NaN], sensitiveFeatures: ["a", "b"] }),
      /yPred must be a finite number; found NaN at index 1/,
    );
  });
  test("lengths", () => {
    assert.throws(
      () => new RegressionFrame({ yTrue: [1, 2], yPred: [1], sensitiveFeatures: ["a", "b"] }),
      /yPred has 1 rows but yTrue has 2/,
    );
  });
  test("a negative weight", () => {
    assert.throws(
      () => new RegressionFrame({ yTrue: [1, 2], yPred: [1, 2], sensitiveFeatures: ["a", "b"], sampleWeight: [1, -1] }),
      /sampleWeight/,
    );
  });
  test("an unknown interval method", () => {
    assert.throws(
      () =>
        new RegressionFrame({
          yTrue: [1, 2],
          yPred: [1, 2],
          sensitiveFeatures: ["a", "b"],
          intervals: "wilson" as "normal",
        }),
      /intervals/,
    );
  });
});

describe("moments and distributions", () => {
  test("centred moments keep the digits sums of squares lose (outcomes near 1e8, errors near 1)", () => {
    const n = 1000;
    const y = Float64Array.from({ length: n }, (_, i) => 1e8 + i);
    const p = Float64Array.from(y, (v, i) => v + (i % 2 === 0 ? 1 : -1));
    const rf = new RegressionFrame({ yTrue: y, yPred: p, sensitiveFeatures: new Array(n).fill("a"), minGroupSize: 1 });
    assert.equal(rf.overall.metrics.mean_squared_error, 1);
    assert.equal(rf.overall.metrics.mean_residual, 0);
    // Σy² − (Σy)²/n in doubles: the textbook formula is off by far more than the variance's size here.
    const naive = y.reduce((s, v) => s + v * v, 0) - y.reduce((s, v) => s + v, 0) ** 2 / n;
    const exact = (n * n - 1) / 12;
    close(momentsOf(y).m2 / n, exact, 1e-6, "centred variance");
    assert.ok(Math.abs(naive / n - exact) > 1e-3, `the naive formula is ${naive / n}, not ${exact}`);
  });

  test("property: merging the moments of two parts equals the moments of the whole", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (a, b) => {
          const merged = mergeMoments(momentsOf(a), momentsOf(b));
          const whole = momentsOf([...a, ...b]);
          close(merged.mean, whole.mean, 1e-9 * (1 + Math.abs(whole.mean)), "mean");
          close(merged.m2, whole.m2, 1e-9 * (1 + whole.m2), "m2");
          assert.equal(merged.weight, whole.weight);
        },
      ),
    );
  });

  test("property: statistics merged over two chunks give the frame of all rows", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.constantFrom("a", "b")),
          {
            minLength: 8,
            maxLength: 60,
          },
        ),
        fc.integer({ min: 1, max: 7 }),
        (rows, cut) => {
          const all: [number, number, string][] = [...rows, [1, 2, "a"], [1, 2, "b"]];
          const make = (part: [number, number, string][]) =>
            new RegressionFrame({
              yTrue: part.map((r) => r[0]),
              yPred: part.map((r) => r[1]),
              sensitiveFeatures: { g: part.map((r) => r[2]) },
              minGroupSize: 1,
            });
          const a = make([...all.slice(0, cut), ...all.slice(-2)]);
          const b = make([...all.slice(cut, -2), ...all.slice(-2)]);
          const whole = make([...all, ...all.slice(-2)]);
          const inputs = a.inputs.map((x, g) => ({
            group: x.group,
            stats: mergeRegressionStats(x.stats, b.inputs[g].stats),
            predictions: mergeDistributions(x.predictions, b.inputs[g].predictions),
          }));
          const merged = RegressionFrame.fromStats(inputs, { columns: ["g"], minGroupSize: 1 });
          for (const name of Object.keys(whole.criteria) as (keyof typeof whole.criteria)[]) {
            const w = whole.criteria[name].value;
            const m = merged.criteria[name].value;
            if (Number.isNaN(w)) assert.ok(Number.isNaN(m), name);
            else close(m, w, 1e-9 * (1 + Math.abs(w)), name);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test("a mean of exactly 0 merged with rounding dust keeps the ratio defined (fast-check found it: 0 vs NaN)", () => {
    // Group a's predictions sum to exactly 0; merged from these two chunks its mean is −4e-16.
    const chunk = (a: number[], b: number[]) =>
      new RegressionFrame({
        yTrue: [...a.map(() => 0), ...b.map(() => 1)],
        yPred: [...a, ...b],
        sensitiveFeatures: { g: [...a.map(() => "a"), ...b.map(() => "b")] },
        minGroupSize: 1,
      });
    const first = chunk([36, 2], [2]);
    const second = chunk([5, -36, -36, 20, 42, 10, -22, 19, 0, -42, 2], [0, 2]);
    const merged = RegressionFrame.fromStats(
      first.inputs.map((x, g) => ({
        group: x.group,
        stats: mergeRegressionStats(x.stats, second.inputs[g].stats),
        predictions: mergeDistributions(x.predictions, second.inputs[g].predictions),
      })),
      { columns: ["g"], minGroupSize: 1 },
    );
    assert.ok(merged.byGroup[0].metrics.mean_prediction !== 0, "the merged mean carries rounding dust");
    assert.equal(merged.criteria.mean_prediction_ratio.value, 0);
  });

  test("property: a weight of 2 is a duplicated row", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -400, max: 400 }).map((v) => v / 4),
            fc.integer({ min: -400, max: 400 }).map((v) => v / 4),
            fc.boolean(),
            fc.boolean(),
          ),
          {
            minLength: 4,
            maxLength: 30,
          },
        ),
        (rows) => {
          const groups = rows.map((r, i) => (i < 2 ? (i === 0 ? "a" : "b") : r[2] ? "a" : "b"));
          const weighted = new RegressionFrame({
            yTrue: rows.map((r) => r[0]),
            yPred: rows.map((r) => r[1]),
            sensitiveFeatures: groups,
            sampleWeight: rows.map((r) => (r[3] ? 2 : 1)),
            minGroupSize: 1,
          });
          const expanded = rows.flatMap((r, i) => (r[3] ? [i, i] : [i]));
          const duplicated = new RegressionFrame({
            yTrue: expanded.map((i) => rows[i][0]),
            yPred: expanded.map((i) => rows[i][1]),
            sensitiveFeatures: expanded.map((i) => groups[i]),
            minGroupSize: 1,
          });
          for (const name of Object.keys(duplicated.criteria) as (keyof typeof duplicated.criteria)[]) {
            const d = duplicated.criteria[name].value;
            const w = weighted.criteria[name].value;
            if (Number.isNaN(d)) assert.ok(Number.isNaN(w), name);
            else close(w, d, 1e-9 * (1 + Math.abs(d)), name);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  test("property: KS lies in [0, 1] and is symmetric; W1 of a shift by c is |c|", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: -500, max: 500 }),
        (a, b, c) => {
          const da = distributionOf(a);
          const db = distributionOf(b);
          const ks = ksDistance(da, db);
          assert.ok(ks >= 0 && ks <= 1);
          assert.equal(ks, ksDistance(db, da));
          close(wasserstein1(da, distributionOf(a.map((v) => v + c))), Math.abs(c), 1e-9, "W1 of a shift");
          assert.equal(ksDistance(da, da), 0);
        },
      ),
    );
  });

  test("property: the unweighted quantile is the sorted array's ⌈q·n⌉-th value (numpy's inverted_cdf)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (xs, q) => {
          const sorted = [...xs].sort((x, y) => x - y);
          assert.equal(
            weightedQuantile(distributionOf(xs), q),
            sorted[Math.max(0, Math.ceil(q * xs.length - 1e-9) - 1)],
          );
        },
      ),
    );
  });

  test("the bootstrap is seeded: the same seed gives the same intervals, and each holds its value", () => {
    const n = 300;
    const y = Array.from({ length: n }, (_, i) => Math.sin(i) * 3 + (i % 3));
    const p = Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const g = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "a" : "b"));
    const make = (seed: number) =>
      new RegressionFrame({
        yTrue: y,
        yPred: p,
        sensitiveFeatures: g,
        intervals: "bootstrap",
        bootstrap: { n: 200, seed },
      });
    const one = make(1);
    assert.deepEqual(one.criteria.prediction_ks.interval, make(1).criteria.prediction_ks.interval);
    assert.notDeepEqual(one.criteria.prediction_ks.interval, make(2).criteria.prediction_ks.interval);
    const [lo, hi] = one.criteria.mean_residual_difference.interval!;
    const v = one.criteria.mean_residual_difference.value;
    assert.ok(lo <= v && v <= hi, `${v} in [${lo}, ${hi}]`);
    assert.equal(one.settings.bootstrap?.n, 200);
  });
});

describe("the docs follow the spec tables", () => {
  test("docs/regression-and-multiclass.md defines every regression metric and criterion", async () => {
    const { readFileSync } = await import("node:fs");
    const { REGRESSION_CRITERIA, REGRESSION_METRICS } = await import("../../src/index.js");
    const text = readFileSync(new URL("../../docs/regression-and-multiclass.md", import.meta.url), "utf8");
    for (const m of REGRESSION_METRICS) assert.ok(text.includes(`| \`${m.name}\``), `metric ${m.name}`);
    for (const c of REGRESSION_CRITERIA)
      assert.ok(text.includes(`\`${c.name.replace(/_(difference|ratio)$/, "")}`), `criterion ${c.name}`);
  });
});
