import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { reweighing } from "../../src/mitigation/pre/reweighing.js";
import { adultRows, skipWithoutData } from "../helpers/data.js";

describe("reweighing", () => {
  it("gives the hand-computed weights P(a)P(y)/P(a,y)", () => {
    const { sampleWeight, cells } = reweighing([1, 1, 0, 0, 0, 1], { sex: ["F", "M", "F", "F", "M", "M"] });
    assert.deepEqual(Array.from(sampleWeight), [1.5, 0.75, 0.75, 0.75, 1.5, 0.75]);
    assert.deepEqual(
      cells.map((c) => [c.group, c.label, c.rows, c.weight]),
      [
        ["F", 0, 2, 0.75],
        ["F", 1, 1, 1.5],
        ["M", 0, 1, 1.5],
        ["M", 1, 2, 0.75],
      ],
    );
  });

  it("makes the weighted base rate equal in every group (property), keeping the total weight", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.double({ min: 0.1, max: 5, noNaN: true })), {
          minLength: 2,
          maxLength: 80,
        }),
        (rows) => {
          const y = rows.map((r) => r[1]);
          const group = rows.map((r) => `g${r[0]}`);
          const w = rows.map((r) => r[2]);
          const { sampleWeight } = reweighing(y, group, { sampleWeight: w });
          const totalIn = w.reduce((a, b) => a + b, 0);
          const totalOut = sampleWeight.reduce((a, b) => a + b, 0);
          const overall = rows.reduce((s, r) => s + (r[1] ? r[2] : 0), 0) / totalIn;
          // A group whose cells are all of one label cannot be rebalanced; only check mixed groups.
          for (const g of new Set(group)) {
            const idx = group.map((x, i) => (x === g ? i : -1)).filter((i) => i >= 0);
            if (new Set(idx.map((i) => y[i])).size < 2) return;
          }
          assert.ok(Math.abs(totalOut - totalIn) < 1e-9 * totalIn);
          for (const g of new Set(group)) {
            let pos = 0;
            let all = 0;
            group.forEach((x, i) => {
              if (x !== g) return;
              all += sampleWeight[i];
              if (y[i]) pos += sampleWeight[i];
            });
            assert.ok(Math.abs(pos / all - overall) < 1e-9, `${g}: ${pos / all} vs ${overall}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("matches the closed form on Adult's four (sex, label) cells (train = first 22,793 rows)", {
    skip: skipWithoutData("adult.data"),
  }, () => {
    const rows = adultRows().slice(0, 22793);
    const y = rows.map((r) => (r.income.startsWith(">50K") ? 1 : 0));
    const sex = rows.map((r) => r.sex);
    const count: Record<string, number> = {};
    for (let i = 0; i < rows.length; i++) count[`${sex[i]}|${y[i]}`] = (count[`${sex[i]}|${y[i]}`] ?? 0) + 1;
    const n = rows.length;
    const nSex = (s: string) => (count[`${s}|0`] ?? 0) + (count[`${s}|1`] ?? 0);
    const nY = (l: number) => (count[`Female|${l}`] ?? 0) + (count[`Male|${l}`] ?? 0);
    const { cells, sampleWeight } = reweighing(y, { sex });
    assert.equal(cells.length, 4);
    for (const c of cells) {
      const closed = (nSex(c.group) * nY(c.label)) / (n * count[`${c.group}|${c.label}`]);
      assert.ok(Math.abs(c.weight - closed) < 1e-12, `${c.group}, ${c.label}: ${c.weight} vs ${closed}`);
    }
    // Women with high income are the rarest cell, so they weigh the most (about 2.2).
    const femalePos = cells.find((c) => c.group === "Female" && c.label === 1)!;
    assert.ok(femalePos.weight > 2 && femalePos.weight < 2.5, String(femalePos.weight));
    assert.equal(sampleWeight.length, n);
  });
});
