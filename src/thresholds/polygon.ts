/**
 * Convex polygon clipping (Sutherland–Hodgman): the intersection of the groups' achievable ROC
 * regions is where equalized odds can hold; a linear objective is maximal at one of its vertices.
 */

/** A point (x, y) = (FPR, TPR). */
export type Point = [number, number];

const EPS = 1e-12;

function side(a: Point, b: Point, p: Point): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

/**
 * Intersection of two convex polygons, both counter-clockwise. May be empty, a segment or a
 * point when the regions only touch; the vertices are what matters to a linear objective.
 * @example
 * clipConvex([[0, 0], [1, 0], [1, 1], [0, 1]], [[0.5, 0.5], [2, 0.5], [2, 2], [0.5, 2]]); // the square [0.5, 1]²
 */
export function clipConvex(subject: Point[], clip: Point[]): Point[] {
  let output = subject;
  for (let e = 0; e < clip.length && output.length > 0; e++) {
    const a = clip[e];
    const b = clip[(e + 1) % clip.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const input = output;
    output = [];
    for (let i = 0; i < input.length; i++) {
      const p = input[i];
      const q = input[(i + 1) % input.length];
      const sp = side(a, b, p) / len;
      const sq = side(a, b, q) / len;
      const pIn = sp >= -EPS;
      const qIn = sq >= -EPS;
      if (pIn) output.push(p);
      if (pIn !== qIn) {
        const t = sp / (sp - sq);
        output.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return output;
}

/** The vertex of a polygon maximising `cx · x + cy · y` (first one on ties). */
export function maximizeLinear(polygon: Point[], cx: number, cy: number): Point | undefined {
  let best: Point | undefined;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const p of polygon) {
    const v = cx * p[0] + cy * p[1];
    if (v > bestValue) {
      bestValue = v;
      best = p;
    }
  }
  return best;
}
