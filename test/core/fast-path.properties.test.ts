// The fused fast path for typed inputs (fastRowsAndCounts in src/core/prepare.ts) gives exactly what
// the general path gives: the same group codes, groups (values, labels, order), missing counts and
// confusion sums, on random data with every column kind it takes; and it steps aside (undefined)
// whenever a label, decision or code is out of range, so that the general path names the row.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { countConfusion } from "../../src/core/confusion.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { fastRowsAndCounts, prepareRows } from "../../src/core/prepare.js";

type Kind = "int32" | "uint8" | "int16" | "categorical";
const LEVELS = ["b", "a", "10", "9", "c"];

function column(kind: Kind, values: number[]) {
  if (kind === "int32") return Int32Array.from(values, (v) => v - 3);
  if (kind === "uint8") return Uint8Array.from(values);
  if (kind === "int16") return Int16Array.from(values, (v) => v * 1000 - 2000);
  return { codes: Int32Array.from(values), levels: LEVELS };
}

const data = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.record({
    yTrue: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    yPred: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    columns: fc.array(
      fc.record({
        kind: fc.constantFrom<Kind>("int32", "uint8", "int16", "categorical"),
        values: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

function input(d: { yTrue: number[]; yPred: number[]; columns: { kind: Kind; values: number[] }[] }) {
  return {
    yTrue: Uint8Array.from(d.yTrue),
    yPred: Uint8Array.from(d.yPred),
    sensitiveFeatures: Object.fromEntries(d.columns.map((c, j) => [`s${j}`, column(c.kind, c.values)])),
  };
}

describe("the fused fast path", () => {
  test("equals the general path on every column kind it takes", () => {
    fc.assert(
      fc.property(data, (d) => {
        const rows = input(d);
        const fast = fastRowsAndCounts(rows);
        assert.ok(fast, "typed inputs take the fast path");
        const general = prepareRows(rows);
        const table = countConfusion(general.yTrue, general.yPred, general.encoding, general.weights);
        assert.deepEqual(Array.from(fast.rows.encoding.codes), Array.from(general.encoding.codes));
        assert.deepEqual(fast.rows.encoding.groups, general.encoding.groups);
        assert.deepEqual(fast.rows.encoding.missing, general.encoding.missing);
        assert.deepEqual(fast.rows.encoding.columns, general.encoding.columns);
        assert.deepEqual(Array.from(fast.table.data), Array.from(table.data));
        assert.deepEqual(fast.table.groups, table.groups);
        assert.deepEqual(Array.from(fast.rows.yTrue), Array.from(general.yTrue));
        assert.deepEqual(Array.from(fast.rows.yPred), Array.from(general.yPred));
      }),
      { numRuns: 300 },
    );
  });

  test("steps aside when a label, a decision or a code is out of range, and the general path names the row", () => {
    const base = { yTrue: Uint8Array.from([0, 1, 1, 0]), yPred: Uint8Array.from([1, 1, 0, 0]) };
    const g = Int32Array.from([0, 1, 0, 1]);
    assert.equal(
      fastRowsAndCounts({ ...base, yTrue: Uint8Array.from([0, 2, 1, 0]), sensitiveFeatures: { g } }),
      undefined,
    );
    assert.throws(
      () =>
        new MetricFrame({
          metrics: "accuracy",
          ...base,
          yTrue: Uint8Array.from([0, 2, 1, 0]),
          sensitiveFeatures: { g },
        }),
      /index 1/,
    );
    const missingCode = { codes: Int32Array.from([0, -1, 1, 0]), levels: ["x", "y"] };
    assert.equal(fastRowsAndCounts({ ...base, sensitiveFeatures: { g: missingCode } }), undefined);
    // The general path takes the missing code as a missing value: its own group.
    const mf = new MetricFrame({ metrics: "accuracy", ...base, sensitiveFeatures: { g: missingCode } });
    assert.equal(mf.missing.g, 1);
    const tooLarge = { codes: Int32Array.from([0, 2, 1, 0]), levels: ["x", "y"] };
    assert.equal(fastRowsAndCounts({ ...base, sensitiveFeatures: { g: tooLarge } }), undefined);
    assert.throws(
      () => new MetricFrame({ metrics: "accuracy", ...base, sensitiveFeatures: { g: tooLarge } }),
      /index 1/,
    );
    // Weights, labels given by value and plain arrays take the general path.
    assert.equal(fastRowsAndCounts({ ...base, sensitiveFeatures: { g }, sampleWeight: [1, 1, 1, 1] }), undefined);
    assert.equal(fastRowsAndCounts({ ...base, sensitiveFeatures: { g: [0, 1, 0, 1] } }), undefined);
  });
});
