/**
 * A small dense linear-programming solver (two-phase simplex with Bland's rule), enough for the
 * reductions' LP step: tens of variables and constraints. Not meant for large problems.
 *
 *     minimise cᵀx  subject to  A_ub·x ≤ b_ub,  A_eq·x = b_eq,  x ≥ 0 (or free where asked)
 */

/** A linear program. */
export interface LinearProgram {
  c: readonly number[];
  aUb?: readonly (readonly number[])[];
  bUb?: readonly number[];
  aEq?: readonly (readonly number[])[];
  bEq?: readonly number[];
  /** Indexes of variables without a sign constraint. */
  free?: readonly number[];
}

/** The solution, or `status: "infeasible" | "unbounded"`. */
export interface LinearProgramResult {
  status: "optimal" | "infeasible" | "unbounded";
  x: Float64Array;
  value: number;
}

const TOL = 1e-10;

/** Simplex on a tableau in place: rows 0..m−1 constraints, row m the objective; basis per row. */
function pivotLoop(
  t: Float64Array[],
  basis: number[],
  cols: number,
  allowed: (j: number) => boolean,
): "optimal" | "unbounded" {
  const m = basis.length;
  const obj = t[m];
  for (let iter = 0; iter < 50000; iter++) {
    let enter = -1;
    for (let j = 0; j < cols; j++) {
      if (allowed(j) && obj[j] < -TOL) {
        enter = j; // Bland: the first improving column
        break;
      }
    }
    if (enter < 0) return "optimal";
    let leave = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const a = t[i][enter];
      if (a > TOL) {
        const ratio = t[i][cols] / a;
        if (ratio < best - TOL || (Math.abs(ratio - best) <= TOL && basis[i] < basis[leave])) {
          best = ratio;
          leave = i;
        }
      }
    }
    if (leave < 0) return "unbounded";
    const p = t[leave][enter];
    const rowL = t[leave];
    for (let j = 0; j <= cols; j++) rowL[j] /= p;
    for (let i = 0; i <= m; i++) {
      if (i === leave) continue;
      const f = t[i][enter];
      if (f === 0) continue;
      const row = t[i];
      for (let j = 0; j <= cols; j++) row[j] -= f * rowL[j];
    }
    basis[leave] = enter;
  }
  return "optimal";
}

/**
 * Solves a linear program.
 * @example
 * linprog({ c: [-1, -1], aUb: [[1, 2], [3, 1]], bUb: [4, 6] }); // x ≈ [1.6, 1.2], value −2.8
 */
export function linprog(lp: LinearProgram): LinearProgramResult {
  const n = lp.c.length;
  const free = new Set(lp.free ?? []);
  // Columns: each variable (free ones split into + and −), then one slack per ≤ row, then artificials.
  const plus: number[] = [];
  const minus: number[] = [];
  let cols = 0;
  for (let v = 0; v < n; v++) {
    plus.push(cols++);
    minus.push(free.has(v) ? cols++ : -1);
  }
  const aUb = lp.aUb ?? [];
  const aEq = lp.aEq ?? [];
  const mUb = aUb.length;
  const m = mUb + aEq.length;
  const slack0 = cols;
  cols += mUb;
  const art0 = cols;
  cols += m;
  const t: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const row = new Float64Array(cols + 1);
    const src = i < mUb ? aUb[i] : aEq[i - mUb];
    let rhs = i < mUb ? lp.bUb![i] : lp.bEq![i - mUb];
    for (let v = 0; v < n; v++) {
      row[plus[v]] = src[v];
      if (minus[v] >= 0) row[minus[v]] = -src[v];
    }
    if (i < mUb) row[slack0 + i] = 1;
    if (rhs < 0) {
      for (let j = 0; j < cols; j++) row[j] = -row[j];
      rhs = -rhs;
    }
    row[art0 + i] = 1;
    row[cols] = rhs;
    t.push(row);
  }
  const basis = Array.from({ length: m }, (_, i) => art0 + i);
  // Phase 1: minimise the sum of artificials.
  const phase1 = new Float64Array(cols + 1);
  for (let i = 0; i < m; i++) for (let j = 0; j <= cols; j++) if (j < art0 || j === cols) phase1[j] -= t[i][j];
  t.push(phase1);
  pivotLoop(t, basis, cols, () => true);
  if (-t[m][cols] > 1e-8) return { status: "infeasible", x: new Float64Array(n).fill(Number.NaN), value: Number.NaN };
  // Drive artificials out of the basis where possible.
  for (let i = 0; i < m; i++) {
    if (basis[i] < art0) continue;
    let j = 0;
    while (j < art0 && Math.abs(t[i][j]) <= TOL) j++;
    if (j === art0) continue; // a redundant row
    const p = t[i][j];
    for (let k = 0; k <= cols; k++) t[i][k] /= p;
    for (let r = 0; r <= m; r++) {
      if (r === i) continue;
      const f = t[r][j];
      if (f !== 0) for (let k = 0; k <= cols; k++) t[r][k] -= f * t[i][k];
    }
    basis[i] = j;
  }
  // Phase 2: the real objective, expressed in the current basis.
  const objective = new Float64Array(cols + 1);
  for (let v = 0; v < n; v++) {
    objective[plus[v]] = lp.c[v];
    if (minus[v] >= 0) objective[minus[v]] = -lp.c[v];
  }
  for (let i = 0; i < m; i++) {
    const cb = objective[basis[i]];
    if (cb !== 0) for (let j = 0; j <= cols; j++) objective[j] -= cb * t[i][j];
  }
  t[m] = objective;
  const status = pivotLoop(t, basis, cols, (j) => j < art0);
  const values = new Float64Array(cols);
  for (let i = 0; i < m; i++) values[basis[i]] = t[i][cols];
  const x = new Float64Array(n);
  let value = 0;
  for (let v = 0; v < n; v++) {
    x[v] = values[plus[v]] - (minus[v] >= 0 ? values[minus[v]] : 0);
    value += lp.c[v] * x[v];
  }
  return { status, x, value };
}
