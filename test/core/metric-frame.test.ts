import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError, MetricFrame, confusionFromRows, createRandom, mergeConfusion } from "../../src/internal.js";

const yTrue = [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
const yPred = [1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
const group = Array.from({ length: 18 }, (_, i) => (i % 2 ? "q" : "p"));
const band = Array.from({ length: 18 }, (_, i) => (i < 9 ? "young" : "old"));

describe("MetricFrame", () => {
  test("groupMin, groupMax and the reference method", () => {
    const mf = new MetricFrame({ metrics: ["selection_rate"], yTrue, yPred, sensitiveFeatures: { group } });
    // p: rows 0,2,…,16 → yPred 1,1,1,0,0,0,0,1,1 → 5/9; q: rows 1,3,…,17 → 0,0,0,1,0,0,1,1,1 → 4/9
    assert.equal(mf.byGroup[0].metrics.selection_rate, 5 / 9);
    assert.equal(mf.byGroup[1].metrics.selection_rate, 4 / 9);
    assert.equal(mf.groupMax().selection_rate, 5 / 9);
    assert.equal(mf.groupMin().selection_rate, 4 / 9);
    assert.ok(Math.abs(mf.difference({ method: "to_reference", reference: "p" }).selection_rate - 1 / 9) < 1e-12);
    assert.ok(Math.abs(mf.ratio({ method: "to_reference", reference: "p" }).selection_rate - 0.8) < 1e-12);
  });

  test("control features: groups compared within each control level", () => {
    const mf = new MetricFrame({
      metrics: ["selection_rate", "count"],
      yTrue,
      yPred,
      sensitiveFeatures: { group },
      controlFeatures: { band },
    });
    assert.deepEqual(
      mf.byControl.map((c) => c.controlKey),
      ["old", "young"],
    );
    const young = mf.byControl[1];
    // young = rows 0..8: p rows 0,2,4,6,8 → 1,1,1,0,0 = 3/5; q rows 1,3,5,7 → 0,0,0,1 = 1/4
    assert.deepEqual(
      young.byGroup.map((g) => [g.key, g.metrics.selection_rate, g.n]),
      [
        ["p", 3 / 5, 5],
        ["q", 1 / 4, 4],
      ],
    );
    assert.equal(young.overall.metrics.selection_rate, 4 / 9);
    assert.ok(Math.abs(young.difference().selection_rate - (3 / 5 - 1 / 4)) < 1e-12);
    assert.deepEqual(young.control, { band: "young" });
    // The groups over all data are unchanged by control features.
    assert.equal(mf.byGroup[0].metrics.selection_rate, 5 / 9);
  });

  test("custom metric functions see exactly the group's rows and weights", () => {
    const weights = Array.from({ length: 18 }, (_, i) => i + 1);
    const mf = new MetricFrame({
      metrics: {
        total_weight: (_t, _p, w) => w!.reduce((a, b) => a + b, 0),
        rows: (t) => t.length,
        selection_rate: "selection_rate",
      },
      yTrue,
      yPred,
      sensitiveFeatures: { group },
      sampleWeight: weights,
    });
    // p holds rows 0,2,..,16 → weights 1,3,..,17 = 81; q → 2,4,..,18 = 90
    assert.deepEqual(
      mf.byGroup.map((g) => g.metrics.total_weight),
      [81, 90],
    );
    assert.equal(mf.overall.metrics.total_weight, 171);
    assert.deepEqual(
      mf.byGroup.map((g) => g.metrics.rows),
      [9, 9],
    );
    assert.equal(mf.byGroup[0].weight, 81);
  });

  test("bootstrap: same seed same intervals; different seed different; intervals contain the estimate", () => {
    const rng = createRandom(3);
    const n = 400;
    const t = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
    const p = t.map((y) => (rng.next() < (y ? 0.7 : 0.2) ? 1 : 0));
    const g = Array.from({ length: n }, () => (rng.next() < 0.5 ? "a" : "b"));
    const make = (seed: number) =>
      new MetricFrame({
        metrics: ["balanced_accuracy", "selection_rate"],
        yTrue: t,
        yPred: p,
        sensitiveFeatures: g,
        bootstrap: { n: 200, seed },
      });
    const one = make(1);
    assert.deepEqual(make(1).byGroup[0].intervals, one.byGroup[0].intervals);
    assert.deepEqual(make(1).differenceInterval(), one.differenceInterval());
    assert.notDeepEqual(make(2).byGroup[0].intervals.balanced_accuracy, one.byGroup[0].intervals.balanced_accuracy);
    for (const row of one.byGroup) {
      const [lo, hi] = row.intervals.balanced_accuracy;
      assert.ok(lo <= row.metrics.balanced_accuracy && row.metrics.balanced_accuracy <= hi);
    }
    const [dlo, dhi] = one.differenceInterval().selection_rate;
    assert.ok(dlo >= 0 && dlo <= one.difference().selection_rate && one.difference().selection_rate <= dhi);
    // Wilson stays the default for proportions even with bootstrap on.
    assert.notDeepEqual(one.byGroup[0].intervals.selection_rate, make(1).byGroup[0].intervals.balanced_accuracy);
    assert.throws(
      () => new MetricFrame({ metrics: ["accuracy"], yTrue: t, yPred: p, sensitiveFeatures: g }).differenceInterval(),
      /need the bootstrap option/,
    );
  });

  test("fromCounts gives the same numbers as rows; merged chunks give the same as one pass", () => {
    const rows = { yTrue, yPred, sensitiveFeatures: { group } };
    const full = new MetricFrame({ metrics: ["accuracy", "false_positive_rate"], ...rows });
    const left = confusionFromRows({
      yTrue: yTrue.slice(0, 7),
      yPred: yPred.slice(0, 7),
      sensitiveFeatures: { group: group.slice(0, 7) },
    });
    const right = confusionFromRows({
      yTrue: yTrue.slice(7),
      yPred: yPred.slice(7),
      sensitiveFeatures: { group: group.slice(7) },
    });
    const fromCounts = MetricFrame.fromCounts(mergeConfusion(left, right), {
      metrics: ["accuracy", "false_positive_rate"],
    });
    assert.deepEqual(
      fromCounts.byGroup.map((g) => [g.metrics, g.intervals]),
      full.byGroup.map((g) => [g.metrics, g.intervals]),
    );
    assert.throws(
      () => MetricFrame.fromCounts(full.counts, { metrics: { f: () => 1 } }),
      (e: unknown) => e instanceof FairkitError && e.code === "NEEDS_ROWS",
    );
  });

  test("rows with a missing sensitive value are a group of their own and a warning", () => {
    const mf = new MetricFrame({
      metrics: ["count"],
      yTrue: [1, 0, 1],
      yPred: [1, 0, 0],
      sensitiveFeatures: { race: ["x", null, "x"] },
    });
    assert.deepEqual(
      mf.byGroup.map((g) => [g.key, g.n]),
      [
        ["x", 2],
        ["(missing)", 1],
      ],
    );
    assert.equal(mf.missing.race, 1);
    assert.match(mf.warnings[0].message, /1 rows have no value for "race"/);
  });
});
