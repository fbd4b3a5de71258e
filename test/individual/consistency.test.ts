// Consistency (Zemel et al. 2013): hand-computed cases, the tie rule, weights, groups, and real
// data (Adult, COMPAS) against an independent brute force that sorts every distance.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FairkitError, messages } from "../../src/core/errors.js";
import { consistency } from "../../src/individual/consistency.js";
import { type Matrix, takeRows, takeValues } from "../../src/models/matrix.js";
import { fitTabular } from "../../src/models/tabular.js";
import { adultFeatures, adultRows, compasFiltered, skipWithoutData } from "../helpers/data.js";

/** 1 − mean |ŷᵢ − mean ŷ over kNN(i)|, the neighbours found by sorting (distance, index) over all rows. */
function bruteInconsistency(X: Matrix, yPred: ArrayLike<number>, k: number, queries: readonly number[]): number[] {
  const { rows: n, cols: d, data } = X;
  return queries.map((i) => {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = data[i * d + c] - data[j * d + c];
        s += t * t;
      }
      all.push([Math.sqrt(s), j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let mean = 0;
    for (let r = 0; r < k; r++) mean += yPred[all[r][1]];
    return Math.abs(yPred[i] - mean / k);
  });
}

/** Adult's features (numerics standardised, categoricals one-hot) and a rule's decisions. */
function adult(): { X: Matrix; yPred: Uint8Array; sex: string[] } {
  const rows = adultRows();
  const X = adultFeatures(rows);
  // The rule: a degree (education-num ≥ 13) and full-time hours, or capital gains over 5,000.
  const yPred = Uint8Array.from(rows, (r) =>
    (Number(r["education-num"]) >= 13 && Number(r["hours-per-week"]) >= 40) || Number(r["capital-gain"]) > 5000 ? 1 : 0,
  );
  return { X, yPred, sex: rows.map((r) => r.sex) };
}

describe("consistency", () => {
  it("matches the hand computation, the row its own first neighbour", () => {
    // X = 0, 1, 2, 10; ŷ = 0, 0, 1, 1; k = 2. Neighbours: {0,1} {1,0} (rows 0 and 2 tie at 1: lower
    // index) {2,1} {3,2}. Means 0, 0, 0.5, 1 → |ŷ − mean| = 0, 0, 0.5, 0 → 1 − 0.5/4 = 0.875.
    const r = consistency({ X: [[0], [1], [2], [10]], yPred: [0, 0, 1, 1], k: 2 });
    assert.equal(r.value, 0.875);
    assert.deepEqual(Array.from(r.perRow), [0, 0, 0.5, 0]);
    assert.equal(r.n, 4);
    assert.equal(r.k, 2);
    assert.deepEqual(r.worst[0], { index: 2, value: 0.5, yPred: 1, neighbors: [2, 1] });
    // The rest tie at 0: lower index first.
    assert.deepEqual(
      r.worst.map((w) => w.index),
      [2, 0, 1, 3],
    );
  });

  it("leaves the row out with includeSelf false", () => {
    // Row 0: rows 1 (d 1), 2 (d 2) → mean 0.5 → 0.5. Row 1: rows 0 and 2 (both d 1) → 0.5 → 0.5.
    // Row 2: rows 1 (d 1), 0 (d 2) → 0 → |1 − 0| = 1. Row 3: rows 2 (d 8), 1 (d 9) → 0.5 → 0.5.
    // 1 − (0.5 + 0.5 + 1 + 0.5) / 4 = 0.375.
    const r = consistency({ X: [[0], [1], [2], [10]], yPred: [0, 0, 1, 1], k: 2, includeSelf: false });
    assert.equal(r.value, 0.375);
    assert.deepEqual(Array.from(r.perRow), [0.5, 0.5, 1, 0.5]);
    assert.equal(r.includeSelf, false);
  });

  it("breaks distance ties by the lower row index", () => {
    // Row 0 (x = 0) has rows 1 (x = 1) and 2 (x = −1) both at distance 1; k = 2 takes itself and row 1.
    // ŷ = 0, 1, 0: row 0's mean is (0 + 1)/2 → 0.5 (row 2 instead would give 0).
    const r = consistency({ X: [[0], [1], [-1]], yPred: [0, 1, 0], k: 2 });
    assert.equal(r.perRow[0], 0.5);
    // Row 1: itself and row 0 → 0.5; row 2: itself and row 0 → 0. 1 − (0.5 + 0.5 + 0)/3.
    assert.equal(r.value, 1 - 1 / 3);
  });

  it("weights the mean over rows (not the neighbour means), with scores as predictions", () => {
    // Scores 0.2, 0.4, 0.9, 1 on X = 0, 1, 2, 10, k = 2: neighbour means (0.2+0.4)/2 = 0.3,
    // (0.4+0.2)/2 = 0.3, (0.9+0.4)/2 = 0.65, (1+0.9)/2 = 0.95 → |ŷ − mean| = 0.1, 0.1, 0.25, 0.05.
    // Weights 1, 1, 2, 0: (0.1 + 0.1 + 0.5 + 0) / 4 = 0.175 → 0.825.
    const r = consistency({ X: [[0], [1], [2], [10]], yPred: [0.2, 0.4, 0.9, 1], k: 2, sampleWeight: [1, 1, 2, 0] });
    assert.ok(Math.abs(r.value - 0.825) < 1e-15);
    const expected = [0.1, 0.1, 0.25, 0.05];
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.perRow[i] - expected[i]) < 1e-15);
  });

  it("standardises columns when asked", () => {
    // X = (0, 0), (0, 100), (2, 0), (2, 100); ŷ = 0, 1, 0, 1; k = 2 (self and one more).
    // As given, column 1 dominates: each row's nearest other differs only in column 0 (d 2), with the
    // same ŷ → every |ŷ − mean| is 0 → 1. Z-scored (mean 1, SD 1; mean 50, SD 50) the rows are (±1, ±1)
    // and both others at distance 2 tie: the lower index wins. Row 0 → row 1: mean 0.5 → 0.5; row 1 →
    // row 0: 0.5; row 2 → row 0: mean 0 → 0; row 3 → row 1: mean 1 → 0. 1 − 1/4 = 0.75.
    const X = [
      [0, 0],
      [0, 100],
      [2, 0],
      [2, 100],
    ];
    const raw = consistency({ X, yPred: [0, 1, 0, 1], k: 2 });
    assert.equal(raw.value, 1);
    const z = consistency({ X, yPred: [0, 1, 0, 1], k: 2, standardize: true });
    assert.deepEqual(Array.from(z.perRow), [0.5, 0.5, 0, 0]);
    assert.equal(z.value, 0.75);
    assert.deepEqual(
      z.worst.map((w) => w.neighbors),
      [
        [0, 1],
        [1, 0],
        [2, 0],
        [3, 1],
      ],
    );
  });

  it("breaks the inconsistency down by group with a seeded bootstrap interval", () => {
    const X = [[0], [1], [2], [10], [11], [12]];
    const yPred = [0, 0, 1, 1, 1, 0];
    const r = consistency({ X, yPred, k: 2, sensitiveFeatures: { g: ["a", "a", "a", "b", "b", "b"] } });
    // perRow: rows 0, 1 → 0; row 2 → |1 − 0.5| = 0.5; row 3 (self, row 4) → 0; row 4 (self, row 3) → 0;
    // row 5 (self, row 4) → |0 − 0.5| = 0.5. Group a: 0.5/3, group b: 0.5/3.
    assert.deepEqual(Array.from(r.perRow), [0, 0, 0.5, 0, 0, 0.5]);
    assert.deepEqual(r.columns, ["g"]);
    assert.deepEqual(
      r.groups?.map((g) => [g.group.key, g.n, g.inconsistency, g.consistency]),
      [
        ["a", 3, 0.5 / 3, 1 - 0.5 / 3],
        ["b", 3, 0.5 / 3, 1 - 0.5 / 3],
      ],
    );
    for (const g of r.groups ?? []) {
      assert.ok(g.interval[0] <= g.inconsistency && g.inconsistency <= g.interval[1]);
      assert.ok(g.interval[0] >= 0 && g.interval[1] <= 0.5);
    }
    const again = consistency({ X, yPred, k: 2, sensitiveFeatures: { g: ["a", "a", "a", "b", "b", "b"] } });
    assert.deepEqual(again.groups, r.groups);
  });

  it("rejects predictions outside [0, 1] and mismatched lengths", () => {
    const bad = (f: () => unknown, message: string) =>
      assert.throws(f, (e: unknown) => e instanceof FairkitError && e.message === message);
    bad(() => consistency({ X: [[0], [1]], yPred: [0, 2], k: 1 }), messages.scoreNotProbability("yPred", 1, 2));
    bad(() => consistency({ X: [[0], [1]], yPred: [0], k: 1 }), messages.lengthMismatch("yPred", 1, "X", 2));
    bad(
      () => consistency({ X: [[0], [1]], yPred: [0, 1], k: 1, sampleWeight: [1, -1] }),
      messages.badWeight("sampleWeight", 1, -1),
    );
    bad(() => consistency({ X: [[0], [1]], yPred: [0, 1], k: 3 }), messages.tooManyNeighbors(3, 2, 2, false));
    bad(
      () => consistency({ X: [[0], [1]], yPred: [0, 1], k: 1, worst: -1 }),
      messages.notNonNegativeInteger("worst", -1),
    );
  });

  it("Adult: equals a brute force over every distance (1,800 rows), and the full-data tree on 100 rows", {
    skip: skipWithoutData("adult.data"),
  }, () => {
    const { X, yPred, sex } = adult();
    const n = X.rows;
    // A deterministic subset: every 18th row.
    const pick = Array.from({ length: Math.floor(n / 18) }, (_, i) => i * 18);
    const Xs = takeRows(X, pick);
    const ys = takeValues(yPred, pick);
    const sub = consistency({ X: Xs, yPred: ys, k: 5, method: "tree" });
    const brute = bruteInconsistency(
      Xs,
      ys,
      5,
      pick.map((_, i) => i),
    );
    assert.deepEqual(Array.from(sub.perRow), brute);
    const mean = brute.reduce((s, v) => s + v, 0) / brute.length;
    assert.ok(Math.abs(sub.value - (1 - mean)) < 1e-12);

    const full = consistency({ X, yPred, k: 5, sensitiveFeatures: { sex }, bootstrap: { n: 200 } });
    const queries = Array.from({ length: 100 }, (_, i) => (i * 7919) % n);
    assert.deepEqual(
      queries.map((i) => full.perRow[i]),
      bruteInconsistency(X, yPred, 5, queries),
    );
    assert.ok(full.value > 0.8 && full.value < 1, `consistency ${full.value}`);
    assert.deepEqual(
      full.groups?.map((g) => g.group.key),
      ["Female", "Male"],
    );
  });

  it("COMPAS (6,172 rows): decile_score ≥ 5 against a brute force over every distance", {
    skip: skipWithoutData("compas-scores-two-years.csv"),
  }, () => {
    const rows = compasFiltered();
    const numeric = ["age", "priors_count", "juv_fel_count", "juv_misd_count", "juv_other_count"];
    const categorical = ["c_charge_degree", "sex", "race"];
    const table: Record<string, string[]> = {};
    for (const c of [...numeric, ...categorical]) table[c] = rows.map((r) => r[c]);
    const X = fitTabular(table, { columns: [...numeric, ...categorical], numeric, categorical }).transform(table);
    assert.equal(X.rows, 6172);
    const yPred = Uint8Array.from(rows, (r) => (Number(r.decile_score) >= 5 ? 1 : 0));
    const tree = consistency({ X, yPred, k: 5, method: "tree" });
    const bruteForce = consistency({ X, yPred, k: 5, method: "brute" });
    assert.deepEqual(tree.perRow, bruteForce.perRow);
    assert.equal(tree.value, bruteForce.value);
    // Every 5th row against the independent sort (1,235 rows, each against all 6,172).
    const queries = Array.from({ length: Math.ceil(6172 / 5) }, (_, i) => i * 5);
    assert.deepEqual(
      queries.map((i) => tree.perRow[i]),
      bruteInconsistency(X, yPred, 5, queries),
    );
    assert.ok(tree.value > 0.7 && tree.value < 0.95, `consistency ${tree.value}`);
  });
});
