/**
 * Limited-memory BFGS for smooth unconstrained minimisation, with a backtracking (Armijo) line
 * search. Small and dependency-free; used by learned fair representations.
 */

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Most iterations; default 200. */
  maxIter?: number;
  /** Pairs kept for the curvature estimate; default 10. */
  memory?: number;
  /** Stop when the largest gradient entry is below this; default 1e-6. */
  gtol?: number;
  /** Stop when the relative decrease of f in one step is below this; default 1e-10. */
  ftol?: number;
}

/** The result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Minimises `f`, which returns the value at x and writes the gradient into `grad`.
 * @example
 * const { x } = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, Float64Array.of(0));
 * // x[0] ≈ 3
 */
export function minimizeLbfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const maxIter = options.maxIter ?? 200;
  const m = options.memory ?? 10;
  const gtol = options.gtol ?? 1e-6;
  const ftol = options.ftol ?? 1e-10;
  const n = x0.length;
  const x = new Float64Array(x0);
  const g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  let converged = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= gtol) {
      converged = true;
      break;
    }
    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += S[k][i] * d[i];
      a *= rho[k];
      alpha[k] = a;
      for (let i = 0; i < n; i++) d[i] -= a * Y[k][i];
    }
    if (S.length > 0) {
      const k = S.length - 1;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += S[k][i] * Y[k][i];
        yy += Y[k][i] * Y[k][i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      let norm = 0;
      for (let i = 0; i < n; i++) norm += g[i] * g[i];
      const scale = 1 / Math.max(Math.sqrt(norm), 1);
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      let b = 0;
      for (let i = 0; i < n; i++) b += Y[k][i] * d[i];
      b *= rho[k];
      for (let i = 0; i < n; i++) d[i] += S[k][i] * (alpha[k] - b);
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i] * d[i];
    if (!(slope < 0)) {
      // Not a descent direction (curvature pairs went stale): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = 0;
      for (let i = 0; i < n; i++) slope += g[i] * d[i];
    }
    let t = 1;
    let fNew = Number.NaN;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + t * d[i];
      fNew = f(xNew, gNew);
      evaluations++;
      if (fNew <= fx + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      yv[i] = gNew[i] - g[i];
      sy += s[i] * yv[i];
    }
    if (sy > 1e-12) {
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const decrease = fx - fNew;
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    if (decrease <= ftol * Math.max(Math.abs(fx), 1)) {
      converged = true;
      iter++;
      break;
    }
  }
  return { x, f: fx, iterations: iter, evaluations, converged };
}
