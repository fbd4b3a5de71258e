import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CorrelationRemover } from "../../src/mitigation/pre/correlation-remover.js";
import { matrixToRows, toMatrix } from "../../src/models/matrix.js";

const X = toMatrix([
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
]);

function close(actual: number[][], expected: number[][], tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => {
    row.forEach((v, j) => {
      assert.ok(Math.abs(v - expected[i][j]) < tol, `(${i}, ${j}): ${v} vs ${expected[i][j]}`);
    });
  });
}

describe("CorrelationRemover", () => {
  it("reproduces Fairlearn's public test for alpha 0, 0.5 and 1", () => {
    close(matrixToRows(new CorrelationRemover({ sensitiveColumns: [0], alpha: 0 }).fitTransform(X)), [
      [2, 3],
      [5, 6],
      [8, 9],
    ]);
    close(matrixToRows(new CorrelationRemover({ sensitiveColumns: [0], alpha: 0.5 }).fitTransform(X)), [
      [3.5, 4.5],
      [5, 6],
      [6.5, 7.5],
    ]);
    close(matrixToRows(new CorrelationRemover({ sensitiveColumns: [0], alpha: 1 }).fitTransform(X)), [
      [5, 6],
      [5, 6],
      [5, 6],
    ]);
  });

  it("leaves residuals uncorrelated with every sensitive column, also with redundant one-hot columns (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2 }),
            fc.double({ min: -10, max: 10, noNaN: true }),
            fc.double({ min: -10, max: 10, noNaN: true }),
          ),
          { minLength: 5, maxLength: 40 },
        ),
        (rows) => {
          // Columns: three one-hot columns of a 3-level feature (they sum to 1), then two features.
          const m = toMatrix(
            rows.map(([g, a, b]) => [g === 0 ? 1 : 0, g === 1 ? 1 : 0, g === 2 ? 1 : 0, a + 3 * g, b]),
          );
          const out = new CorrelationRemover({ sensitiveColumns: [0, 1, 2] }).fitTransform(m);
          for (let s = 0; s < 3; s++) {
            let mean = 0;
            for (let i = 0; i < m.rows; i++) mean += m.data[i * 5 + s] / m.rows;
            for (let c = 0; c < 2; c++) {
              let cov = 0;
              for (let i = 0; i < m.rows; i++) cov += (m.data[i * 5 + s] - mean) * out.data[i * 2 + c];
              assert.ok(Math.abs(cov) < 1e-8 * m.rows * 10, `cov ${cov}`);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("round-trips through JSON and checks its input", () => {
    const cr = new CorrelationRemover({ sensitiveColumns: [0], alpha: 0.5 }).fit(X);
    const back = CorrelationRemover.fromJSON(JSON.parse(JSON.stringify(cr)));
    assert.deepEqual(matrixToRows(back.transform(X)), matrixToRows(cr.transform(X)));
    assert.throws(() => new CorrelationRemover({ sensitiveColumns: [0], alpha: 2 }), /alpha must be in \[0, 1\]/);
    assert.throws(
      () => new CorrelationRemover({ sensitiveColumns: [5] }).fit(X),
      /sensitive column 5 is not a column of X/,
    );
    assert.throws(() => cr.transform(toMatrix([[1, 2]])), /fitted on 3/);
  });
});
