// Exact k-nearest neighbours: hand-computed cases, the (distance, index) tie rule, the errors, and
// the ball tree against brute force (and against an independent sort of every distance) on data
// full of ties.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { FairkitError, messages } from "../../src/core/errors.js";
import { createRandom } from "../../src/core/random.js";
import {
  type DistanceMetric,
  nearestNeighbors,
  pairDistance,
  standardizeColumns,
} from "../../src/individual/neighbors.js";
import { type Matrix, toMatrix } from "../../src/models/matrix.js";

/** The k nearest by sorting every distance (columns summed in order, as the definition reads). */
function sortedNeighbors(X: Matrix, k: number, metric: DistanceMetric, includeSelf: boolean) {
  const { rows: n, cols: d, data } = X;
  const index: number[][] = [];
  const distance: number[][] = [];
  for (let i = 0; i < n; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (!includeSelf && j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = data[i * d + c] - data[j * d + c];
        s += metric === "manhattan" ? Math.abs(t) : t * t;
      }
      all.push([metric === "manhattan" ? s : Math.sqrt(s), j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    index.push(all.slice(0, k).map((e) => e[1]));
    distance.push(all.slice(0, k).map((e) => e[0]));
  }
  return { index, distance };
}

function rowsOf<T extends Int32Array | Float64Array>(flat: T, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += k) out.push(Array.from(flat.subarray(i, i + k)));
  return out;
}

function sameResult(a: ReturnType<typeof nearestNeighbors>, b: ReturnType<typeof nearestNeighbors>): void {
  assert.deepEqual(a.index, b.index);
  assert.deepEqual(a.distance, b.distance);
}

describe("nearestNeighbors", () => {
  it("orders by (distance, row index): a duplicate with a lower index comes before the row itself", () => {
    // X = 0, 1, 3, 1. Row 3 is at distance 0 from rows 1 and 3: lower index first, so row 3's
    // first neighbour is row 1. Row 1: itself (0), row 3 (0); rows 0 and 2 (1 and 2) are farther.
    const X = toMatrix([[0], [1], [3], [1]]);
    for (const method of ["brute", "tree"] as const) {
      const nn = nearestNeighbors(X, { k: 2, method, leafSize: 1 });
      assert.deepEqual(rowsOf(nn.index, 2), [
        [0, 1],
        [1, 3],
        [2, 1], // rows 1 and 3 both at 2: row 1
        [1, 3],
      ]);
      assert.deepEqual(rowsOf(nn.distance, 2), [
        [0, 1],
        [0, 0],
        [0, 2],
        [0, 0],
      ]);
      assert.equal(nn.method, method);
    }
  });

  it("leaves a row out by index when includeSelf is false, but keeps its duplicates", () => {
    const X = toMatrix([[0], [1], [3], [1]]);
    const nn = nearestNeighbors(X, { k: 2, includeSelf: false, method: "tree", leafSize: 1 });
    // Row 0: 1 (d 1), 3 (d 1). Row 1: 3 (d 0), 0 (d 1). Row 2: 1, 3 (d 2 both). Row 3: 1 (d 0), 0 (d 1).
    assert.deepEqual(rowsOf(nn.index, 2), [
      [1, 3],
      [3, 0],
      [1, 3],
      [1, 0],
    ]);
    assert.deepEqual(rowsOf(nn.distance, 2), [
      [1, 1],
      [0, 1],
      [2, 2],
      [0, 1],
    ]);
    assert.equal(nn.includeSelf, false);
    sameResult(nn, nearestNeighbors(X, { k: 2, includeSelf: false, method: "brute" }));
  });

  it("computes Euclidean and Manhattan distances (3-4-5 and 1+2)", () => {
    const X = toMatrix([
      [0, 0],
      [3, 4],
      [1, 2],
    ]);
    // Euclidean from row 0: row 2 √5 = 2.236…, row 1 5. Manhattan: row 2 3, row 1 7.
    const e = nearestNeighbors(X, { k: 3 });
    assert.deepEqual(Array.from(e.index.subarray(0, 3)), [0, 2, 1]);
    assert.deepEqual(Array.from(e.distance.subarray(0, 3)), [0, Math.sqrt(5), 5]);
    const m = nearestNeighbors(X, { k: 3, metric: "manhattan" });
    assert.deepEqual(Array.from(m.distance.subarray(0, 3)), [0, 3, 7]);
    // Row 1 to row 2: (2, 2): √8 and 4.
    assert.equal(pairDistance(X, 1, 2), Math.sqrt(8));
    assert.equal(pairDistance(X, 2, 1, "manhattan"), 4);
  });

  it("finds the neighbours of other points with queries (no row is left out)", () => {
    const X = toMatrix([[0], [2], [4], [6]]);
    const nn = nearestNeighbors(X, { k: 2, queries: [[3], [6.5]], includeSelf: false, method: "tree", leafSize: 1 });
    // 3: rows 1 and 2 at 1 (lower index first). 6.5: row 3 at 0.5, row 2 at 2.5.
    assert.deepEqual(Array.from(nn.index), [1, 2, 3, 2]);
    assert.deepEqual(Array.from(nn.distance), [1, 1, 0.5, 2.5]);
    assert.equal(nn.rows, 2);
    sameResult(nn, nearestNeighbors(X, { k: 2, queries: [[3], [6.5]], method: "brute" }));
  });

  it("gives the lowest indexes when every row is the same", () => {
    const X = toMatrix(Array.from({ length: 300 }, () => [1, 2, 3]));
    for (const includeSelf of [true, false]) {
      const tree = nearestNeighbors(X, { k: 4, method: "tree", includeSelf });
      sameResult(tree, nearestNeighbors(X, { k: 4, method: "brute", includeSelf }));
      assert.deepEqual(Array.from(tree.index.subarray(0, 4)), includeSelf ? [0, 1, 2, 3] : [1, 2, 3, 4]);
      assert.deepEqual(Array.from(tree.index.subarray(299 * 4, 300 * 4)), [0, 1, 2, 3]);
      assert.ok(tree.distance.every((d) => d === 0));
    }
  });

  it("standardizeColumns z-scores by the population SD and zeroes constant columns", () => {
    // Column 0: 1, 2, 3 → mean 2, SD √(2/3); column 1 constant.
    const Z = standardizeColumns([
      [1, 7],
      [2, 7],
      [3, 7],
    ]);
    const sd = Math.sqrt(2 / 3);
    assert.deepEqual(Array.from(Z.data), [-1 / sd, 0, 0, 0, 1 / sd, 0]);
  });

  it("rejects bad input with messages that name the option", () => {
    const X = toMatrix([[0], [1], [2]]);
    const bad = (f: () => unknown, message: string) =>
      assert.throws(f, (e: unknown) => e instanceof FairkitError && e.message === message);
    bad(() => nearestNeighbors(X, { k: 0 }), messages.notPositiveInteger("k", 0));
    bad(() => nearestNeighbors(X, { k: 1.5 }), messages.notPositiveInteger("k", 1.5));
    bad(() => nearestNeighbors(X, { k: 4 }), messages.tooManyNeighbors(4, 3, 3, false));
    bad(() => nearestNeighbors(X, { k: 3, includeSelf: false }), messages.tooManyNeighbors(3, 2, 3, true));
    assert.throws(() => nearestNeighbors(X, { k: 3, includeSelf: false }), /k is 3 but each row has only 2 other rows/);
    bad(() => nearestNeighbors(toMatrix([]), { k: 1 }), messages.empty("X"));
    bad(() => nearestNeighbors([[0], [Number.NaN]], { k: 1 }), messages.nonFiniteFeature("X", Number.NaN, 1, 0));
    bad(() => nearestNeighbors(X, { k: 1, queries: [[0, 1]] }), messages.queriesWidth(2, 1));
    bad(
      () => nearestNeighbors(X, { k: 1, metric: "cosine" as never }),
      messages.notOneOf("metric", ["euclidean", "manhattan"], "cosine"),
    );
    assert.throws(
      () => nearestNeighbors(X, { method: "kd" as never }),
      /method must be "auto" or "tree" or "brute"; got "kd"/,
    );
  });

  it("the tree equals brute force exactly on small-integer data full of duplicates (property)", () => {
    const matrix = fc
      .record({
        cols: fc.integer({ min: 1, max: 8 }),
        rows: fc.integer({ min: 2, max: 60 }),
        distinct: fc.integer({ min: 1, max: 12 }),
        seed: fc.integer(),
        zeros: fc.constantFrom(0, 0.85),
      })
      .map(({ cols, rows, distinct, seed, zeros }) => {
        // A few distinct rows of values in {-2..2}, repeated: ties of every kind. With 85% zeros
        // the search takes its sparse path, which must give the same floats.
        const rng = createRandom(seed);
        const value = () => (rng.next() < zeros ? 0 : rng.int(5) - 2);
        const pool = Array.from({ length: distinct }, () => Array.from({ length: cols }, value));
        return toMatrix(Array.from({ length: rows }, () => pool[rng.int(distinct)]));
      });
    fc.assert(
      fc.property(
        matrix,
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom<DistanceMetric>("euclidean", "manhattan"),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        (X, kWanted, metric, includeSelf, leafSize) => {
          const k = Math.min(kWanted, includeSelf ? X.rows : X.rows - 1);
          const tree = nearestNeighbors(X, { k, metric, includeSelf, method: "tree", leafSize });
          const brute = nearestNeighbors(X, { k, metric, includeSelf, method: "brute" });
          sameResult(tree, brute);
          const expected = sortedNeighbors(X, k, metric, includeSelf);
          assert.deepEqual(rowsOf(tree.index, k), expected.index);
          assert.deepEqual(rowsOf(tree.distance, k), expected.distance);
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });

  it("the tree equals brute force and a sort of every distance on 3,000 rows, dense and one-hot", () => {
    const rng = createRandom(7);
    // Dense: a normal, the same rounded to 0.5 (ties), a 0/1 indicator, a 3-level code. One-hot: a
    // normal and two categoricals of 4 and 6 levels as indicators (12 columns, 3 non-zero).
    const dense = Array.from({ length: 3000 }, () => {
      const z = rng.normal();
      return [z, Math.round(z * 2) / 2, rng.int(2), rng.int(3)];
    });
    const oneHot = dense.map(([z, , , c]) => {
      const row = new Array(12).fill(0);
      row[0] = Math.round(z * 4) / 4;
      row[1 + ((c + rng.int(2)) % 4)] = 1;
      row[5 + rng.int(6)] = 1;
      return row;
    });
    for (const rows of [dense, oneHot]) {
      const X = toMatrix(rows);
      for (const metric of ["euclidean", "manhattan"] as const) {
        const tree = nearestNeighbors(X, { k: 7, metric, method: "tree" });
        sameResult(tree, nearestNeighbors(X, { k: 7, metric, method: "brute" }));
        const sub = toMatrix(rows.slice(0, 400));
        const expected = sortedNeighbors(sub, 7, metric, false);
        const subTree = nearestNeighbors(sub, { k: 7, metric, includeSelf: false, method: "tree", leafSize: 8 });
        assert.deepEqual(rowsOf(subTree.index, 7), expected.index);
        assert.deepEqual(rowsOf(subTree.distance, 7), expected.distance);
        const queries = rows.slice(0, 50).map((r) => r.map((v) => v + 0.125));
        sameResult(
          nearestNeighbors(X, { k: 3, metric, queries, method: "tree" }),
          nearestNeighbors(X, { k: 3, metric, queries, method: "brute" }),
        );
      }
    }
  });
});
