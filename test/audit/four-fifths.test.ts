import assert from "node:assert/strict";
import { test } from "node:test";
import { fourFifthsRule, selectionCounts } from "../../src/audit/four-fifths.js";
import { confusionFromRows } from "../../src/core/prepare.js";

const close = (actual: number, expected: number, rel = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} ≠ ${expected}`);

test("a large gap on 100 people each is adverse impact, with Fisher's p from SciPy", () => {
  const r = fourFifthsRule([
    { label: "men", count: 100, selected: 60 },
    { label: "women", count: 100, selected: 30 },
  ]);
  assert.deepEqual(r.highest, ["men"]);
  const women = r.rows[1];
  assert.equal(women.impact_ratio, 0.5);
  assert.equal(women.flagged, true);
  close(women.fisher_p, 3.304592989272319e-5);
  assert.equal(women.status, "adverse_impact");
  assert.deepEqual(r.flagged, [["women"]]);
  assert.equal(r.rows[0].status, "highest");
});

test("the same ratio on 10 people is below four-fifths but not significant", () => {
  // 3/10 vs 30/50 (ratio 0.5): scipy.stats.fisher_exact([[3,7],[30,20]]) = 0.0970
  const r = fourFifthsRule([
    { label: "a", count: 50, selected: 30 },
    { label: "b", count: 10, selected: 3 },
  ]);
  const b = r.rows[1];
  assert.equal(b.impact_ratio, 0.5);
  close(b.fisher_p, 0.09701385860567119);
  assert.equal(b.status, "below_threshold_not_significant");
});

test("a ratio above 0.8 that is significant is told apart", () => {
  const r = fourFifthsRule([
    { label: "a", count: 20000, selected: 10000 },
    { label: "b", count: 20000, selected: 9000 },
  ]);
  assert.equal(r.rows[1].impact_ratio, 0.9);
  assert.equal(r.rows[1].status, "significant_above_threshold");
  assert.ok(r.rows[1].z_p < 1e-50 || r.rows[1].z_p < 1e-6);
});

test("nobody selected anywhere: ratios undefined, not 0", () => {
  const r = fourFifthsRule([
    { label: "a", count: 5, selected: 0 },
    { label: "b", count: 5, selected: 0 },
  ]);
  assert.equal(r.rows[1].status, "undefined");
  assert.ok(Number.isNaN(r.rows[1].impact_ratio));
});

test("selectionCounts reads row counts from confusion counts", () => {
  const table = confusionFromRows({
    yTrue: [1, 0, 1, 0, 1, 0],
    yPred: [1, 1, 0, 0, 1, 0],
    sensitiveFeatures: { g: ["a", "a", "a", "b", "b", "b"] },
  });
  assert.deepEqual(selectionCounts(table), [
    { label: "a", group: ["a"], count: 3, selected: 2 },
    { label: "b", group: ["b"], count: 3, selected: 1 },
  ]);
});

test("bad counts throw", () => {
  assert.throws(() => fourFifthsRule([{ label: "a", count: 3, selected: 4 }]), /0 <= selected <= count/);
});

test("minCount: a tiny group with the highest rate is not the comparison group", () => {
  const groups = [
    { label: "tiny", count: 2, selected: 2 },
    { label: "a", count: 100, selected: 50 },
    { label: "b", count: 100, selected: 35 },
  ];
  const literal = fourFifthsRule(groups);
  assert.deepEqual(literal.highest, ["tiny"]);
  assert.equal(literal.rows[1].impact_ratio, 0.5);
  const r = fourFifthsRule(groups, { minCount: 30 });
  assert.deepEqual(r.highest, ["a"]);
  assert.equal(r.rows[0].status, "too_small");
  assert.ok(Number.isNaN(r.rows[0].impact_ratio));
  assert.equal(r.rows[2].impact_ratio, 0.7);
  // scipy.stats.fisher_exact([[35, 65], [50, 50]]).pvalue
  assert.ok(Math.abs(r.rows[2].fisher_p - 0.04493200011130274) < 1e-12, String(r.rows[2].fisher_p));
  assert.match(r.basis, /under 30 people are neither rated nor used for comparison/);
});
