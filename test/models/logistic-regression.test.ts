import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createRandom } from "../../src/core/random.js";
import { LogisticRegression } from "../../src/models/logistic-regression.js";
import { type Matrix, takeRows, toMatrix } from "../../src/models/matrix.js";

const logit = (p: number) => Math.log(p / (1 - p));

function synthetic(n: number, d: number, seed: number): { X: Matrix; y: Uint8Array; w: Float64Array } {
  const rng = createRandom(seed);
  const X = { rows: n, cols: d, data: new Float64Array(n * d) };
  const y = new Uint8Array(n);
  const w = new Float64Array(n);
  const truth = Array.from({ length: d }, (_, j) => (j % 2 === 0 ? 1 : -0.5) * (j + 1) * 0.4);
  for (let i = 0; i < n; i++) {
    let z = 0.3;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      X.data[i * d + j] = v;
      z += truth[j] * v;
    }
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    w[i] = 0.5 + rng.next();
  }
  return { X, y, w };
}

/** An independent optimiser: plain gradient descent on the same objective, run to convergence. */
function gradientDescent(
  X: Matrix,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
  l2: number,
  iterations: number,
): Float64Array {
  const { rows: n, cols: d, data } = X;
  const beta = new Float64Array(d + 1);
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  const step = 1 / W;
  const g = new Float64Array(d + 1);
  for (let t = 0; t < iterations; t++) {
    g.fill(0);
    for (let i = 0; i < n; i++) {
      let z = beta[d];
      for (let j = 0; j < d; j++) z += beta[j] * data[i * d + j];
      const r = w[i] * (1 / (1 + Math.exp(-z)) - y[i]);
      for (let j = 0; j < d; j++) g[j] += r * data[i * d + j];
      g[d] += r;
    }
    for (let j = 0; j < d; j++) g[j] += l2 * beta[j];
    for (let j = 0; j <= d; j++) beta[j] -= step * g[j];
  }
  return beta;
}

describe("LogisticRegression", () => {
  it("matches the closed form for one binary feature without penalty (weighted)", () => {
    // x = 0: labels 1,0,0 with weights 1,2,1 → p0 = 1/4; x = 1: labels 1,1,0 with weights 2,1,1 → p1 = 3/4.
    const X = toMatrix([[0], [0], [0], [1], [1], [1]]);
    const y = [1, 0, 0, 1, 1, 0];
    const w = [1, 2, 1, 2, 1, 1];
    const model = new LogisticRegression({ l2: 0, tol: 1e-14 }).fit(X, y, { sampleWeight: w });
    assert.ok(Math.abs(model.intercept - logit(1 / 4)) < 1e-9, `intercept ${model.intercept}`);
    assert.ok(Math.abs(model.coef[0] - (logit(3 / 4) - logit(1 / 4))) < 1e-9, `coef ${model.coef[0]}`);
    assert.ok(model.converged);
  });

  it("agrees with an independent gradient-descent optimiser to 1e-6 (L2, weights)", () => {
    const { X, y, w } = synthetic(120, 3, 7);
    const l2 = 2.5;
    const model = new LogisticRegression({ l2 }).fit(X, y, { sampleWeight: w });
    const reference = gradientDescent(X, y, w, l2, 20000);
    for (let j = 0; j < 3; j++)
      assert.ok(Math.abs(model.coef[j] - reference[j]) < 1e-6, `coef ${j}: ${model.coef[j]} vs ${reference[j]}`);
    assert.ok(Math.abs(model.intercept - reference[3]) < 1e-6, `intercept ${model.intercept} vs ${reference[3]}`);
  });

  it("leaves a gradient of (numerically) zero at its solution", () => {
    const { X, y, w } = synthetic(500, 6, 3);
    const l2 = 1;
    const model = new LogisticRegression({ l2 }).fit(X, y, { sampleWeight: w });
    const p = model.predictProba(X);
    const g = new Float64Array(7);
    for (let i = 0; i < X.rows; i++) {
      const r = w[i] * (p[i] - y[i]);
      for (let j = 0; j < 6; j++) g[j] += r * X.data[i * 6 + j];
      g[6] += r;
    }
    for (let j = 0; j < 6; j++) g[j] += l2 * model.coef[j];
    for (let j = 0; j < 7; j++) assert.ok(Math.abs(g[j]) < 1e-7, `gradient ${j} = ${g[j]}`);
    assert.ok(model.nIter < 15, `Newton took ${model.nIter} steps`);
  });

  it("treats an integer weight like repeating the row (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
        (seed, counts) => {
          const { X, y } = synthetic(40, 2, seed);
          if (counts.every((c) => c === 0)) return;
          const weighted = new LogisticRegression().fit(X, y, { sampleWeight: counts });
          const index: number[] = [];
          counts.forEach((c, i) => {
            for (let k = 0; k < c; k++) index.push(i);
          });
          const repeated = new LogisticRegression().fit(
            takeRows(X, index),
            index.map((i) => y[i]),
          );
          for (let j = 0; j < 2; j++) assert.ok(Math.abs(weighted.coef[j] - repeated.coef[j]) < 1e-8);
          assert.ok(Math.abs(weighted.intercept - repeated.intercept) < 1e-8);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("gives the same answer from a warm start, and round-trips through JSON", () => {
    const { X, y, w } = synthetic(300, 4, 11);
    const cold = new LogisticRegression({ l2: 0.5 }).fit(X, y);
    const warm = new LogisticRegression({ l2: 0.5, warmStart: true });
    warm.fit(X, y, { sampleWeight: w });
    warm.fit(X, y);
    for (let j = 0; j < 4; j++) assert.ok(Math.abs(cold.coef[j] - warm.coef[j]) < 1e-9);
    const back = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(cold)));
    assert.deepEqual(Array.from(back.predictProba(X)), Array.from(cold.predictProba(X)));
    assert.deepEqual(Array.from(back.predict(X)), Array.from(cold.predict(X)));
  });

  it("rejects labels that are not 0/1 and mismatched shapes", () => {
    const X = toMatrix([[0], [1]]);
    assert.throws(() => new LogisticRegression().fit(X, [0, 2]), { code: "NOT_BINARY" });
    assert.throws(() => new LogisticRegression().fit(X, [0]), { code: "LENGTH_MISMATCH" });
    assert.throws(() => new LogisticRegression().fit(X, [0, 1], { sampleWeight: [1, -1] }), { code: "BAD_WEIGHT" });
    assert.throws(() => new LogisticRegression().predict(X), /fitted/);
  });
});
