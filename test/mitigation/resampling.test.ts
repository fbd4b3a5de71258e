import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resample } from "../../src/mitigation/pre/resampling.js";

// Group a: 6 rows, 4 positive; group b: 6 rows, 1 positive. n = 12, 5 positive.
const y = [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0];
const group = ["a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b"];
const scores = [0.9, 0.8, 0.3, 0.6, 0.2, 0.7, 0.4, 0.1, 0.5, 0.2, 0.3, 0.05];

describe("resample", () => {
  it("brings each cell to round(n·P(a)·P(y)) rows (uniform, seeded)", () => {
    const { index, cells } = resample(y, group, { seed: 3 });
    // Expected sizes: a,1 and b,1: 6·5/12 = 2.5 → 3 (round half up); a,0 and b,0: 6·7/12 = 3.5 → 4.
    assert.deepEqual(
      cells.map((c) => [c.group, c.label, c.before, c.after]),
      [
        ["a", 0, 2, 4],
        ["a", 1, 4, 3],
        ["b", 0, 5, 4],
        ["b", 1, 1, 3],
      ],
    );
    assert.equal(index.length, 14);
    assert.deepEqual(resample(y, group, { seed: 3 }).index, index);
    // Every drawn row comes from its own cell.
    const positivesB = Array.from(index).filter((i) => group[i] === "b" && y[i] === 1);
    assert.deepEqual(positivesB, [6, 6, 6]);
  });

  it("drops and duplicates the rows nearest the boundary first (preferential)", () => {
    const { index } = resample(y, group, { method: "preferential", scores });
    const rows = Array.from(index);
    // a,1 (scores 0.9, 0.8, 0.3, 0.6) keeps 3: drops row 2 (0.3, the lowest-scored positive).
    assert.deepEqual(
      rows.filter((i) => group[i] === "a" && y[i] === 1),
      [0, 1, 3],
    );
    // a,0 (rows 4: 0.2, 5: 0.7) grows to 4: duplicates row 5 (highest-scored negative), then row 4.
    assert.deepEqual(
      rows.filter((i) => group[i] === "a" && y[i] === 0),
      [4, 4, 5, 5],
    );
    // b,0 (0.1, 0.5, 0.2, 0.3, 0.05) keeps 4: drops row 8 (0.5).
    assert.deepEqual(
      rows.filter((i) => group[i] === "b" && y[i] === 0),
      [7, 9, 10, 11],
    );
    assert.throws(() => resample(y, group, { method: "preferential" }), /needs scores/);
  });
});
