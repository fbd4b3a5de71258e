import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { GROUP_STRIDE, countConfusion } from "../../src/core/confusion.js";
import { encodeGroups } from "../../src/core/groups.js";
import { METRIC_NAMES, evaluateMetric, metricSpec } from "../../src/core/metrics.js";
import { argsortFloat64, sortFloat64 } from "../../src/thresholds/radix-sort.js";
import { curveSummary, prCurve, rocCurve } from "../../src/thresholds/curves.js";
import {
  buildScoreTable,
  cellsAtThreshold,
  decisionIndex,
  mergeScoreTables,
  scoreTable,
} from "../../src/thresholds/score-table.js";
import { confusionAtThresholds, sweepGroup, sweepMetric } from "../../src/thresholds/sweep.js";

const rowsArb = fc
  .array(
    fc.record({
      score: fc.integer({ min: 0, max: 6 }).map((x) => x / 2),
      y: fc.integer({ min: 0, max: 1 }),
      g: fc.constantFrom("a", "b", "c"),
      w: fc.integer({ min: 0, max: 4 }).map((x) => x / 2),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .filter((rows) => rows.some((r) => r.w > 0));

function bruteCells(rows: { score: number; y: number; g: string; w: number }[], t: number, weighted: boolean) {
  const scores = rows.map((r) => r.score);
  const enc = encodeGroups(rows.map((r) => r.g));
  const yPred = Uint8Array.from(scores, (s) => (s >= t ? 1 : 0));
  return countConfusion(
    Uint8Array.from(rows, (r) => r.y),
    yPred,
    enc,
    weighted ? Float64Array.from(rows, (r) => r.w) : undefined,
  );
}

test("hand-computed table, cells and sweep", () => {
  const table = scoreTable({
    scores: [1, 2, 2, 3, 5],
    yTrue: [0, 0, 1, 1, 0],
    sensitiveFeatures: ["a", "a", "a", "a", "b"],
  });
  const a = table.perGroup[0];
  assert.deepEqual([...a.scores], [1, 2, 3]);
  assert.deepEqual([...a.negWeight], [1, 1, 0]);
  assert.deepEqual([...a.posWeight], [0, 1, 1]);
  assert.equal(decisionIndex(a, Number.NEGATIVE_INFINITY), 0);
  assert.equal(decisionIndex(a, 1.5), 1);
  assert.equal(decisionIndex(a, 2), 1);
  assert.equal(decisionIndex(a, Number.POSITIVE_INFINITY), 3);
  // t = 2: TN 1 (score 1), FP 1, FN 0, TP 2
  const cells = cellsAtThreshold(a, 2);
  assert.deepEqual([...cells], [1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 2, 2]);
  const sweep = sweepGroup(a, "true_positive_rate");
  assert.deepEqual([...sweep.values], [1, 1, 0.5, 0]);
  assert.deepEqual([...sweep.thresholds], [1, 2, 3, Number.POSITIVE_INFINITY]);
  assert.deepEqual([...sweepGroup(a, "false_positive_rate").values], [1, 0.5, 0, 0]);
  // group b has no positives: TPR undefined everywhere
  assert.ok(sweepMetric(table, "true_positive_rate")[1].values.every(Number.isNaN));
});

test("ROC AUC counts ties one half; average precision by hand", () => {
  const table = scoreTable({
    scores: [0.1, 0.4, 0.35, 0.8],
    yTrue: [0, 0, 1, 1],
    sensitiveFeatures: ["g", "g", "g", "g"],
  });
  assert.equal(rocCurve(table.perGroup[0]).auc, 0.75);
  const tied = scoreTable({ scores: [0.5, 0.5, 0.9], yTrue: [0, 1, 1], sensitiveFeatures: ["g", "g", "g"] });
  // pairs (pos, neg): (0.5, 0.5) tie = 1/2, (0.9, 0.5) = 1 → 0.75
  assert.equal(rocCurve(tied.perGroup[0]).auc, 0.75);
  // AP: recall 0.5 at precision 1 (t=0.9), recall 1 at precision 2/3 (t=0.5) → 0.5 + 0.5·2/3
  assert.ok(Math.abs(prCurve(tied.perGroup[0]).averagePrecision - (0.5 + 1 / 3)) < 1e-15);
  assert.equal(curveSummary(tied)[0].distinctScores, 2);
});

test("property: sweep equals a brute-force recount at every threshold (ties, weights, every metric)", () => {
  fc.assert(
    fc.property(rowsArb, fc.boolean(), (rows, weighted) => {
      const enc = encodeGroups(rows.map((r) => r.g));
      const table = buildScoreTable(
        Float64Array.from(rows, (r) => r.score),
        Uint8Array.from(rows, (r) => r.y),
        enc,
        weighted ? Float64Array.from(rows, (r) => r.w) : undefined,
      );
      const candidates = [Number.NEGATIVE_INFINITY, -1, 0, 0.25, 0.5, 1, 1.5, 2, 2.2, 3, 4, Number.POSITIVE_INFINITY];
      for (const t of candidates) {
        const brute = bruteCells(rows, t, weighted);
        const fast = confusionAtThresholds(table, t);
        for (let k = 0; k < brute.data.length; k++)
          assert.ok(Math.abs(brute.data[k] - fast.data[k]) < 1e-9, `t=${t} k=${k}`);
      }
      for (const name of METRIC_NAMES) {
        const spec = metricSpec(name);
        sweepMetric(table, name).forEach((sweep, g) => {
          sweep.thresholds.forEach((t, k) => {
            const brute = bruteCells(rows, t, weighted);
            const expected = evaluateMetric(spec, brute.data.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE));
            const got = sweep.values[k];
            assert.ok(
              Number.isNaN(expected) ? Number.isNaN(got) : Math.abs(expected - got) < 1e-9,
              `${name} g=${g} t=${t}`,
            );
          });
        });
      }
    }),
    { numRuns: 150 },
  );
});

test("property: ROC AUC equals the Mann–Whitney pair count with ties one half", () => {
  fc.assert(
    fc.property(rowsArb, (rows) => {
      const table = scoreTable({
        scores: rows.map((r) => r.score),
        yTrue: rows.map((r) => r.y),
        sensitiveFeatures: rows.map(() => "g"),
        sampleWeight: rows.map((r) => r.w),
      });
      let num = 0;
      let den = 0;
      for (const p of rows)
        for (const q of rows)
          if (p.y === 1 && q.y === 0) {
            den += p.w * q.w;
            num += p.w * q.w * (p.score > q.score ? 1 : p.score === q.score ? 0.5 : 0);
          }
      const auc = rocCurve(table.perGroup[0]).auc;
      if (den === 0) assert.ok(Number.isNaN(auc) || den === 0);
      else assert.ok(Math.abs(auc - num / den) < 1e-9);
    }),
    { numRuns: 150 },
  );
});

test("property: merging the tables of two halves equals the table of the whole", () => {
  fc.assert(
    fc.property(rowsArb, fc.nat(), (rows, cut) => {
      const split = cut % (rows.length + 1);
      const build = (part: typeof rows) =>
        scoreTable({
          scores: part.map((r) => r.score),
          yTrue: part.map((r) => r.y),
          sensitiveFeatures: { g: part.map((r) => r.g) },
          sampleWeight: part.map((r) => r.w + 1),
        });
      const whole = build(rows);
      if (split === 0 || split === rows.length) return;
      const merged = mergeScoreTables(build(rows.slice(0, split)), build(rows.slice(split)));
      assert.deepEqual(
        merged.groups.map((g) => g.key),
        whole.groups.map((g) => g.key),
      );
      merged.perGroup.forEach((m, g) => {
        const w = whole.perGroup[g];
        assert.deepEqual([...m.scores], [...w.scores]);
        assert.deepEqual([...m.posWeight], [...w.posWeight]);
        assert.deepEqual([...m.negWeight2], [...w.negWeight2]);
        assert.deepEqual([...m.negRows], [...w.negRows]);
      });
    }),
    { numRuns: 100 },
  );
});

test("property: sortFloat64 (radix) orders like the built-in sort, −0 before +0, ±∞ at the ends", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 4097, maxLength: 6000 }), (xs) => {
      const values = Float64Array.from(xs);
      const expected = Float64Array.from(xs).sort();
      const got = sortFloat64(values);
      for (let i = 0; i < xs.length; i++)
        assert.ok(Object.is(got[i], expected[i]), `at ${i}: ${got[i]} vs ${expected[i]}`);
    }),
    { numRuns: 20 },
  );
});

test("property: argsortFloat64 (radix) is the stable order of the values, ties in index order, the input untouched", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.double({ noNaN: true }),
          fc.integer({ min: -3, max: 3 }).map((v) => v / 2),
        ),
        { minLength: 1, maxLength: 6000 },
      ),
      (xs) => {
        const values = Float64Array.from(xs);
        const order = argsortFloat64(values);
        const expected = xs.map((_, i) => i).sort((a, b) => (xs[a] < xs[b] ? -1 : xs[a] > xs[b] ? 1 : a - b));
        // −0 and +0 compare equal to the comparator, but the radix order puts −0 first: compare values, and indexes where values differ.
        for (let k = 0; k < xs.length; k++) assert.ok(values[order[k]] === xs[expected[k]], `value at ${k}`);
        for (let k = 1; k < xs.length; k++)
          if (Object.is(values[order[k]], values[order[k - 1]])) assert.ok(order[k] > order[k - 1], `stable at ${k}`);
        assert.deepEqual(
          Array.from(values),
          xs.map((v) => v),
          "input unchanged",
        );
      },
    ),
    { numRuns: 40 },
  );
});
