import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { linprog } from "../../src/mitigation/in/linprog.js";

describe("linprog", () => {
  it("solves a textbook problem", () => {
    // max x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6 → (1.6, 1.2), value 2.8.
    const r = linprog({
      c: [-1, -1],
      aUb: [
        [1, 2],
        [3, 1],
      ],
      bUb: [4, 6],
    });
    assert.equal(r.status, "optimal");
    assert.ok(Math.abs(r.x[0] - 1.6) < 1e-12 && Math.abs(r.x[1] - 1.2) < 1e-12);
    assert.ok(Math.abs(r.value + 2.8) < 1e-12);
  });

  it("handles equalities, free variables, infeasibility and unboundedness", () => {
    // min x0 − x1 with x0 + x1 = 1, x1 free and ≤ 3: x0 = 1 − x1 ≥ 0 caps x1 at 1.
    const r = linprog({ c: [1, -1], aEq: [[1, 1]], bEq: [1], aUb: [[0, 1]], bUb: [3], free: [1] });
    assert.equal(r.status, "optimal");
    assert.ok(Math.abs(r.x[0]) < 1e-12 && Math.abs(r.x[1] - 1) < 1e-12);
    const free = linprog({ c: [1], aUb: [[-1]], bUb: [2], free: [0] }); // min x s.t. x ≥ −2
    assert.ok(Math.abs(free.x[0] + 2) < 1e-12);
    assert.equal(linprog({ c: [1], aUb: [[1]], bUb: [-1] }).status, "infeasible");
    assert.equal(linprog({ c: [-1], aUb: [[-1]], bUb: [0] }).status, "unbounded");
  });

  it("finds the best mixture: the LP optimum is never worse than any feasible vertex (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), {
          minLength: 2,
          maxLength: 12,
        }),
        (hs) => {
          // The reductions' LP: min Σ err_t Q_t + 10 s, γ·Q − s ≤ 0.05, ΣQ = 1.
          const T = hs.length;
          const r = linprog({
            c: [...hs.map((h) => h[0]), 10],
            aUb: [[...hs.map((h) => h[1]), -1]],
            bUb: [0.05],
            aEq: [[...hs.map(() => 1), 0]],
            bEq: [1],
          });
          assert.equal(r.status, "optimal");
          let sum = 0;
          for (let t = 0; t < T; t++) sum += r.x[t];
          assert.ok(Math.abs(sum - 1) < 1e-9);
          for (const [err, gamma] of hs) assert.ok(r.value <= err + 10 * Math.max(gamma - 0.05, 0) + 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });
});
