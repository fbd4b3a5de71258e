import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Cell,
  cellRows,
  cellWeight,
  confusionFromJSON,
  confusionFromRows,
  confusionToJSON,
  groupCells,
  mergeConfusion,
  totalCells,
} from "../../src/index.js";

describe("confusion counts", () => {
  const rows = {
    yTrue: [1, 1, 0, 0, 1, 0, 1],
    yPred: [1, 0, 1, 0, 1, 0, 0],
    sensitiveFeatures: ["a", "a", "a", "a", "b", "b", "b"],
  };

  test("hand-counted cells per group", () => {
    const table = confusionFromRows(rows);
    const a = groupCells(table, 0);
    assert.deepEqual(
      [Cell.TN, Cell.FP, Cell.FN, Cell.TP].map((c) => cellRows(a, c)),
      [1, 1, 1, 1],
    );
    const b = groupCells(table, 1);
    assert.deepEqual(
      [Cell.TN, Cell.FP, Cell.FN, Cell.TP].map((c) => cellRows(b, c)),
      [1, 0, 1, 1],
    );
    assert.deepEqual(
      [Cell.TN, Cell.FP, Cell.FN, Cell.TP].map((c) => cellWeight(totalCells(table), c)),
      [2, 1, 2, 2],
    );
  });

  test("weights: weight, squared weight and rows kept per cell", () => {
    const table = confusionFromRows({ ...rows, sampleWeight: [2, 1, 1, 1, 3, 1, 0.5] });
    const b = groupCells(table, 1);
    // b: TP (w 3), TN (w 1), FN (w 0.5)
    assert.equal(cellWeight(b, Cell.TP), 3);
    assert.equal(b[Cell.TP * 3 + 1], 9);
    assert.equal(cellWeight(b, Cell.FN), 0.5);
    assert.equal(b[Cell.FN * 3 + 1], 0.25);
    assert.equal(cellRows(b, Cell.FN), 1);
  });

  test("merge adds; groups missing from one side are kept", () => {
    const first = confusionFromRows({ yTrue: [1, 0], yPred: [1, 1], sensitiveFeatures: { g: ["a", "b"] } });
    const second = confusionFromRows({ yTrue: [1, 1], yPred: [1, 0], sensitiveFeatures: { g: ["b", "c"] } });
    const merged = mergeConfusion(first, second);
    assert.deepEqual(
      merged.groups.map((g) => g.key),
      ["a", "b", "c"],
    );
    const b = groupCells(merged, 1);
    assert.equal(cellRows(b, Cell.FP), 1);
    assert.equal(cellRows(b, Cell.TP), 1);
    assert.throws(
      () => mergeConfusion(first, confusionFromRows({ yTrue: [1], yPred: [1], sensitiveFeatures: { h: ["a"] } })),
      /different sensitive columns/,
    );
  });

  test("JSON round trip is exact", () => {
    const table = confusionFromRows({ ...rows, sampleWeight: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] });
    const back = confusionFromJSON(JSON.parse(JSON.stringify(confusionToJSON(table))));
    assert.deepEqual([...back.data], [...table.data]);
    assert.deepEqual(back.groups, table.groups);
    assert.equal(confusionToJSON(table).groups[1].cells.tp.weight, 0.5);
  });
});
