/**
 * A small dense simplex for `maximise c·x subject to A x ≤ b, x ≥ 0` with b ≥ 0 (so x = 0 is a
 * feasible start and one phase suffices). Bland's rule prevents cycling on the degenerate
 * constraints the threshold problems have (many right-hand sides are 0). Sizes here are a few
 * variables and a few hundred constraints, so a dense tableau is the simplest exact tool.
 */
import { FairkitError, messages } from "../core/errors.js";

/** Result of {@link solveLinearProgram}. */
export interface LinearProgramSolution {
  status: "optimal" | "unbounded";
  x: number[];
  value: number;
}

/**
 * Solves `max c·x, A x ≤ b, x ≥ 0` with every `b[i] ≥ 0`.
 * @example
 * solveLinearProgram([1, 1], [[1, 2], [3, 1]], [4, 6]).x; // [1.6, 1.2]
 */
export function solveLinearProgram(
  c: number[],
  A: number[][],
  b: number[],
  maxPivots = 100_000,
): LinearProgramSolution {
  const n = c.length;
  const m = A.length;
  if (b.some((v) => v < 0)) throw new FairkitError("BAD_ARGUMENT", messages.originInfeasible(), { argument: "b" });
  const width = n + 1;
  // Tableau rows: basic variable = b_i − Σ_j T[i][j] · nonbasic_j; last column holds b_i.
  const T = new Float64Array(m * width);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) T[i * width + j] = A[i][j];
    T[i * width + n] = b[i];
  }
  const obj = new Float64Array(width); // reduced costs of the nonbasic variables; obj[n] = −value
  for (let j = 0; j < n; j++) obj[j] = c[j];
  const nonbasic = Array.from({ length: n }, (_, j) => j); // variable ids: 0…n−1 original, n… slacks
  const basic = Array.from({ length: m }, (_, i) => n + i);
  const EPS = 1e-12;
  for (let pivot = 0; pivot < maxPivots; pivot++) {
    // Bland: entering = smallest variable id with positive reduced cost.
    let enter = -1;
    for (let j = 0; j < n; j++) if (obj[j] > EPS && (enter < 0 || nonbasic[j] < nonbasic[enter])) enter = j;
    if (enter < 0) break;
    let leave = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const a = T[i * width + enter];
      if (a > EPS) {
        const ratio = T[i * width + n] / a;
        if (ratio < bestRatio - 1e-15 || (Math.abs(ratio - bestRatio) <= 1e-15 && basic[i] < basic[leave])) {
          bestRatio = ratio;
          leave = i;
        }
      }
    }
    if (leave < 0) return { status: "unbounded", x: [], value: Number.POSITIVE_INFINITY };
    const pr = leave * width;
    const p = T[pr + enter];
    for (let j = 0; j < width; j++) T[pr + j] /= p;
    T[pr + enter] = 1 / p;
    for (let i = 0; i < m; i++) {
      if (i === leave) continue;
      const f = T[i * width + enter];
      if (f === 0) continue;
      for (let j = 0; j < width; j++) if (j !== enter) T[i * width + j] -= f * T[pr + j];
      T[i * width + enter] = -f / p;
    }
    const f = obj[enter];
    for (let j = 0; j < width; j++) if (j !== enter) obj[j] -= f * T[pr + j];
    obj[enter] = -f / p;
    const tmp = basic[leave];
    basic[leave] = nonbasic[enter];
    nonbasic[enter] = tmp;
  }
  const x = new Array<number>(n).fill(0);
  basic.forEach((id, i) => {
    if (id < n) x[id] = Math.max(0, T[i * width + n]);
  });
  return { status: "optimal", x, value: c.reduce((s, cj, j) => s + cj * x[j], 0) };
}
