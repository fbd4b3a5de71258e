/**
 * MulticlassFrame: a hand-computed 3-class case; each class's one-vs-rest part equal to the binary
 * MetricFrame built from rows recoded "this class or not" (an independent path: rows, not counts);
 * the worst-class criteria; the errors.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { buildMulticlassAudit, criteriaSummary, MetricFrame, MulticlassFrame } from "../../src/index.js";
import { assertValid } from "../helpers/schemas.js";

describe("MulticlassFrame by hand", () => {
  // Group x: (a→a), (b→c), (c→c); group y: (a→b), (b→b), (c→a).
  const mf = new MulticlassFrame({
    yTrue: ["a", "b", "c", "a", "b", "c"],
    yPred: ["a", "c", "c", "b", "b", "a"],
    sensitiveFeatures: { g: ["x", "x", "x", "y", "y", "y"] },
    minGroupSize: 1,
  });

  test("classes, accuracy, macro recall and precision, confusion matrices", () => {
    assert.deepEqual(mf.classes, ["a", "b", "c"]);
    const [x, y] = mf.byGroup;
    assert.equal(x.accuracy, 2 / 3);
    assert.equal(y.accuracy, 1 / 3);
    // x: recall a 1, b 0, c 1; precision a 1, c 1/2 (b never decided).
    assert.equal(x.macroRecall, 2 / 3);
    assert.equal(x.macroPrecision, (1 + 0.5) / 2);
    assert.deepEqual(x.confusion, [
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    assert.equal(mf.overall.accuracy, 0.5);
  });

  test("per class one-vs-rest rates, and the worst class", () => {
    const a = mf.byClass[0].frame;
    assert.equal(a.byGroup[0].metrics.selection_rate, 1 / 3);
    assert.equal(a.byGroup[1].metrics.selection_rate, 1 / 3);
    // Selection rates: b 0 vs 2/3, c 2/3 vs 0: the worst class gap is 2/3 (b first in class order).
    const worst = mf.criteria().demographic_parity_difference;
    assert.equal(worst.value, 2 / 3);
    assert.equal(worst.class, "b");
  });
});

describe("one-vs-rest equals the binary engine on rows recoded 'this class or not'", () => {
  test("property: every class, every metric and criterion", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(0, 1, 2, 3),
            fc.constantFrom(0, 1, 2, 3),
            fc.constantFrom("p", "q", "r"),
            fc.integer({ min: 1, max: 3 }),
          ),
          {
            minLength: 5,
            maxLength: 80,
          },
        ),
        (rows) => {
          const yTrue = rows.map((r) => r[0]);
          const yPred = rows.map((r) => r[1]);
          const g = rows.map((r) => r[2]);
          const w = rows.map((r) => r[3]);
          const mf = new MulticlassFrame({ yTrue, yPred, sensitiveFeatures: { g }, sampleWeight: w, minGroupSize: 1 });
          mf.classes.forEach((c, k) => {
            const binary = new MetricFrame({
              yTrue: yTrue.map((v) => (v === c ? 1 : 0)),
              yPred: yPred.map((v) => (v === c ? 1 : 0)),
              sensitiveFeatures: { g },
              sampleWeight: w,
              metrics: mf.settings.metrics,
              minGroupSize: 1,
            });
            const view = mf.byClass[k].frame;
            binary.byGroup.forEach((group, i) => {
              for (const m of mf.settings.metrics) {
                const a = group.metrics[m];
                const b = view.byGroup[i].metrics[m];
                if (Number.isNaN(a)) assert.ok(Number.isNaN(b), `${c} ${m}`);
                else assert.ok(Math.abs(a - b) < 1e-12, `${c} ${group.key} ${m}: ${a} vs ${b}`);
              }
            });
            const expected = criteriaSummary(binary.counts);
            const got = criteriaSummary(mf.byClass[k].counts);
            for (const name of Object.keys(expected) as (keyof typeof expected)[]) {
              if (Number.isNaN(expected[name])) assert.ok(Number.isNaN(got[name]));
              else assert.ok(Math.abs(expected[name] - got[name]) < 1e-12, name);
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("the multiclass audit document", () => {
  test("valid against its schema; its worst class agrees with the per-class parts", () => {
    const n = 400;
    const yTrue = Array.from({ length: n }, (_, i) => ["low", "mid", "high"][i % 3]);
    const yPred = Array.from({ length: n }, (_, i) => ["low", "mid", "high"][((i * 7) % 5) % 3]);
    const sex = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? "F" : "M"));
    const mf = new MulticlassFrame({ yTrue, yPred, sensitiveFeatures: { sex } });
    const doc = assertValid(
      buildMulticlassAudit(mf, {
        input: {
          source: "test",
          format: null,
          rows: n,
          where: null,
          y_true: "y",
          y_pred: "p",
          sensitive: ["sex"],
          weight: null,
          nulls: {},
        },
      }),
      "multiclass-audit",
    );
    const dp = doc.criteria.demographic_parity_difference;
    const part = doc.per_class.find((p) => p.label === dp.class)!;
    assert.equal(part.criteria.demographic_parity_difference, dp.value);
    for (const p of doc.per_class) assert.ok((p.criteria.demographic_parity_difference ?? 0) <= (dp.value ?? 0));
    assert.equal(doc.per_class[0].groups.length, 2);
  });
});

describe("MulticlassFrame errors", () => {
  test("a missing label names its row", () => {
    assert.throws(
      () => new MulticlassFrame({ yTrue: ["a", null], yPred: ["a", "b"], sensitiveFeatures: ["x", "y"] }),
      /yTrue has a missing value \(null\) at index 1/,
    );
  });
  test("a numeric outcome with hundreds of values is refused, pointing at regression", () => {
    const v = Array.from({ length: 500 }, (_, i) => i / 7);
    assert.throws(
      () => new MulticlassFrame({ yTrue: v, yPred: v, sensitiveFeatures: v.map(() => "a") }),
      /500 distinct values; a multiclass audit takes at most 100 classes .*regression/,
    );
  });
});
