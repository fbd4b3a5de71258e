import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { groupCells, totalCells } from "../../src/core/confusion.js";
import { criterionFromCounts } from "../../src/core/criteria.js";
import { evaluateMetric, metricSpec } from "../../src/core/metrics.js";
import { type DecisionRule, expectedCells } from "../../src/thresholds/decision-rule.js";
import { solveLinearProgram } from "../../src/thresholds/lp.js";
import { type ScoreTable, groupTotals, scoreTable } from "../../src/thresholds/score-table.js";
import { ThresholdOptimizer } from "../../src/thresholds/threshold-optimizer.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";

const metric = (name: string, cells: Float64Array) => evaluateMetric(metricSpec(name), cells);

/** Raw ROC points of a group, one per decision (no hull): the grid search's own view. */
function rawPoints(table: ScoreTable, g: number, flip = false): [number, number][] {
  const group = table.perGroup[g];
  const { negatives, positives } = groupTotals(group);
  const pts: [number, number][] = [[0, 0]];
  let fp = 0;
  let tp = 0;
  for (let k = group.scores.length - 1; k >= 0; k--) {
    fp += group.negWeight[k];
    tp += group.posWeight[k];
    pts.push([fp / negatives, tp / positives]);
  }
  if (flip) for (const [f, t] of [...pts]) pts.push([1 - f, 1 - t]);
  return pts;
}

/**
 * Best of `value` over points (f, t) reachable by mixing two raw ROC points with
 * `alpha·t + beta·f = r` (O(m²) pairs: independent of the hull code).
 */
function bestAtRate(
  pts: [number, number][],
  alpha: number,
  beta: number,
  r: number,
  value: (f: number, t: number) => number,
): { v: number; f: number; t: number } {
  let best = { v: Number.NEGATIVE_INFINITY, f: Number.NaN, t: Number.NaN };
  const rate = (p: [number, number]) => alpha * p[1] + beta * p[0];
  for (const p of pts) {
    for (const q of pts) {
      const rp = rate(p);
      const rq = rate(q);
      if (rp > r || rq < r) continue;
      const lam = rq === rp ? 0 : (r - rp) / (rq - rp);
      const f = p[0] + lam * (q[0] - p[0]);
      const t = p[1] + lam * (q[1] - p[1]);
      const v = value(f, t);
      if (v > best.v) best = { v, f, t };
    }
  }
  return best;
}

type GridConstraint =
  | "demographic_parity"
  | "equalized_odds"
  | "true_positive_rate_parity"
  | "false_positive_rate_parity";

/** Accuracy of the best solution on a grid of `steps + 1` values of the constraint's common rate. */
function gridAccuracy(table: ScoreTable, constraint: GridConstraint, steps = 1000, flip = false): number {
  const G = table.groups.length;
  const tot = table.perGroup.map((g) => groupTotals(g));
  const W = tot.reduce((s, x) => s + x.positives + x.negatives, 0);
  const a = tot.map((x) => x.positives / W);
  const b = tot.map((x) => x.negatives / W);
  const constant = tot.reduce((s, x) => s + x.negatives, 0) / W;
  const pts = table.groups.map((_, g) => rawPoints(table, g, flip));
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= steps; i++) {
    const r = i / steps;
    let total = constant;
    if (constraint === "equalized_odds") {
      // common FPR r; each group's highest TPR at r, the common TPR is the lowest of them
      // (reachable by every group by mixing down towards the diagonal).
      let tpr = Number.POSITIVE_INFINITY;
      for (let g = 0; g < G; g++) tpr = Math.min(tpr, bestAtRate(pts[g], 0, 1, r, (_f, t) => t).t);
      if (tpr < r) continue;
      for (let g = 0; g < G; g++) total += a[g] * tpr - b[g] * r;
    } else {
      for (let g = 0; g < G; g++) {
        const w = tot[g].positives + tot[g].negatives;
        const [alpha, beta] =
          constraint === "demographic_parity"
            ? [tot[g].positives / w, tot[g].negatives / w]
            : constraint === "true_positive_rate_parity"
              ? [1, 0]
              : [0, 1];
        total += bestAtRate(pts[g], alpha, beta, r, (f, t) => a[g] * t - b[g] * f).v;
      }
    }
    if (total > best) best = total;
  }
  return best;
}

test("linear program: textbook cases", () => {
  const s = solveLinearProgram(
    [1, 1],
    [
      [1, 2],
      [3, 1],
    ],
    [4, 6],
  );
  assert.ok(Math.abs(s.x[0] - 1.6) < 1e-12 && Math.abs(s.x[1] - 1.2) < 1e-12);
  assert.ok(Math.abs(s.value - 2.8) < 1e-12);
  // degenerate: max x + y with x ≤ 0 (b = 0) and x + y ≤ 1
  const d = solveLinearProgram(
    [1, 1],
    [
      [1, 0],
      [1, 1],
    ],
    [0, 1],
  );
  assert.ok(Math.abs(d.value - 1) < 1e-12);
  assert.equal(solveLinearProgram([1, 0], [[0, 1]], [1]).status, "unbounded");
});

// Fairlearn's public example (test_threshold_optimization.py, flip=True).
const flGroups = [..."AAAAAAABBBBBBBCCCCCC"];
const flLabels = [..."01101000010111000111"].map(Number);
const flScores = [..."00112330001111011112"].map(Number);

function fairlearnAccuracy(rules: Record<string, DecisionRule>): number {
  const table = scoreTable({ scores: flScores, yTrue: flLabels, sensitiveFeatures: flGroups });
  let correct = 0;
  let total = 0;
  table.groups.forEach((info, g) => {
    const cells = expectedCells(rules[info.key], table.perGroup[g]);
    correct += cells[0] + cells[9];
    total += cells[0] + cells[3] + cells[6] + cells[9];
  });
  return correct / total;
}

test("Fairlearn example, demographic parity: equal expected selection rates, accuracy ≥ Fairlearn's grid (0.572)", () => {
  const opt = new ThresholdOptimizer({ constraint: "demographic_parity", flip: true }).fit(
    flScores,
    flLabels,
    flGroups,
  );
  const counts = opt.expectedConfusionOn(flScores, flLabels, flGroups);
  const rates = counts.groups.map((_, g) => metric("selection_rate", groupCells(counts, g)));
  for (const r of rates) assert.ok(Math.abs(r - rates[0]) < 1e-12, `${rates}`);
  const named = opt.expectedMetrics(scoreTable({ scores: flScores, yTrue: flLabels, sensitiveFeatures: flGroups }), [
    "selection_rate",
    "accuracy",
  ]);
  assert.ok(Math.abs(named.groups.B.selection_rate - rates[0]) < 1e-12);
  assert.ok(Math.abs(named.overall.accuracy - opt.training.accuracy) < 1e-12);
  // Fairlearn's fitted policy (from its test), written as decision rules.
  const theirs = fairlearnAccuracy({
    A: { cuts: [2.5], probabilities: [0.8008, 0] },
    B: { cuts: [0.51], probabilities: [0.00133333333333, 1] },
    C: { cuts: [0.51, 1.51], probabilities: [0, 0.608, 1] },
  });
  const ours = opt.training.accuracy;
  assert.ok(ours >= theirs - 1e-12, `ours ${ours} vs Fairlearn ${theirs}`);
  assert.ok(Math.abs(ours - 0.69) < 1e-12); // 0.69 exactly: A at TPR 0.8 / FPR 0.4 flipped, B and C on their hulls
  assert.ok(Math.abs(theirs - 0.6896) < 1e-3);
});

test("Fairlearn example, equalized odds: equal expected TPR and FPR, accuracy ≥ Fairlearn's (TPR 0.66733, FPR 0.334)", () => {
  const opt = new ThresholdOptimizer({ constraint: "equalized_odds", flip: true }).fit(flScores, flLabels, flGroups);
  const counts = opt.expectedConfusionOn(flScores, flLabels, flGroups);
  for (const name of ["true_positive_rate", "false_positive_rate"]) {
    const v = counts.groups.map((_, g) => metric(name, groupCells(counts, g)));
    for (const x of v) assert.ok(Math.abs(x - v[0]) < 1e-12, `${name} ${v}`);
  }
  const c = 0.334;
  const rule = (pIgnore: number, inner: DecisionRule): DecisionRule => ({
    cuts: inner.cuts,
    probabilities: inner.probabilities.map((p) => c * pIgnore + (1 - pIgnore) * p),
  });
  const theirs = fairlearnAccuracy({
    A: rule(0.001996007984031716, { cuts: [2.5], probabilities: [0.668, 0] }),
    B: rule(0.1991991991991991, { cuts: [0.51], probabilities: [0.001, 1] }),
    C: rule(0, { cuts: [0.51, 1.51], probabilities: [0, 0.501, 1] }),
  });
  // Their operating point: (0.5·0.66733 + 0.5·(1 − 0.334)) with P = N = 10.
  assert.ok(Math.abs(theirs - (0.5 * 0.66733 + 0.5 * (1 - 0.334))) < 1e-3);
  assert.ok(opt.training.accuracy >= theirs - 1e-12, `ours ${opt.training.accuracy} vs ${theirs}`);
  assert.ok(Math.abs(opt.training.accuracy - 2 / 3) < 1e-12);
});

function compasInput() {
  const rows = compasFiltered().filter((r) => r.race === "African-American" || r.race === "Caucasian");
  return {
    scores: rows.map((r) => Number(r.decile_score)),
    yTrue: rows.map((r) => Number(r.two_year_recid)),
    race: rows.map((r) => r.race),
  };
}

for (const constraint of [
  "equalized_odds",
  "demographic_parity",
  "true_positive_rate_parity",
  "false_positive_rate_parity",
] as const) {
  test(`COMPAS (African-American vs Caucasian, decile_score): ${constraint} exact solution beats a 1,000-point grid`, {
    skip: skipWithoutData("compas-scores-two-years.csv"),
  }, () => {
    const { scores, yTrue, race } = compasInput();
    assert.equal(scores.length, 5278);
    const table = scoreTable({ scores, yTrue, sensitiveFeatures: race });
    const opt = new ThresholdOptimizer({ constraint }).fit(scores, yTrue, race);
    const counts = opt.expectedConfusion(table);
    assert.ok(
      opt.training.constraintDifference < 0.01,
      `${constraint} difference ${opt.training.constraintDifference}`,
    );
    if (constraint === "equalized_odds") assert.ok(criterionFromCounts(counts, "equalized_odds", "difference") < 1e-9);
    if (constraint === "demographic_parity")
      assert.ok(criterionFromCounts(counts, "demographic_parity", "difference") < 1e-9);
    const grid = gridAccuracy(table, constraint, 1000);
    const ours = metric("accuracy", totalCells(counts));
    assert.ok(ours >= grid - 1e-12, `exact ${ours} < grid ${grid}`);
    assert.ok(ours - grid < 0.005, `grid ${grid} should be close to exact ${ours}`);
  });
}

const smallData = fc
  .array(
    fc.record({
      s: fc.integer({ min: 0, max: 5 }),
      y: fc.integer({ min: 0, max: 1 }),
      g: fc.constantFrom("a", "b", "c"),
      w: fc.integer({ min: 1, max: 3 }),
    }),
    {
      minLength: 12,
      maxLength: 50,
    },
  )
  .filter((rows) =>
    ["a", "b", "c"].every((g) => rows.some((r) => r.g === g && r.y === 1) && rows.some((r) => r.g === g && r.y === 0)),
  );

test("property: the exact solver never loses to a grid, and meets its constraint exactly", () => {
  fc.assert(
    fc.property(
      smallData,
      fc.constantFrom(
        "equalized_odds",
        "demographic_parity",
        "true_positive_rate_parity",
        "false_positive_rate_parity",
      ) as fc.Arbitrary<GridConstraint>,
      fc.boolean(),
      (rows, constraint, flip) => {
        const input = {
          scores: rows.map((r) => r.s),
          yTrue: rows.map((r) => r.y),
          sensitiveFeatures: rows.map((r) => r.g),
          sampleWeight: rows.map((r) => r.w),
        };
        const table = scoreTable(input);
        const opt = new ThresholdOptimizer({ constraint, flip }).fit(
          input.scores,
          input.yTrue,
          input.sensitiveFeatures,
          { sampleWeight: input.sampleWeight },
        );
        assert.ok(opt.training.constraintDifference < 1e-9, `difference ${opt.training.constraintDifference}`);
        const grid = gridAccuracy(table, constraint, 200, flip);
        assert.ok(opt.training.accuracy >= grid - 1e-9, `exact ${opt.training.accuracy} < grid ${grid}`);
      },
    ),
    { numRuns: 120 },
  );
});

test("property: with a tolerance the difference stays within it and the objective never drops", () => {
  fc.assert(
    fc.property(
      smallData,
      fc.constantFrom(
        "equalized_odds",
        "demographic_parity",
        "true_positive_rate_parity",
      ) as fc.Arbitrary<GridConstraint>,
      fc.constantFrom(0.02, 0.1, 0.3),
      (rows, constraint, tolerance) => {
        const args = [rows.map((r) => r.s), rows.map((r) => r.y), rows.map((r) => r.g)] as const;
        const strict = new ThresholdOptimizer({ constraint }).fit(...args);
        const loose = new ThresholdOptimizer({ constraint, tolerance }).fit(...args);
        assert.ok(
          loose.training.constraintDifference <= tolerance + 1e-9,
          `${loose.training.constraintDifference} > ${tolerance}`,
        );
        assert.ok(loose.training.accuracy >= strict.training.accuracy - 1e-9);
        const unconstrained = new ThresholdOptimizer({ constraint, tolerance: 1 }).fit(...args);
        assert.ok(unconstrained.training.accuracy >= loose.training.accuracy - 1e-9);
      },
    ),
    { numRuns: 80 },
  );
});

test("equalized odds: LP at tolerance 0 agrees with polygon clipping", () => {
  fc.assert(
    fc.property(smallData, (rows) => {
      const args = [rows.map((r) => r.s), rows.map((r) => r.y), rows.map((r) => r.g)] as const;
      const clip = new ThresholdOptimizer({ constraint: "equalized_odds" }).fit(...args);
      const lp = new ThresholdOptimizer({ constraint: "equalized_odds", tolerance: 1e-12 }).fit(...args);
      assert.ok(
        Math.abs(clip.training.accuracy - lp.training.accuracy) < 1e-7,
        `${clip.training.accuracy} vs ${lp.training.accuracy}`,
      );
    }),
    { numRuns: 80 },
  );
});

test("property: exact expected metrics match the mean of many seeded predict runs", () => {
  fc.assert(
    fc.property(
      smallData,
      fc.constantFrom("equalized_odds", "demographic_parity") as fc.Arbitrary<GridConstraint>,
      (rows, constraint) => {
        const scores = rows.map((r) => r.s);
        const yTrue = rows.map((r) => r.y);
        const groups = rows.map((r) => r.g);
        const opt = new ThresholdOptimizer({ constraint }).fit(scores, yTrue, groups);
        const proba = opt.predictProba(scores, groups);
        const runs = 400;
        const sums = new Float64Array(rows.length);
        for (let seed = 0; seed < runs; seed++) {
          const pred = opt.predict(scores, groups, { seed });
          for (let i = 0; i < rows.length; i++) sums[i] += pred[i];
        }
        // Each row's mean of 400 Bernoulli(p) draws: standard error ≤ 0.025; allow 5 of them.
        for (let i = 0; i < rows.length; i++)
          assert.ok(Math.abs(sums[i] / runs - proba[i]) < 0.125, `row ${i}: ${sums[i] / runs} vs ${proba[i]}`);
        // Expected selection rate of the whole set (exact) vs the mean over runs: tighter.
        const expected = opt.expectedConfusionOn(scores, yTrue, groups);
        const total = totalCells(expected);
        const mean = sums.reduce((s, x) => s + x, 0) / (runs * rows.length);
        assert.ok(Math.abs(mean - metric("selection_rate", total)) < 0.02);
        // predictProba and expected counts agree exactly.
        const exactRate = proba.reduce((s, p) => s + p, 0) / rows.length;
        assert.ok(Math.abs(exactRate - metric("selection_rate", total)) < 1e-12);
      },
    ),
    { numRuns: 25 },
  );
});

test("predict is reproducible by seed; policy JSON round-trips; unseen groups are a clear error", () => {
  const opt = new ThresholdOptimizer({ constraint: "equalized_odds", flip: true }).fit(flScores, flLabels, flGroups);
  assert.deepEqual(opt.predict(flScores, flGroups, { seed: 7 }), opt.predict(flScores, flGroups, { seed: 7 }));
  const json = JSON.parse(JSON.stringify(opt.toJSON()));
  const back = ThresholdOptimizer.fromJSON(json);
  assert.deepEqual(back.predictProba(flScores, flGroups), opt.predictProba(flScores, flGroups));
  assert.deepEqual(back.predict(flScores, flGroups, { seed: 3 }), opt.predict(flScores, flGroups, { seed: 3 }));
  assert.deepEqual(back.training, opt.training);
  assert.throws(
    () => opt.predict([1, 2], ["A", "D"]),
    /group "D" was not seen when the policy was fitted; fitted groups: "A", "B", "C"/,
  );
  assert.throws(() => new ThresholdOptimizer().predict([1], ["A"]), /not fitted/);
  assert.throws(() => new ThresholdOptimizer({ constraint: "nope" }), /unknown constraint "nope"/);
  assert.throws(
    () =>
      ThresholdOptimizer.fromJSON({
        ...json,
        groups: [{ ...json.groups[0], rule: { cuts: [1], probabilities: [2] } }],
      }),
    /^FairkitError: policy: groups\[0\]\.rule\.probabilities\[0\]: must be <= 1; got 2$/,
  );
  assert.throws(
    () =>
      ThresholdOptimizer.fromJSON({
        ...json,
        groups: [{ ...json.groups[0], rule: { cuts: [1], probabilities: [0.5] } }],
      }),
    /policy: groups\[0\]\.rule: has 1 cut and 1 probability; it needs one more probability than cuts/,
  );
  assert.throws(() => new ThresholdOptimizer().fit([1, 2], [1, 1], ["a", "a"]), /group "a" has no negative labels/);
});

test("degenerate groups (every score tied): every constraint and tolerance gives the best constant decision", () => {
  const yTrue = [1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0];
  const groups = ["c", "a", "a", "a", "a", "a", "c", "a", "b", "a", "a", "b", "a"];
  const scores = yTrue.map(() => 0);
  for (const constraint of [
    "equalized_odds",
    "demographic_parity",
    "true_positive_rate_parity",
    "false_positive_rate_parity",
  ]) {
    for (const tolerance of [0, 1e-12, 0.1]) {
      const opt = new ThresholdOptimizer({ constraint, tolerance }).fit(scores, yTrue, groups);
      assert.ok(
        Math.abs(opt.training.accuracy - 7 / 13) < 1e-12,
        `${constraint} ${tolerance}: ${opt.training.accuracy}`,
      );
    }
  }
});
