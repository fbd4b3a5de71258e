/**
 * The page's engine door (web/src/engine.ts) against independent paths: its O(log n) cells for
 * thresholds and randomised rules must equal recounting every row and the thresholds engine's
 * own expectedCells, on random data with ties and weights.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type DecisionRule,
  GROUP_STRIDE,
  MetricFrame,
  expectedCells,
  groupCells,
  thresholdRule,
} from "../../src/internal.js";
import { LiveEngine, criteriaStatus, isPlainThreshold, representativeThreshold } from "../../web/src/engine.js";
import { ColumnBuilder, uniqueNames } from "../../web/src/table-data.js";

const rows = fc.array(
  fc.record({
    score: fc.integer({ min: 0, max: 8 }).map((k) => k / 8),
    y: fc.integer({ min: 0, max: 1 }),
    g: fc.integer({ min: 0, max: 2 }),
    w: fc.integer({ min: 0, max: 4 }),
  }),
  { minLength: 3, maxLength: 80 },
);

function engineOf(data: { score: number; y: number; g: number; w: number }[], weighted: boolean): LiveEngine {
  const present = [...new Set(data.map((r) => r.g))].sort();
  const code = new Map(present.map((g, k) => [g, k]));
  return new LiveEngine({
    score: Float64Array.from(data.map((r) => r.score)),
    yTrue: Uint8Array.from(data.map((r) => r.y)),
    codes: Int32Array.from(data.map((r) => code.get(r.g)!)),
    groups: present.map((g) => ({ key: `g${g}`, values: { g: `g${g}` } })),
    columns: ["g"],
    weights: weighted ? Float64Array.from(data.map((r) => r.w + 0.5)) : undefined,
  });
}

function close(a: Float64Array, b: Float64Array, what: string): void {
  for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) < 1e-9, `${what}: sum ${k}: ${a[k]} vs ${b[k]}`);
}

describe("LiveEngine", () => {
  it("threshold cells equal a recount of every row (ties, weights)", () => {
    fc.assert(
      fc.property(rows, fc.boolean(), fc.integer({ min: -1, max: 9 }), (data, weighted, k) => {
        const engine = engineOf(data, weighted);
        const t = k / 8;
        const fast = engine.table(engine.groups.map(() => thresholdRule(t)));
        const slow = engine.tableByRows(engine.groups.map(() => t));
        engine.groups.forEach((_, g) => {
          close(groupCells(fast, g), groupCells(slow, g), `group ${g} at ${t}`);
        });
      }),
    );
  });

  it("randomised rules give the thresholds engine's exact expected cells", () => {
    const rule = fc.uniqueArray(fc.integer({ min: 0, max: 8 }), { minLength: 0, maxLength: 3 }).chain((cuts) =>
      fc
        .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: cuts.length + 1, maxLength: cuts.length + 1 })
        .map(
          (probabilities): DecisionRule => ({
            cuts: [...cuts].sort((a, b) => a - b).map((c) => c / 8 + 0.01),
            probabilities,
          }),
        ),
    );
    fc.assert(
      fc.property(rows, fc.boolean(), rule, (data, weighted, r) => {
        const engine = engineOf(data, weighted);
        engine.groups.forEach((_, g) => {
          const expected = expectedCells(r, engine.scores.perGroup[g], new Float64Array(GROUP_STRIDE));
          const mine = engine.cellsFor(g, r);
          // Weight and row sums are linear in the rule; the squared-weight sums too.
          close(mine, expected, `group ${g}`);
        });
      }),
    );
  });

  it("criteria verdicts match MetricFrame differences on a hand-made table", () => {
    // Group a: 4 people, scores .2 .4 .6 .8, labels 0 0 1 1; group b: .1 .3 .7 .9, labels 0 1 0 1.
    const engine = new LiveEngine({
      score: Float64Array.of(0.2, 0.4, 0.6, 0.8, 0.1, 0.3, 0.7, 0.9),
      yTrue: Uint8Array.of(0, 0, 1, 1, 0, 1, 0, 1),
      codes: Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1),
      groups: [
        { key: "a", values: { g: "a" } },
        { key: "b", values: { g: "b" } },
      ],
      columns: ["g"],
    });
    const table = engine.table([thresholdRule(0.5), thresholdRule(0.5)]);
    const status = criteriaStatus(table, engine.calibration(), 0.05);
    const byName = Object.fromEntries(status.map((s) => [s.name, s]));
    // At 0.5: a selects 2 of 4 (TPR 1, FPR 0, PPV 1); b selects 2 of 4 (TPR .5, FPR .5, PPV .5).
    assert.equal(byName.demographic_parity.value, 0);
    assert.equal(byName.demographic_parity.holds, true);
    assert.equal(byName.equal_opportunity.value, 0.5);
    assert.equal(byName.equalized_odds.value, 0.5);
    assert.equal(byName.predictive_parity.value, 0.5);
    assert.equal(byName.predictive_parity.miss, 0.45);
    const mf = new MetricFrame({
      metrics: ["true_positive_rate"],
      yTrue: [0, 0, 1, 1, 0, 1, 0, 1],
      yPred: [0, 0, 1, 1, 0, 0, 1, 1],
      sensitiveFeatures: ["a", "a", "a", "a", "b", "b", "b", "b"],
    });
    assert.equal(mf.difference().true_positive_rate, byName.equal_opportunity.value);
    assert.ok(byName.calibration, "scores in [0, 1] get a calibration verdict");
  });

  it("reads rules for sliders", () => {
    assert.equal(isPlainThreshold(thresholdRule(0.3)), true);
    assert.equal(isPlainThreshold({ cuts: [0.2, 0.4], probabilities: [0, 0.3, 1] }), false);
    assert.equal(representativeThreshold({ cuts: [0.2, 0.4], probabilities: [0, 0.3, 1] }), 0.4);
    assert.equal(representativeThreshold({ cuts: [0.2, 0.4], probabilities: [0, 0.6, 1] }), 0.2);
    assert.equal(representativeThreshold({ cuts: [], probabilities: [1] }), Number.NEGATIVE_INFINITY);
    assert.equal(representativeThreshold({ cuts: [], probabilities: [0] }), Number.POSITIVE_INFINITY);
  });
});

describe("file columns", () => {
  it("keeps numbers and dictionary codes, with empties and BigInt", () => {
    const b = new ColumnBuilder("x");
    for (const v of ["1", "", "2.5", 3n, null, "1"]) b.push(v);
    const c = b.finish();
    assert.deepEqual([...c.numbers], [1, Number.NaN, 2.5, 3, Number.NaN, 1]);
    assert.equal(c.numeric, true);
    assert.equal(c.empty, 2);
    assert.deepEqual([...c.codes!], [0, -1, 1, 2, -1, 0]);
    assert.deepEqual(c.levels, ["1", "2.5", "3"]);
    const t = new ColumnBuilder("t");
    for (const v of ["a", "b", "a"]) t.push(v);
    assert.equal(t.finish().numeric, false);
  });

  it("makes repeated header names unique", () => {
    assert.deepEqual(uniqueNames(["a", "decile_score", "b", "decile_score", ""]), [
      "a",
      "decile_score",
      "b",
      "decile_score_1",
      "column5",
    ]);
  });
});
