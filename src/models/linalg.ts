/**
 * The little dense linear algebra the learners need: Cholesky factorisation and solves of
 * symmetric positive definite systems, on row-major Float64Array.
 */

/**
 * Factorises the symmetric positive definite `a` (d×d, row-major; only the lower triangle is read)
 * in place into L with A = L·Lᵀ. Returns false when `a` is not positive definite.
 */
export function choleskyInPlace(a: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= a[j * d + k] * a[j * d + k];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = t / ljj;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b given the factor from {@link choleskyInPlace}; overwrites `b` with x. */
export function choleskySolveInPlace(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * b[k];
    b[i] = s / l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
    b[i] = s / l[i * d + i];
  }
}

/**
 * Solves the SPD system A·x = b, adding a growing ridge to the diagonal when A is only
 * semi-definite (collinear features without a penalty), so that a solution always comes back.
 */
export function solveSymmetric(a: Float64Array, d: number, b: Float64Array): Float64Array {
  let scale = 0;
  for (let j = 0; j < d; j++) scale = Math.max(scale, Math.abs(a[j * d + j]));
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const l = new Float64Array(a);
    for (let j = 0; j < d; j++) l[j * d + j] += jitter;
    if (choleskyInPlace(l, d)) {
      const x = new Float64Array(b);
      choleskySolveInPlace(l, d, x);
      return x;
    }
    jitter = jitter === 0 ? Math.max(scale, 1) * 1e-12 : jitter * 100;
  }
  return new Float64Array(d).fill(Number.NaN);
}

/** The inverse of a small symmetric positive definite matrix (d×d, row-major), column by column. */
export function inverseSymmetric(a: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let b = 0; b < d; b++) {
    const e = new Float64Array(d);
    e[b] = 1;
    const x = solveSymmetric(a, d, e);
    for (let r = 0; r < d; r++) out[r * d + b] = x[r];
  }
  return out;
}

/** log det A of a symmetric positive definite matrix: twice the sum of the logs of its Cholesky diagonal; NaN when A is not positive definite. */
export function logDeterminantSymmetric(a: Float64Array, d: number): number {
  const l = new Float64Array(a);
  if (!choleskyInPlace(l, d)) return Number.NaN;
  let s = 0;
  for (let j = 0; j < d; j++) s += Math.log(l[j * d + j]);
  return 2 * s;
}
