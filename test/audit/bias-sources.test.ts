import assert from "node:assert/strict";
import { test } from "node:test";
import { biasSources } from "../../src/audit/bias-sources.js";
import { wilsonInterval } from "../../src/core/intervals.js";
import { createRandom } from "../../src/core/random.js";
import { rocCurve } from "../../src/thresholds/curves.js";
import { scoreTable } from "../../src/thresholds/score-table.js";

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);

// 10 rows by hand: sex F (4 rows, 3 positive), M (6 rows, 1 positive).
const fixture = {
  yTrue: [1, 1, 1, 0, 1, 0, 0, 0, 0, 0],
  yPred: [1, 0, 1, 0, 1, 1, 0, 0, 0, 0],
  sensitiveFeatures: {
    sex: ["F", "F", "F", "F", "M", "M", "M", "M", "M", "M"],
    race: ["a", "b", "a", "b", "a", "b", "a", "b", "a", "b"],
  },
};

test("representation: shares and the gap to reference shares", () => {
  const r = biasSources({ ...fixture, referenceShares: { sex: { F: 0.5, M: 0.5 } } });
  assert.equal(r.representation.length, 3); // sex, race, sex × race
  const sex = r.representation[0];
  assert.deepEqual(sex.columns, ["sex"]);
  close(sex.groups[0].share, 0.4);
  close(sex.groups[0].gap!, -0.1);
  close(sex.groups[0].ratio!, 0.8);
  close(sex.groups[1].gap!, 0.1);
  assert.equal(r.representation[1].groups[0].reference_share, null);
  assert.deepEqual(
    r.representation[2].groups.map((g) => [g.label, g.rows]),
    [
      ["F, a", 2],
      ["F, b", 2],
      ["M, a", 3],
      ["M, b", 3],
    ],
  );
  assert.throws(() => biasSources({ ...fixture, referenceShares: { age: { x: 1 } } }), /not a sensitive column/);
});

test("historical: base rates, their Wilson intervals and gap", () => {
  const small = biasSources(fixture);
  // Default minRows 30: groups of 4 and 6 rows are shown but left out of the spread.
  assert.ok(Number.isNaN(small.historical[0].difference));
  assert.deepEqual(small.historical[0].left_out, [["F"], ["M"]]);
  const r = biasSources({ ...fixture, minRows: 4 });
  const sex = r.historical[0];
  close(sex.groups[0].base_rate, 0.75);
  close(sex.groups[1].base_rate, 1 / 6);
  assert.deepEqual(sex.groups[0].interval, wilsonInterval(0.75, 4));
  close(sex.difference, 0.75 - 1 / 6);
  close(sex.ratio, 1 / 6 / 0.75);
  assert.ok(r.findings.some((f) => f.startsWith("historical: base rates by sex range from 16.7% (M) to 75.0% (F)")));
});

test("coverage: denominator rows per metric on the intersection, and flags", () => {
  const r = biasSources({ ...fixture, minRows: 2 });
  assert.deepEqual(r.coverage.columns, ["sex", "race"]);
  const fa = r.coverage.groups[0];
  assert.equal(fa.label, "F, a");
  const tpr = fa.cells.find((c) => c.metric === "true_positive_rate")!;
  assert.equal(tpr.rows, 2); // rows 0 and 2 are positives in F, a
  assert.equal(tpr.value, 1);
  const fpr = fa.cells.find((c) => c.metric === "false_positive_rate")!;
  assert.equal(fpr.rows, 0);
  assert.equal(fpr.status, "undefined");
  assert.ok(Number.isNaN(fpr.value));
  // Every group has at most 3 rows: every defined cell is too wide at 95%.
  assert.ok(r.coverage.groups.every((g) => g.cells.every((c) => c.status !== "ok")));
  assert.equal(r.coverage.flagged, 16);
});

test("aggregation: per-group AUC equals the thresholds engine's ROC area; calibration for probabilities", () => {
  const rng = createRandom(3);
  const n = 4000;
  const group: string[] = [];
  const yTrue = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = i % 2 === 0 ? "A" : "B";
    group.push(g);
    yTrue[i] = rng.next() < 0.4 ? 1 : 0;
    // The score separates A well and B barely: one model does not fit both.
    const signal = g === "A" ? 2 : 0.3;
    scores[i] = 1 / (1 + Math.exp(-(rng.normal() + (yTrue[i] ? signal / 2 : -signal / 2))));
  }
  const yPred = scores.map((s) => (s >= 0.5 ? 1 : 0));
  const r = biasSources({ yTrue, yPred, sensitiveFeatures: { group }, scores });
  assert.equal(r.aggregation.available, true);
  const direct = scoreTable({ scores, yTrue, sensitiveFeatures: group });
  r.aggregation.groups.forEach((g, k) => {
    close(g.auc, rocCurve(direct.perGroup[k]).auc);
  });
  assert.ok(
    r.aggregation.groups[0].auc > 0.8 && r.aggregation.groups[1].auc < 0.65,
    JSON.stringify(r.aggregation.groups),
  );
  assert.ok(r.aggregation.auc_difference > 0.15);
  assert.ok(r.aggregation.ece_difference !== null);
  assert.ok(r.findings.some((f) => f.startsWith("aggregation: AUC differs")));
  // Scores outside [0, 1]: AUC only.
  const r2 = biasSources({ yTrue, yPred, sensitiveFeatures: { group }, scores: scores.map((s) => s * 10) });
  assert.equal(r2.aggregation.ece_difference, null);
  close(r2.aggregation.auc_difference, r.aggregation.auc_difference);
  // No scores: said so, not faked.
  assert.equal(biasSources(fixture).aggregation.available, false);
});
