import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { calibrationByGroup } from "../../src/core/calibration.js";
import { demoData } from "../../src/datasets/demo.js";
import { impossibilityAnalysis } from "../../src/thresholds/impossibility.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";

test("hand-computed: rates, criteria and calibration bins on a tiny set", () => {
  // a: scores 1,1,2,2 labels 0,1,1,1; b: scores 1,1,2,2 labels 0,0,0,1. Threshold 2.
  const r = impossibilityAnalysis({
    scores: [1, 1, 2, 2, 1, 1, 2, 2],
    yTrue: [0, 1, 1, 1, 0, 0, 0, 1],
    sensitiveFeatures: ["a", "a", "a", "a", "b", "b", "b", "b"],
    thresholds: 2,
    minBinCount: 1,
    minGroupSize: 1,
  });
  const [a, b] = r.groups;
  assert.equal(a.baseRate, 0.75);
  assert.equal(b.baseRate, 0.25);
  assert.equal(a.truePositiveRate, 2 / 3);
  assert.equal(a.falsePositiveRate, 0);
  assert.equal(b.falsePositiveRate, 1 / 3);
  assert.equal(a.positivePredictiveValue, 1);
  assert.equal(b.positivePredictiveValue, 0.5);
  assert.equal(r.baseRateGap, 0.5);
  const crit = Object.fromEntries(r.criteria.map((c) => [c.name, c]));
  assert.equal(crit.demographic_parity.difference, 0);
  assert.equal(crit.demographic_parity.status, "holds");
  assert.equal(crit.predictive_parity.difference, 0.5);
  assert.ok(Math.abs(crit.equalized_odds.difference - 1 / 3) < 1e-15);
  // calibration bins = the two distinct scores: at 1, a 1/2 vs b 0; at 2, a 1 vs b 1/2 → gaps 0.5, 0.5
  assert.equal(r.calibration.bins.length, 2);
  assert.equal(r.calibration.bins[0].rates.a, 0.5);
  assert.equal(r.calibration.bins[0].rates.b, 0);
  assert.equal(r.calibration.weightedGap, 0.5);
  assert.equal(crit.calibration_parity.status, "fails");
  assert.equal(r.tradeoffs[0].enforced, "as_given");
  assert.equal(r.tradeoffs[0].accuracy, 6 / 8);
  assert.match(r.explanation, /Base rates differ: a 75\.0%, b 25\.0%/);
});

test("small groups are shown but left out of every comparison, and named (the audit's rule)", () => {
  // Two large groups with equal rates and a 3-row group whose rates are far off.
  const scores: number[] = [];
  const yTrue: number[] = [];
  const group: string[] = [];
  for (let i = 0; i < 80; i++) {
    scores.push(i % 2);
    yTrue.push(i % 2);
    group.push(i < 40 ? "a" : "b");
  }
  scores.push(1, 1, 1);
  yTrue.push(0, 0, 0);
  group.push("c", "c", "c");
  const r = impossibilityAnalysis({ scores, yTrue, sensitiveFeatures: group, thresholds: 1 });
  assert.deepEqual(r.excluded, ["c"]);
  assert.deepEqual(
    r.groups.map((g) => [g.key, g.small]),
    [
      ["a", false],
      ["b", false],
      ["c", true],
    ],
  );
  const crit = Object.fromEntries(r.criteria.map((c) => [c.name, c.difference]));
  assert.equal(crit.demographic_parity, 0);
  assert.equal(crit.equalized_odds, 0);
  assert.match(r.explanation, /left out as too small to conclude anything: "c"/);
  const all = impossibilityAnalysis({
    scores,
    yTrue,
    sensitiveFeatures: group,
    thresholds: 1,
    includeSmallGroups: true,
  });
  assert.deepEqual(all.excluded, []);
  assert.equal(Object.fromEntries(all.criteria.map((c) => [c.name, c.difference])).equalized_odds, 1);
});

test("calibration within groups is the largest group ECE, the same number calibrationByGroup gives from rows", () => {
  const { score, yTrue, group } = demoData();
  const r = impossibilityAnalysis({ scores: score, yTrue, sensitiveFeatures: { group }, thresholds: 0.5 });
  const rows = calibrationByGroup(score, yTrue, { group });
  const ece = Math.max(...rows.groups.map((g) => g.ece));
  const crit = Object.fromEntries(r.criteria.map((c) => [c.name, c.difference]));
  assert.ok(Math.abs(crit.calibration_within_groups - ece) < 1e-12, `${crit.calibration_within_groups} vs ${ece}`);
  r.calibrationWithinGroups!.groups.forEach((g, i) => {
    assert.ok(Math.abs(g.ece - rows.groups[i].ece) < 1e-12);
  });
  // Calibration parity is the other question (same score, same outcome rate across groups): another number.
  assert.notEqual(crit.calibration_parity, crit.calibration_within_groups);
});

test("property: Chouldechova's identity holds in every group where its terms are defined", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          s: fc.integer({ min: 0, max: 9 }),
          y: fc.integer({ min: 0, max: 1 }),
          g: fc.constantFrom("a", "b"),
          w: fc.integer({ min: 1, max: 5 }),
        }),
        { minLength: 4, maxLength: 60 },
      ),
      fc.integer({ min: 0, max: 10 }),
      (rows, t) => {
        const r = impossibilityAnalysis({
          scores: rows.map((x) => x.s),
          yTrue: rows.map((x) => x.y),
          sensitiveFeatures: rows.map((x) => x.g),
          sampleWeight: rows.map((x) => x.w),
          thresholds: t,
        });
        for (const g of r.groups) {
          const { falsePositiveRate, fromIdentity } = g.chouldechova;
          const defined = g.baseRate > 0 && g.baseRate < 1 && g.positivePredictiveValue > 0;
          if (defined)
            assert.ok(
              Math.abs(falsePositiveRate - fromIdentity) < 1e-12 && g.chouldechova.holds,
              `${falsePositiveRate} vs ${fromIdentity}`,
            );
        }
      },
    ),
    { numRuns: 200 },
  );
});

test("COMPAS at decile_score >= 5: predictive parity nearly holds, equalized odds fails badly (ProPublica vs Northpointe)", {
  skip: skipWithoutData("compas-scores-two-years.csv"),
}, () => {
  const rows = compasFiltered().filter((r) => r.race === "African-American" || r.race === "Caucasian");
  const r = impossibilityAnalysis({
    scores: rows.map((x) => Number(x.decile_score)),
    yTrue: rows.map((x) => Number(x.two_year_recid)),
    sensitiveFeatures: rows.map((x) => x.race),
    thresholds: 5,
    tolerance: 0.05,
  });
  assert.equal(r.tolerance, 0.05);
  const [aa, w] = r.groups;
  assert.equal(aa.key, "African-American");
  assert.equal(aa.rows, 3175);
  assert.equal(w.rows, 2103);
  // ProPublica's numbers: FPR 42.3% vs 22.0%, FNR 28.5% vs 49.6%; PPV 65.0% vs 59.5%.
  assert.ok(Math.abs(aa.falsePositiveRate - 0.4234) < 1e-3 && Math.abs(w.falsePositiveRate - 0.2201) < 1e-3);
  assert.ok(Math.abs(aa.falseNegativeRate - 0.2848) < 1e-3 && Math.abs(w.falseNegativeRate - 0.4964) < 1e-3);
  assert.ok(
    Math.abs(aa.positivePredictiveValue - 0.6495) < 1e-3 && Math.abs(w.positivePredictiveValue - 0.5948) < 1e-3,
  );
  const crit = Object.fromEntries(r.criteria.map((c) => [c.name, c]));
  assert.ok(crit.predictive_parity.difference < 0.06);
  assert.equal(crit.predictive_parity.status, "nearly");
  assert.equal(crit.calibration_parity.status, "holds");
  // Decile scores are not probabilities: calibration within groups (an ECE) is not claimed.
  assert.equal(crit.calibration_within_groups, undefined);
  assert.ok(crit.equalized_odds.difference > 0.2);
  assert.equal(crit.equalized_odds.status, "fails");
  assert.ok(crit.equalized_odds.difference > 3.5 * crit.predictive_parity.difference);
  for (const g of r.groups) assert.ok(g.chouldechova.holds);
  // Trade-offs: enforcing equalized odds costs accuracy and breaks predictive parity; and back.
  const row = Object.fromEntries(r.tradeoffs.map((t) => [t.enforced, t]));
  assert.ok(row.equalized_odds.differences.equalized_odds < 1e-9);
  assert.ok(row.equalized_odds.accuracyCost > 0.005 && row.equalized_odds.accuracyCost < 0.02);
  assert.ok(row.equalized_odds.differences.predictive_parity > 0.1);
  assert.ok(row.predictive_parity.differences.predictive_parity < 0.01);
  assert.ok(row.predictive_parity.differences.equalized_odds > 0.3);
  assert.ok(row.unconstrained.accuracy >= row.as_given.accuracy);
  assert.match(r.explanation, /African-American 52\.3%, Caucasian 39\.1%/);
  assert.match(r.explanation, /predictive parity nearly holds/);
  assert.match(r.explanation, /Kleinberg/);
});
