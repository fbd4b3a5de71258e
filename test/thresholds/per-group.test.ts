import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { totalCells } from "../../src/core/confusion.js";
import { evaluateMetric, metricSpec } from "../../src/core/metrics.js";
import { expectedCells } from "../../src/thresholds/decision-rule.js";
import { equalizeThresholds } from "../../src/thresholds/equalize.js";
import { perGroupThreshold } from "../../src/thresholds/per-group-threshold.js";
import { scoreTable } from "../../src/thresholds/score-table.js";
import { confusionAtThresholds, sweepMetric } from "../../src/thresholds/sweep.js";

// group a: scores 1..5, positives at 3, 4, 5 (+ a tie at 4); group b: scores 1..4
const table = scoreTable({
  scores: [1, 2, 3, 4, 4, 5, 1, 2, 3, 4],
  yTrue: [0, 0, 1, 1, 0, 1, 0, 1, 0, 1],
  sensitiveFeatures: ["a", "a", "a", "a", "a", "a", "b", "b", "b", "b"],
});

test("perGroupThreshold: at_least / at_most / closest by hand, ties to the highest threshold", () => {
  // a: TPR at t = 1..5, +∞: 1, 1, 1, 2/3, 1/3, 0. b: t = 1..4, +∞: 1, 1, 0.5, 0.5, 0
  const atLeast = perGroupThreshold(table, "tpr", 0.6).groups;
  assert.deepEqual(
    atLeast.map((g) => [g.key, g.threshold, g.met]),
    [
      ["a", 4, true],
      ["b", 2, true],
    ],
  );
  assert.ok(Math.abs(atLeast[0].achieved - 2 / 3) < 1e-15);
  assert.equal(atLeast[1].achieved, 1);
  const atMost = perGroupThreshold(table, "true_positive_rate", 0.6, { mode: "at_most" }).groups;
  assert.deepEqual(
    atMost.map((g) => [g.threshold, g.achieved]),
    [
      [5, 1 / 3],
      [4, 0.5],
    ],
  );
  // closest to 0.6: a 2/3 (t = 4) vs 1/3; b 0.5 (t = 3 and t = 4 tie → the higher, 4)
  const closest = perGroupThreshold(table, "true_positive_rate", 0.6, { mode: "closest" }).groups;
  assert.deepEqual(
    closest.map((g) => g.threshold),
    [4, 4],
  );
  const none = perGroupThreshold(table, "true_positive_rate", 1.5);
  assert.equal(none.groups[0].met, false);
  assert.equal(none.groups[0].achieved, 1);
  assert.equal(none.groups[0].threshold, 3); // highest threshold with TPR 1
  assert.match(none.warnings[0].message, /no threshold reaches true_positive_rate >= 1.5 in group "a"/);
});

test("perGroupThreshold with randomize hits a linear metric exactly", () => {
  const r = perGroupThreshold(table, "true_positive_rate", 0.6, { randomize: true });
  r.groups.forEach((g, i) => {
    assert.equal(g.achieved, 0.6);
    assert.ok(g.rule);
    const cells = expectedCells(g.rule!, table.perGroup[i]);
    assert.ok(Math.abs(evaluateMetric(metricSpec("tpr"), cells) - 0.6) < 1e-12);
  });
  // PPV's denominator moves with the decisions: no mixing promised.
  assert.equal(perGroupThreshold(table, "ppv", 0.7, { randomize: true }).groups[0].rule, undefined);
});

const data = fc
  .array(
    fc.record({
      s: fc.integer({ min: 0, max: 4 }),
      y: fc.integer({ min: 0, max: 1 }),
      g: fc.constantFrom("a", "b", "c"),
      w: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 6, maxLength: 30 },
  )
  .filter((rows) =>
    ["a", "b", "c"].every((g) => rows.some((r) => r.g === g && r.y === 1) && rows.some((r) => r.g === g && r.y === 0)),
  );

test("property: equalizeThresholds equals brute force over every threshold combination", () => {
  fc.assert(
    fc.property(
      data,
      fc.constantFrom("selection_rate", "true_positive_rate", "false_positive_rate", "positive_predictive_value"),
      fc.constantFrom(0, 0.05, 0.2),
      fc.constantFrom("accuracy", "balanced_accuracy") as fc.Arbitrary<"accuracy" | "balanced_accuracy">,
      (rows, metric, tolerance, objective) => {
        const t = scoreTable({
          scores: rows.map((r) => r.s),
          yTrue: rows.map((r) => r.y),
          sensitiveFeatures: rows.map((r) => r.g),
          sampleWeight: rows.map((r) => r.w),
        });
        const result = equalizeThresholds(t, metric, { tolerance, objective });
        const sweeps = sweepMetric(t, metric);
        const spec = metricSpec(objective);
        // brute force: minimal gap first (if the tolerance cannot be met), then the best objective
        let bestGap = Number.POSITIVE_INFINITY;
        const combos: { gap: number; obj: number }[] = [];
        const [A, B, C] = sweeps;
        for (let i = 0; i < A.values.length; i++)
          for (let j = 0; j < B.values.length; j++)
            for (let k = 0; k < C.values.length; k++) {
              const v = [A.values[i], B.values[j], C.values[k]];
              if (v.some(Number.isNaN)) continue;
              const gap = Math.max(...v) - Math.min(...v);
              const counts = confusionAtThresholds(t, { a: A.thresholds[i], b: B.thresholds[j], c: C.thresholds[k] });
              combos.push({ gap, obj: evaluateMetric(spec, totalCells(counts)) });
              bestGap = Math.min(bestGap, gap);
            }
        const allowed = bestGap > tolerance + 1e-12 ? bestGap : tolerance;
        const bestObj = Math.max(...combos.filter((c) => c.gap <= allowed + 1e-9).map((c) => c.obj));
        assert.ok(Math.abs(result.objectiveValue - bestObj) < 1e-9, `${result.objectiveValue} vs ${bestObj}`);
        assert.ok(result.gap <= allowed + 1e-9);
        assert.equal(result.withinTolerance, bestGap <= tolerance + 1e-12);
        // the reported thresholds really give the reported objective and values
        const th = Object.fromEntries(result.groups.map((g) => [g.key, g.threshold]));
        assert.ok(
          Math.abs(evaluateMetric(spec, totalCells(confusionAtThresholds(t, th))) - result.objectiveValue) < 1e-9,
        );
      },
    ),
    { numRuns: 150 },
  );
});
