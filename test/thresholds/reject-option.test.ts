/**
 * Reject-option classification: a hand-computed case, the exact search against a brute force that
 * applies every pair of cuts row by row, the grid against an independent row-by-row rewrite of
 * AIF360's fit, exact ≥ grid, saved → loaded, the errors, and COMPAS.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { FairkitError } from "../../src/core/errors.js";
import { policyFromJSON } from "../../src/thresholds/policy-loader.js";
import {
  RejectOptionClassification,
  type RejectOptionComparison,
  type RejectOptionMetric,
  linspace,
} from "../../src/thresholds/reject-option.js";
import { scoreTable } from "../../src/thresholds/score-table.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

interface Rows {
  s: number[];
  y: number[];
  g: string[];
  w: number[];
}

/** Per group, from rows and 0/1 decisions: the favourable-oriented rates, straight from the definitions. */
function rowRates(rows: Rows, decide: (i: number) => number, favorable: 0 | 1, groups: readonly string[]) {
  const cell = (members: (i: number) => boolean) => {
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    rows.s.forEach((_, i) => {
      if (!members(i)) return;
      const d = decide(i) === favorable ? 1 : 0; // favourable decision
      const y = rows.y[i] === favorable ? 1 : 0; // favourable label
      const w = rows.w[i];
      if (d && y) tp += w;
      else if (d) fp += w;
      else if (y) fn += w;
      else tn += w;
    });
    return {
      sr: (tp + fp) / (tp + fp + tn + fn),
      tpr: tp / (tp + fn),
      fpr: fp / (fp + tn),
    };
  };
  return {
    of: (members: (i: number) => boolean) => cell(members),
    groups: groups.map((k) => cell((i) => rows.g[i] === k)),
  };
}

function rateOf(metric: RejectOptionMetric, c: { sr: number; tpr: number; fpr: number }): number {
  return metric === "statistical_parity_difference"
    ? c.sr
    : metric === "equal_opportunity_difference"
      ? c.tpr
      : 0.5 * (c.tpr + c.fpr);
}

/** Balanced accuracy from rows and decisions (positive-decision orientation; it is symmetric). */
function rowBalancedAccuracy(rows: Rows, decide: (i: number) => number): number {
  let tp = 0;
  let p = 0;
  let tn = 0;
  let n = 0;
  rows.s.forEach((_, i) => {
    const w = rows.w[i];
    if (rows.y[i]) {
      p += w;
      if (decide(i)) tp += w;
    } else {
      n += w;
      if (!decide(i)) tn += w;
    }
  });
  return 0.5 * (tp / p + tn / n);
}

/** The metric's (low, high) from rows for a decision function. */
function rowMetric(
  rows: Rows,
  decide: (i: number) => number,
  metric: RejectOptionMetric,
  favorable: 0 | 1,
  privileged: readonly string[],
  comparison: RejectOptionComparison,
): [number, number] {
  const groups = [...new Set(rows.g)];
  const r = rowRates(rows, decide, favorable, groups);
  if (comparison === "pooled") {
    const u = rateOf(
      metric,
      r.of((i) => !privileged.includes(rows.g[i])),
    );
    const p = rateOf(
      metric,
      r.of((i) => privileged.includes(rows.g[i])),
    );
    return [u - p, u - p];
  }
  const us = groups.flatMap((k, j) => (privileged.includes(k) ? [] : [rateOf(metric, r.groups[j])]));
  const ps = groups.flatMap((k, j) => (privileged.includes(k) ? [rateOf(metric, r.groups[j])] : []));
  return [Math.min(...us) - Math.max(...ps), Math.max(...us) - Math.min(...ps)];
}

/** Brute force: every raised cut ≤ lowered cut among the scores (and +∞), applied row by row. */
function bruteForce(
  rows: Rows,
  o: {
    metric: RejectOptionMetric;
    favorable: 0 | 1;
    privileged: string[];
    comparison: RejectOptionComparison;
    lb: number;
    ub: number;
  },
): number | undefined {
  const cuts = [...new Set(rows.s)].sort((a, b) => a - b);
  cuts.push(Number.POSITIVE_INFINITY);
  const raised = (k: string) => (o.favorable === 1) !== o.privileged.includes(k);
  let best: number | undefined;
  for (const a of cuts) {
    for (const b of cuts) {
      if (a > b) continue;
      const decide = (i: number) => (rows.s[i] >= (raised(rows.g[i]) ? a : b) ? 1 : 0);
      const [low, high] = rowMetric(rows, decide, o.metric, o.favorable, o.privileged, o.comparison);
      if (!(low >= o.lb && high <= o.ub)) continue;
      const ba = rowBalancedAccuracy(rows, decide);
      if (best === undefined || ba > best) best = ba;
    }
  }
  return best;
}

test("a hand-computed case: the band gives b the positive decision from 2 on and keeps a at 3", () => {
  // a: scores 1 2 3 4, labels 0 0 1 1 (separable at 3); b: scores 1 2 3 4, labels 0 1 0 1.
  const roc = new RejectOptionClassification({ lowerBound: -0.3, upperBound: 0.3 }).fit(
    [1, 2, 3, 4, 1, 2, 3, 4],
    [0, 0, 1, 1, 0, 1, 0, 1],
    { g: ["a", "a", "a", "a", "b", "b", "b", "b"] },
  );
  // Both groups have 2 positives of 4: the tie goes to the first group, a, as the privileged one.
  assert.deepEqual(roc.privileged, ["a"]);
  const r = roc.result;
  // Unconstrained, b could also stop at 4 (same balanced accuracy), but a band needs the raised
  // cut at or below the lowered one: b from 2, a from 3, so t = 2.5 and m = 0.5.
  assert.equal(r.raisedCut, 2);
  assert.equal(r.loweredCut, 3);
  assert.equal(r.classificationThreshold, 2.5);
  assert.equal(r.margin, 0.5);
  // TPR 4/4, FPR 1/4 (b's score 3): balanced accuracy 0.875; 7 of 8 right; SPD 3/4 − 2/4.
  assert.equal(r.balancedAccuracy, 0.875);
  assert.equal(r.accuracy, 0.875);
  assert.equal(r.metricValue, 0.25);
  assert.deepEqual(
    roc.groups.map((g) => [g.key, g.rule]),
    [
      ["a", { cuts: [3], probabilities: [0, 1] }],
      ["b", { cuts: [2], probabilities: [0, 1] }],
    ],
  );
  assert.deepEqual([...roc.predict([2.5, 2.5, 1], { g: ["a", "b", "b"] })], [0, 1, 0]);
});

const rowsArbitrary = fc
  .array(
    fc.record({
      s: fc.integer({ min: 0, max: 6 }),
      y: fc.integer({ min: 0, max: 1 }),
      g: fc.constantFrom("a", "b", "c"),
      w: fc.constantFrom(1, 0.5, 2, 3),
    }),
    { minLength: 8, maxLength: 40 },
  )
  .map(
    (list): Rows => ({
      s: list.map((r) => r.s / 6),
      y: list.map((r) => r.y),
      g: list.map((r) => r.g),
      w: list.map((r) => r.w),
    }),
  )
  .filter((rows) => {
    // Every group present with both labels, so every metric is defined.
    const groups = new Set(rows.g);
    if (groups.size < 2) return false;
    return [...groups].every((k) => [0, 1].every((v) => rows.y.some((y, i) => y === v && rows.g[i] === k)));
  });

const settingsArbitrary = fc.record({
  metric: fc.constantFrom<RejectOptionMetric>(
    "statistical_parity_difference",
    "average_odds_difference",
    "equal_opportunity_difference",
  ),
  favorable: fc.constantFrom<0 | 1>(0, 1),
  comparison: fc.constantFrom<RejectOptionComparison>("each_pair", "pooled"),
  bound: fc.constantFrom(0, 0.05, 0.1, 0.3),
  shift: fc.constantFrom(0, 0.02, -0.05),
});

test("exact search: the best balanced accuracy of a brute force over every pair of cuts, applied row by row", () => {
  fc.assert(
    fc.property(rowsArbitrary, settingsArbitrary, (rows, o) => {
      const privileged = [rows.g[0]];
      const lb = -o.bound + o.shift;
      const ub = o.bound + o.shift;
      const brute = bruteForce(rows, { ...o, privileged, lb, ub });
      const roc = new RejectOptionClassification({
        metric: o.metric,
        favorableDecision: o.favorable,
        comparison: o.comparison,
        privileged,
        lowerBound: lb,
        upperBound: ub,
      });
      const table = scoreTable({
        scores: rows.s,
        yTrue: rows.y,
        sensitiveFeatures: { g: rows.g },
        sampleWeight: rows.w,
      });
      if (brute === undefined) {
        assert.throws(() => roc.fitTable(table), /no classification threshold and margin \(exact search\)/);
        return;
      }
      roc.fitTable(table);
      const r = roc.result;
      assert.ok(Math.abs(r.balancedAccuracy - brute) < 1e-12, `${r.balancedAccuracy} vs ${brute}`);
      // The fitted rules, applied row by row, meet the bound.
      const proba = roc.predictProba(rows.s, { g: rows.g });
      const [low, high] = rowMetric(rows, (i) => proba[i], o.metric, o.favorable, privileged, o.comparison);
      assert.ok(low >= lb - 1e-12 && high <= ub + 1e-12, `${low} ${high} vs [${lb}, ${ub}]`);
      assert.ok(r.raisedCut <= r.loweredCut);
    }),
    { numRuns: 150 },
  );
});

test("exact search is never worse than AIF360's grid, and both meet the bound", () => {
  fc.assert(
    fc.property(rowsArbitrary, settingsArbitrary, (rows, o) => {
      const options = {
        metric: o.metric,
        favorableDecision: o.favorable,
        comparison: o.comparison,
        lowerBound: -o.bound + o.shift,
        upperBound: o.bound + o.shift,
      };
      const table = scoreTable({
        scores: rows.s,
        yTrue: rows.y,
        sensitiveFeatures: { g: rows.g },
        sampleWeight: rows.w,
      });
      let grid: RejectOptionClassification;
      try {
        grid = new RejectOptionClassification({
          ...options,
          search: "grid",
          grid: { thresholds: 25, margins: 10 },
        }).fitTable(table);
      } catch (error) {
        assert.match((error as Error).message, /grid search/);
        return;
      }
      const exact = new RejectOptionClassification(options).fitTable(table);
      assert.ok(exact.result.balancedAccuracy >= grid.result.balancedAccuracy - 1e-12);
      for (const roc of [exact, grid]) {
        assert.ok(roc.result.metricValue >= options.lowerBound - 1e-12);
        assert.ok(roc.result.metricValue <= options.upperBound + 1e-12);
      }
    }),
    { numRuns: 100 },
  );
});

/**
 * AIF360's RejectOptionClassification.fit, rewritten row by row from its definition (pooled groups,
 * `score > t` favourable, region t − m < score ≤ t + m, the first maximum in grid order).
 */
function aif360Fit(
  rows: Rows,
  favourableScore: number[],
  o: { metric: RejectOptionMetric; favorable: 0 | 1; privileged: string[]; lb: number; ub: number },
) {
  let best: { t: number; m: number; ba: number } | undefined;
  for (const t of linspace(0.01, 0.99, 100)) {
    for (const m of linspace(0, t <= 0.5 ? t : 1 - t, 50)) {
      const favourable = (i: number) => {
        const f = favourableScore[i];
        const inRegion = f <= t + m && f > t - m;
        if (inRegion) return !o.privileged.includes(rows.g[i]);
        return f > t;
      };
      const decide = (i: number) => (favourable(i) ? o.favorable : 1 - o.favorable);
      const [value] = rowMetric(rows, decide, o.metric, o.favorable, o.privileged, "pooled");
      if (!(value >= o.lb && value <= o.ub)) continue;
      const ba = rowBalancedAccuracy(rows, decide);
      if (!best || ba > best.ba) best = { t, m, ba };
    }
  }
  return best;
}

test("grid search: AIF360's choice of threshold and margin, found by a row-by-row rewrite of its fit", () => {
  fc.assert(
    fc.property(rowsArbitrary, settingsArbitrary, (rows, o) => {
      // Scores as probabilities with AIF360's own meaning (of the favourable label): fairkit's score
      // is P(positive), so with the negative decision favourable AIF360 sees 1 − score.
      const favourableScore = rows.s.map((s) => (o.favorable === 1 ? s : 1 - s));
      const privileged = [rows.g[0]];
      const lb = -o.bound + o.shift;
      const ub = o.bound + o.shift;
      const expected = aif360Fit(rows, favourableScore, { ...o, privileged, lb, ub });
      const roc = new RejectOptionClassification({
        metric: o.metric,
        favorableDecision: o.favorable,
        comparison: "pooled",
        privileged,
        lowerBound: lb,
        upperBound: ub,
        search: "grid",
      });
      const table = scoreTable({
        scores: rows.s,
        yTrue: rows.y,
        sensitiveFeatures: { g: rows.g },
        sampleWeight: rows.w,
      });
      if (!expected) {
        assert.throws(() => roc.fitTable(table), FairkitError);
        return;
      }
      roc.fitTable(table);
      assert.ok(Math.abs(roc.result.balancedAccuracy - expected.ba) < 1e-12);
      // The same grid point unless two points tie on balanced accuracy to the last bits.
      if (roc.result.classificationThreshold !== expected.t || roc.result.margin !== expected.m) {
        assert.ok(Math.abs(roc.result.balancedAccuracy - expected.ba) < 1e-12);
      }
      // The saved rule decides every row as AIF360's predict does.
      const proba = roc.predictProba(rows.s, { g: rows.g });
      const t = roc.result.classificationThreshold;
      const m = roc.result.margin;
      rows.s.forEach((_, i) => {
        const f = favourableScore[i];
        const fav = f <= t + m && f > t - m ? !privileged.includes(rows.g[i]) : f > t;
        assert.equal(proba[i], fav ? o.favorable : 1 - o.favorable, `row ${i}`);
      });
    }),
    { numRuns: 30 },
  );
});

test("saved → loaded gives the same probabilities; the document is valid by its schema", () => {
  fc.assert(
    fc.property(rowsArbitrary, settingsArbitrary, fc.constantFrom("exact", "grid"), (rows, o, search) => {
      const table = scoreTable({
        scores: rows.s,
        yTrue: rows.y,
        sensitiveFeatures: { g: rows.g },
        sampleWeight: rows.w,
      });
      let roc: RejectOptionClassification;
      try {
        roc = new RejectOptionClassification({
          metric: o.metric,
          favorableDecision: o.favorable,
          comparison: o.comparison,
          lowerBound: -0.3,
          upperBound: 0.3,
          search: search as "exact" | "grid",
        }).fitTable(table);
      } catch {
        return;
      }
      const json = assertValid(JSON.parse(JSON.stringify(roc.toJSON())), "threshold-policy");
      const back = RejectOptionClassification.fromJSON(json);
      const loaded = policyFromJSON(json);
      assert.equal(loaded.method, "reject_option_classification");
      const probe = [-1, 0, 0.25, 0.5, 2 / 3, 1, 2, ...rows.s];
      const groups = { g: probe.map((_, i) => rows.g[i % rows.g.length]) };
      assert.deepEqual([...back.predictProba(probe, groups)], [...roc.predictProba(probe, groups)]);
      assert.deepEqual([...loaded.policy.predictProba(probe, groups)], [...roc.predictProba(probe, groups)]);
      assert.deepEqual(back.result, roc.result);
      assert.deepEqual(back.privileged, roc.privileged);
      assert.deepEqual(back.toJSON(), roc.toJSON());
    }),
    { numRuns: 50 },
  );
});

test("bad options and impossible fits are errors that name the argument and the fix", () => {
  assert.throws(() => new RejectOptionClassification({ metric: "accuracy" }), {
    message: /^metric must be one of statistical_parity_difference, average_odds_difference/,
  });
  // AIF360's display names and fairkit's criteria are accepted.
  assert.equal(new RejectOptionClassification({ metric: "Average odds difference" }).metric, "average_odds_difference");
  assert.equal(new RejectOptionClassification({ metric: "equal_opportunity" }).metric, "equal_opportunity_difference");
  assert.throws(() => new RejectOptionClassification({ lowerBound: 0.1, upperBound: 0 }), {
    message: /lowerBound \(0\.1\) must be a finite number <= upperBound \(0\)/,
  });
  assert.throws(() => new RejectOptionClassification({ search: "random" as "grid" }), {
    message: 'search must be one of exact, grid; got "random"',
  });
  assert.throws(() => new RejectOptionClassification({ search: "grid", grid: { low: 0.6, high: 0.5 } }), {
    message: /grid\.high must be above grid\.low \(0\.6\); got 0\.5/,
  });
  assert.throws(() => new RejectOptionClassification({ privileged: [] }), /privileged names no group/);
  const rows = { scores: [0.1, 0.9, 0.2, 0.8], yTrue: [0, 1, 0, 1], sensitiveFeatures: { g: ["a", "a", "b", "b"] } };
  assert.throws(
    () => new RejectOptionClassification({ privileged: ["z"] }).fit(rows.scores, rows.yTrue, rows.sensitiveFeatures),
    { message: 'privileged names the group "z", which the data does not have; groups: "a", "b"' },
  );
  assert.throws(
    () =>
      new RejectOptionClassification({ privileged: ["a", "b"] }).fit(rows.scores, rows.yTrue, rows.sensitiveFeatures),
    /privileged names every group/,
  );
  // b has no negatives: its average odds are undefined.
  assert.throws(
    () =>
      new RejectOptionClassification({ metric: "average_odds_difference" }).fit(
        [0.1, 0.9, 0.2, 0.8],
        [0, 1, 1, 1],
        rows.sensitiveFeatures,
      ),
    { message: /average_odds_difference is undefined for group "b": it has no negative labels/ },
  );
  // The band only raises b (unprivileged) against a: the lowest SR(b) − SR(a) is at margin 0, −0.5
  // (a cut in (0.8, 0.9] keeps a's 0.9 and drops b's 0.8), so [−1, −0.6] is out of reach.
  assert.throws(
    () =>
      new RejectOptionClassification({ privileged: ["a"], lowerBound: -1, upperBound: -0.6 }).fit(
        rows.scores,
        rows.yTrue,
        rows.sensitiveFeatures,
      ),
    {
      message:
        /no classification threshold and margin \(exact search\) keeps statistical_parity_difference within \[-1, -0\.6\]; the nearest it gets is -0\.5: widen the bounds/,
    },
  );
});

test("numpy's linspace: start + i·step, step = (stop − start)/(num − 1), the last point exactly stop", () => {
  assert.deepEqual(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
  const t = linspace(0.01, 0.99, 100);
  assert.equal(t[37], 37 * (0.98 / 99) + 0.01);
  assert.equal(t[99], 0.99);
  assert.deepEqual(linspace(0.3, 0.7, 1), [0.3]);
});

const skip = skipWithoutData("compas-scores-two-years.csv");

test("COMPAS by race: the band brings statistical parity within ±0.05 at a balanced accuracy cost of 0.009", {
  skip,
}, () => {
  const rows = compasFiltered().filter((r) => r.race === "African-American" || r.race === "Caucasian");
  const scores = rows.map((r) => Number(r.decile_score));
  const yTrue = rows.map((r) => Number(r.two_year_recid));
  const race = rows.map((r) => r.race);
  // A positive decision is "high risk", unfavourable to the person: favorableDecision 0. The
  // privileged group by default is the one with the most favourable labels (no re-arrest): Caucasian.
  const roc = new RejectOptionClassification({ favorableDecision: 0 }).fit(scores, yTrue, { race });
  assert.deepEqual(roc.privileged, ["Caucasian"]);
  const r = roc.result;
  // Threshold 5, margin 1: Caucasians are "high risk" from decile 4 on, African-Americans from 6.
  assert.deepEqual([r.raisedCut, r.loweredCut, r.classificationThreshold, r.margin], [4, 6, 5, 1]);
  // P(low risk | African-American) − P(low risk | Caucasian): −0.245 at the usual cut ≥ 5 (computed
  // below from the rows), −0.028 with the band; balanced accuracy 0.6575 → 0.6490, accuracy 0.6506.
  assert.ok(Math.abs(r.metricValue - -0.027825715794085) < 1e-12);
  assert.ok(Math.abs(r.balancedAccuracy - 0.6489730165122836) < 1e-12);
  assert.ok(Math.abs(r.accuracy - 0.6506252368321334) < 1e-12);
  const lowRisk = (k: string, cut: (i: number) => number) => {
    const members = rows.flatMap((_, i) => (race[i] === k ? [i] : []));
    return members.filter((i) => scores[i] < cut(i)).length / members.length;
  };
  const usual = lowRisk("African-American", () => 5) - lowRisk("Caucasian", () => 5);
  assert.ok(Math.abs(usual - -0.24510721466521396) < 1e-12);
  const cutOf = (i: number) => (race[i] === "Caucasian" ? 4 : 6);
  assert.ok(Math.abs(lowRisk("African-American", cutOf) - lowRisk("Caucasian", cutOf) - r.metricValue) < 1e-12);
  // AIF360's grid on the deciles as probabilities (decile / 10) lands on the same decisions: the
  // same balanced accuracy, at t = 0.5049, m = 0.1010 (the grid point nearest the exact band).
  const grid = new RejectOptionClassification({ favorableDecision: 0, search: "grid" }).fit(
    scores.map((s) => s / 10),
    yTrue,
    { race },
  );
  assert.ok(Math.abs(grid.result.balancedAccuracy - r.balancedAccuracy) < 1e-12);
  assert.ok(Math.abs(grid.result.classificationThreshold - 0.5049494949494949) < 1e-15);
  assert.equal(grid.result.candidates, 5000);
  assert.equal(r.candidates, 66);
});
