import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeGroups } from "../../src/core/groups.js";
import { createRandom } from "../../src/core/random.js";
import { LearnedFairRepresentations, lfrObjective } from "../../src/mitigation/pre/learned-fair-representations.js";
import { minimizeLbfgs } from "../../src/models/lbfgs.js";
import type { Matrix } from "../../src/models/matrix.js";

/** Two groups; feature 0 carries the group, feature 1 the label (partly), feature 2 noise. */
function synthetic(n: number, seed: number): { X: Matrix; y: Uint8Array; group: string[] } {
  const rng = createRandom(seed);
  const X = { rows: n, cols: 3, data: new Float64Array(n * 3) };
  const y = new Uint8Array(n);
  const group: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = rng.next() < 0.5 ? 1 : 0;
    const label = rng.next() < (g ? 0.7 : 0.3) ? 1 : 0;
    X.data[i * 3] = g + 0.3 * rng.normal();
    X.data[i * 3 + 1] = label + 0.5 * rng.normal();
    X.data[i * 3 + 2] = rng.normal();
    y[i] = label;
    group.push(g ? "b" : "a");
  }
  return { X, y, group };
}

describe("LearnedFairRepresentations", () => {
  it("has an exact gradient (central differences agree to 1e-6)", () => {
    const { X, y, group } = synthetic(40, 1);
    const enc = encodeGroups(group);
    const K = 3;
    const rng = createRandom(5);
    const theta = Float64Array.from({ length: K * 3 + K + 3 }, () => 0.5 * rng.normal());
    const weights = { ax: 0.3, ay: 1, az: 2 };
    const grad = new Float64Array(theta.length);
    lfrObjective(theta, grad, X, y, enc.codes, 2, K, weights);
    const h = 1e-6;
    for (let i = 0; i < theta.length; i++) {
      const plus = new Float64Array(theta);
      const minus = new Float64Array(theta);
      plus[i] += h;
      minus[i] -= h;
      const numeric =
        (lfrObjective(plus, undefined, X, y, enc.codes, 2, K, weights).total -
          lfrObjective(minus, undefined, X, y, enc.codes, 2, K, weights).total) /
        (2 * h);
      assert.ok(
        Math.abs(numeric - grad[i]) < 1e-6 * Math.max(1, Math.abs(numeric)),
        `θ${i}: numeric ${numeric} vs analytic ${grad[i]}`,
      );
    }
  });

  it("trades accuracy for parity as the fairness weight grows", () => {
    const { X, y, group } = synthetic(600, 2);
    const gap = (lfr: LearnedFairRepresentations) => {
      const p = lfr.predictProba(X);
      const mean = (g: string) => {
        let s = 0;
        let c = 0;
        group.forEach((x, i) => {
          if (x === g) {
            s += p[i];
            c++;
          }
        });
        return s / c;
      };
      return Math.abs(mean("a") - mean("b"));
    };
    const loose = new LearnedFairRepresentations({ fairnessWeight: 0, seed: 1 }).fit(X, y, {
      sensitiveFeatures: group,
    });
    const strict = new LearnedFairRepresentations({ fairnessWeight: 50, seed: 1 }).fit(X, y, {
      sensitiveFeatures: group,
    });
    assert.ok(gap(loose) > 0.25, `unconstrained gap ${gap(loose)}`);
    assert.ok(gap(strict) < 0.05, `fair gap ${gap(strict)}`);
    assert.ok(strict.losses!.fairness < loose.losses!.fairness);
    const back = LearnedFairRepresentations.fromJSON(JSON.parse(JSON.stringify(strict)));
    assert.deepEqual(Array.from(back.transform(X).data), Array.from(strict.transform(X).data));
  });
});

describe("minimizeLbfgs", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const r = minimizeLbfgs(
      (x, g) => {
        g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2);
        g[1] = 200 * (x[1] - x[0] ** 2);
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { maxIter: 500, gtol: 1e-9, ftol: 0 },
    );
    assert.ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6, `${r.x}`);
  });
});
