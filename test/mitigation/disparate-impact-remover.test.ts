import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DisparateImpactRemover } from "../../src/mitigation/pre/disparate-impact-remover.js";
import { type Matrix, column, toMatrix } from "../../src/models/matrix.js";
import { createRandom } from "../../src/core/random.js";

function twoGroups(): { X: Matrix; group: string[] } {
  const rng = createRandom(2);
  const rows: number[][] = [];
  const group: string[] = [];
  for (let i = 0; i < 400; i++) {
    const g = i % 2 === 0 ? "a" : "b";
    // Group b's feature is shifted and stretched; column 1 is left alone.
    const v = g === "a" ? rng.normal() : 3 + 2 * rng.normal();
    rows.push([v, i]);
    group.push(g);
  }
  return { X: toMatrix(rows), group };
}

function groupValues(X: Matrix, group: string[], g: string, c: number): number[] {
  const values = column(X, c);
  return group.flatMap((x, i) => (x === g ? [values[i]] : [])).sort((p, q) => p - q);
}

describe("DisparateImpactRemover", () => {
  it("changes nothing at repair level 0", () => {
    const { X, group } = twoGroups();
    const out = new DisparateImpactRemover({ repairLevel: 0 }).fitTransform(X, group);
    for (let k = 0; k < X.data.length; k++) assert.ok(Math.abs(out.data[k] - X.data[k]) < 1e-12);
  });

  it("makes the groups' distributions equal at level 1, keeping the order within each group", () => {
    const { X, group } = twoGroups();
    const out = new DisparateImpactRemover({ repairLevel: 1, columns: [0] }).fitTransform(X, group);
    const a = groupValues(out, group, "a", 0);
    const b = groupValues(out, group, "b", 0);
    // Same sorted values (both groups have 200 rows): the largest gap is tiny.
    let gap = 0;
    for (let k = 0; k < a.length; k++) gap = Math.max(gap, Math.abs(a[k] - b[k]));
    assert.ok(gap < 0.05, `gap ${gap}`);
    // The means were 0 and 3; repaired, both sit at the median distribution's mean (≈ 1.5).
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    assert.ok(Math.abs(mean(a) - mean(b)) < 0.01);
    assert.ok(Math.abs(mean(a) - 1.5) < 0.3, String(mean(a)));
    // Rank preserved within a group.
    const before = column(X, 0);
    const after = column(out, 0);
    const idx = group.flatMap((g, i) => (g === "a" ? [i] : []));
    const sortedBefore = [...idx].sort((p, q) => before[p] - before[q]);
    const sortedAfter = [...idx].sort((p, q) => after[p] - after[q] || before[p] - before[q]);
    assert.deepEqual(sortedAfter, sortedBefore);
    // Column 1 untouched.
    assert.deepEqual(Array.from(column(out, 1)), Array.from(column(X, 1)));
  });

  it("blends linearly at level 0.5 and round-trips through JSON", () => {
    const { X, group } = twoGroups();
    const full = new DisparateImpactRemover({ repairLevel: 1, columns: [0] }).fitTransform(X, group);
    const half = new DisparateImpactRemover({ repairLevel: 0.5, columns: [0] }).fit(X, group);
    const out = half.transform(X, group);
    for (let i = 0; i < X.rows; i++) {
      assert.ok(Math.abs(out.data[i * 2] - (0.5 * X.data[i * 2] + 0.5 * full.data[i * 2])) < 1e-9);
    }
    const back = DisparateImpactRemover.fromJSON(JSON.parse(JSON.stringify(half)));
    assert.deepEqual(Array.from(back.transform(X, group).data), Array.from(out.data));
    assert.throws(
      () =>
        half.transform(
          X,
          group.map(() => "c"),
        ),
      /group "c" was not seen/,
    );
  });
});
