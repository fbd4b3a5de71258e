// Lipschitz audits (Dwork et al. 2012): hand-computed pairs for each metric, the sensitive-subspace
// projection, a planted violation, and COMPAS against an independent brute-force pair computation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FairkitError, messages } from "../../src/core/errors.js";
import { wilsonInterval } from "../../src/core/intervals.js";
import { createRandom } from "../../src/core/random.js";
import { lipschitzAudit, sensitiveSubspaceProjection } from "../../src/individual/lipschitz.js";
import { standardizeColumns } from "../../src/individual/neighbors.js";
import { type Matrix, toMatrix } from "../../src/models/matrix.js";
import { fitTabular } from "../../src/models/tabular.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

/** The audit's pairs by brute force: every row's k nearest others by sorting (distance, index). */
function brutePairs(X: Matrix, scores: ArrayLike<number>, k: number) {
  const { rows: n, cols: d, data } = X;
  const pairs = new Map<string, { a: number; b: number; distance: number; delta: number }>();
  for (let i = 0; i < n; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = data[i * d + c] - data[j * d + c];
        s += t * t;
      }
      all.push([Math.sqrt(s), j]);
    }
    all.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const [distance, j] of all.slice(0, k)) {
      const a = Math.min(i, j);
      const b = Math.max(i, j);
      pairs.set(`${a},${b}`, { a, b, distance, delta: Math.abs(scores[a] - scores[b]) });
    }
  }
  return [...pairs.values()];
}

describe("lipschitzAudit", () => {
  it("weighted ℓ1: scales column j by wⱼ, each unordered pair once", () => {
    // X = (0,0), (1,0), (0,2); w = (2, 0.5): d(0,1) = 2·1 = 2, d(0,2) = 0.5·2 = 1, d(1,2) = 2 + 1 = 3.
    // k = 1: row 0 → row 2 (1); row 1 → row 0 (2; row 2 is 3); row 2 → row 0 (1, the same pair as row 0's).
    // Pairs {0,2} (d 1, |Δf| 0.25, ratio 0.25) and {0,1} (d 2, |Δf| 1, ratio 0.5).
    // L = 0.3: 0.25 > 0.3·1 no; 1 > 0.3·2 yes → 1 of 2.
    const audit = lipschitzAudit({
      X: [
        [0, 0],
        [1, 0],
        [0, 2],
      ],
      scores: [0, 1, 0.25],
      metric: { kind: "weighted", p: 1, weights: [2, 0.5] },
      k: 1,
      L: 0.3,
      featureNames: ["x", "y"],
    });
    assert.equal(audit.pairs, 2);
    assert.deepEqual(Array.from(audit.pairList.a), [0, 0]);
    assert.deepEqual(Array.from(audit.pairList.b), [2, 1]);
    assert.deepEqual(Array.from(audit.pairList.distance), [1, 2]);
    assert.deepEqual(Array.from(audit.pairList.delta), [0.25, 1]);
    assert.equal(audit.lipschitzConstant, 0.5);
    assert.deepEqual(audit.quantiles, { q50: 0.375, q90: 0.475, q99: 0.4975, max: 0.5 });
    assert.deepEqual(audit.violations, { violations: 1, rate: 0.5, interval: wilsonInterval(0.5, 2) });
    assert.deepEqual(audit.worst[0], {
      a: 0,
      b: 1,
      distance: 2,
      delta: 1,
      ratio: 0.5,
      features: { a: { x: 0, y: 0 }, b: { x: 1, y: 0 } },
    });
  });

  it("weighted ℓ2: scales column j by √wⱼ", () => {
    // X = (0,0), (3,0), (0,4); w = (4, 1): d(0,1) = √(4·9) = 6, d(0,2) = √16 = 4, d(1,2) = √(36 + 16) = √52.
    // k = 2 (every pair): scores 0, 0.6, 0.2 → ratios 0.6/6 = 0.1, 0.2/4 = 0.05, 0.4/√52 = 0.05547.
    const audit = lipschitzAudit({
      X: [
        [0, 0],
        [3, 0],
        [0, 4],
      ],
      scores: [0, 0.6, 0.2],
      metric: { kind: "weighted", p: 2, weights: [4, 1] },
      k: 2,
    });
    assert.equal(audit.pairs, 3);
    const byPair = new Map(
      Array.from(audit.pairList.a, (a, p) => [`${a},${audit.pairList.b[p]}`, audit.pairList.distance[p]]),
    );
    assert.deepEqual(Object.fromEntries(byPair), { "0,2": 4, "0,1": 6, "1,2": Math.sqrt(52) });
    close(audit.lipschitzConstant, 0.1, 1e-15, "max ratio");
    close(audit.quantiles.q50, 0.4 / Math.sqrt(52), 1e-15, "median ratio");
    assert.equal(audit.violations, undefined);
    assert.deepEqual(
      audit.worst.map((w) => [w.a, w.b]),
      [
        [0, 1],
        [1, 2],
        [0, 2],
      ],
    );
  });

  it("fair metric: ignores the direction that predicts the sensitive attribute", () => {
    // Column 0 is the group (0/1); column 1 a feature spread alike in both groups, so the learned
    // direction is ±(1, 0) (column 1's coefficient is 0 by symmetry) and the metric is |Δx₁|.
    // X = (0,0), (1,0), (0,1), (1,1), (0,3), (1,3): rows 0/1, 2/3, 4/5 differ only in the group.
    const X = [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 3],
      [1, 3],
    ];
    const group = [0, 1, 0, 1, 0, 1];
    const audit = lipschitzAudit({
      X,
      scores: [0.1, 0.1, 0.2, 0.2, 0.4, 0.4],
      metric: { kind: "fair", sensitive: group },
      k: 1,
    });
    assert.equal(audit.directions?.length, 1);
    close(Math.abs(audit.directions?.[0][0] ?? 0), 1, 1e-9, "direction");
    close(audit.directions?.[0][1] ?? 1, 0, 1e-9, "direction, column 1");
    // k = 1: each row's nearest other is its twin of the other group (distance ≈ 0): pairs {0,1}
    // {2,3} {4,5}, all with |Δf| 0.
    assert.deepEqual(
      Array.from(audit.pairList.a, (a, p) => [a, audit.pairList.b[p]]),
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
    );
    for (const d of audit.pairList.distance) close(d, 0, 1e-9, "twin distance");
    assert.equal(audit.lipschitzConstant, 0);
  });

  it("finds a planted violation: +0.5 for one group on otherwise identical rows", () => {
    const rng = createRandom(3);
    const base = Array.from({ length: 60 }, () => [rng.int(4), rng.int(3)]);
    // Every individual appears twice, once in each group; the model adds 0.5 for group "b".
    const X = [...base, ...base];
    const group = [...base.map(() => "a"), ...base.map(() => "b")];
    const scores = X.map(([u, v], i) => 0.05 * u + 0.1 * v + (group[i] === "b" ? 0.5 : 0));
    // The weighted metric on the features without the group: twins are at distance exactly 0.
    const audit = lipschitzAudit({
      X,
      scores,
      metric: { kind: "weighted", p: 2 },
      k: 3,
      L: 1,
      sensitiveFeatures: group,
    });
    assert.ok(audit.identicalTreatedDifferently > 0);
    assert.equal(audit.quantiles.max, Number.POSITIVE_INFINITY);
    assert.ok(Number.isFinite(audit.lipschitzConstant));
    assert.equal(audit.worst[0].ratio, Number.POSITIVE_INFINITY);
    assert.equal(audit.worst[0].distance, 0);
    close(audit.worst[0].delta, 0.5, 1e-12, "planted difference");
    assert.notEqual(group[audit.worst[0].a], group[audit.worst[0].b]);
    // Every identical pair treated differently crosses the groups; none within a group.
    const { same, different } = audit.crossing ?? {};
    assert.equal(same?.identicalTreatedDifferently, 0);
    assert.equal(different?.identicalTreatedDifferently, audit.identicalTreatedDifferently);
    assert.ok((different?.violations?.rate ?? 0) > (same?.violations?.rate ?? 1));
    assert.deepEqual(
      audit.groups?.map((g) => g.group.key),
      ["a", "b"],
    );
    // The fair metric (learned on the features plus the group column) sees the twins as near-identical
    // and the crossing pairs as violators of any moderate L.
    const withGroup = X.map((row, i) => [...row, group[i] === "b" ? 1 : 0]);
    const fair = lipschitzAudit({
      X: withGroup,
      scores,
      metric: { kind: "fair", sensitive: group },
      k: 3,
      L: 5,
      sensitiveFeatures: group,
    });
    assert.equal(fair.crossing?.same.violations?.violations, 0);
    assert.ok((fair.crossing?.different.violations?.violations ?? 0) > 0);
    // Twins differ only along the projected direction: their projected distance is rounding (about 1e-11),
    // which the audit counts as 0, so they are identical people treated differently, not a huge finite ratio.
    assert.ok(fair.identicalTreatedDifferently > 0);
    assert.ok(fair.lipschitzConstant < 1e6, `Lipschitz constant ${fair.lipschitzConstant}`);
  });

  it("rejects bad metrics and options with messages that name them", () => {
    const X = [[0], [1], [2]];
    const scores = [0, 1, 2];
    const bad = (f: () => unknown, message: string) =>
      assert.throws(f, (e: unknown) => e instanceof FairkitError && e.message === message);
    bad(
      () => lipschitzAudit({ X, scores, metric: { kind: "cosine" } as never }),
      messages.notOneOf("metric.kind", ["weighted", "fair"], "cosine"),
    );
    bad(
      () => lipschitzAudit({ X, scores, metric: { kind: "weighted", p: 3 } as never, k: 1 }),
      messages.notOneOf("metric.p", [1, 2], 3),
    );
    bad(
      () => lipschitzAudit({ X, scores, metric: { kind: "weighted", p: 1, weights: [1, 2] }, k: 1 }),
      messages.perColumnCount("metric.weights", 2, 1),
    );
    bad(
      () => lipschitzAudit({ X, scores, metric: { kind: "weighted", p: 1, weights: [-1] }, k: 1 }),
      messages.notFiniteNonNegative("metric.weights[0]", -1),
    );
    bad(
      () => lipschitzAudit({ X, scores, metric: { kind: "weighted", p: 1 }, k: 1, L: -1 }),
      messages.notFiniteNonNegative("L", -1),
    );
    bad(
      () => lipschitzAudit({ X, scores, metric: { kind: "weighted", p: 1 }, k: 3 }),
      messages.lipschitzTooManyNeighbors(3, 3),
    );
    bad(
      () => lipschitzAudit({ X, scores: [0, 1], metric: { kind: "weighted", p: 1 }, k: 1 }),
      messages.lengthMismatch("scores", 2, "X", 3),
    );
    bad(
      () => lipschitzAudit({ X, scores, metric: { kind: "weighted", p: 1 }, k: 1, featureNames: ["a", "b"] }),
      messages.perColumnCount("featureNames", 2, 1),
    );
  });

  it("COMPAS: the audit's pairs and numbers equal an independent brute force (1,800 rows)", {
    skip: skipWithoutData("compas-scores-two-years.csv"),
  }, () => {
    const rows = compasFiltered().filter((_, i) => i % 3 === 0 && i < 5400);
    const numeric = ["age", "priors_count", "juv_fel_count", "juv_misd_count", "juv_other_count"];
    const categorical = ["c_charge_degree", "sex", "race"];
    const table: Record<string, string[]> = {};
    for (const c of [...numeric, ...categorical]) table[c] = rows.map((r) => r[c]);
    const prep = fitTabular(table, { columns: [...numeric, ...categorical], numeric, categorical });
    const X = prep.transform(table);
    assert.equal(X.rows, 1800);
    const scores = rows.map((r) => Number(r.decile_score) / 10);
    const race = rows.map((r) => r.race);
    const L = 0.5;
    const audit = lipschitzAudit({
      X,
      scores,
      metric: { kind: "weighted", p: 2, standardize: true },
      k: 5,
      L,
      sensitiveFeatures: { race },
      featureNames: prep.featureNames,
    });
    // The brute force: the same standardisation, every distance sorted, pairs in a set.
    const expected = brutePairs(standardizeColumns(X), scores, 5);
    assert.equal(audit.pairs, expected.length);
    const found = new Map(
      Array.from(audit.pairList.a, (a, p) => [
        `${a},${audit.pairList.b[p]}`,
        [audit.pairList.distance[p], audit.pairList.delta[p]],
      ]),
    );
    for (const e of expected) assert.deepEqual(found.get(`${e.a},${e.b}`), [e.distance, e.delta]);
    const ratios = expected
      .map((e) => (e.distance === 0 ? (e.delta === 0 ? 0 : Number.POSITIVE_INFINITY) : e.delta / e.distance))
      .sort((x, y) => x - y);
    const finite = ratios.filter(Number.isFinite);
    assert.equal(audit.lipschitzConstant, finite[finite.length - 1]);
    assert.equal(audit.quantiles.max, ratios[ratios.length - 1]);
    const identicalDifferent = expected.filter((e) => e.distance === 0 && e.delta > 0).length;
    assert.equal(audit.identicalTreatedDifferently, identicalDifferent);
    assert.ok(identicalDifferent > 0, "COMPAS has identical feature rows with different deciles");
    const violations = expected.filter((e) => e.delta > L * e.distance).length;
    assert.equal(audit.violations?.violations, violations);
    assert.equal(audit.violations?.rate, violations / expected.length);
    const crossing = expected.filter((e) => race[e.a] !== race[e.b]);
    assert.equal(audit.crossing?.different.pairs, crossing.length);
    assert.equal(audit.crossing?.same.pairs, expected.length - crossing.length);
    assert.equal(audit.worst.length, 10);
    assert.ok(audit.worst[0].features && "age" in audit.worst[0].features.a);
  });
});

describe("sensitiveSubspaceProjection", () => {
  it("removes exactly the learned directions: orthogonal to each, idempotent, orthonormal directions", () => {
    const rng = createRandom(11);
    const n = 400;
    const group = Array.from({ length: n }, () => ["a", "b", "c"][rng.int(3)]);
    // Five columns; columns 0 and 2 shift with the group.
    const X = toMatrix(
      group.map((g) => {
        const shift = g === "a" ? 0 : g === "b" ? 1 : -1;
        return [rng.normal() + shift, rng.normal(), rng.normal() - 0.5 * shift, rng.normal(), rng.int(2)];
      }),
    );
    const { project, directions } = sensitiveSubspaceProjection(X, group);
    for (let s = 0; s < directions.length; s++) {
      for (let t = 0; t < directions.length; t++) {
        const dot = directions[s].reduce((acc, v, j) => acc + v * directions[t][j], 0);
        close(dot, s === t ? 1 : 0, 1e-12, `u${s}·u${t}`);
      }
    }
    const P = project(X);
    for (let i = 0; i < n; i++) {
      for (const u of directions) {
        const dot = u.reduce((acc, v, j) => acc + v * P.data[i * 5 + j], 0);
        close(dot, 0, 1e-9, `row ${i}·u`);
      }
    }
    const PP = project(P);
    for (let t = 0; t < P.data.length; t++) close(PP.data[t], P.data[t], 1e-12, "idempotent");
    // Three levels, three one-vs-rest fits: three directions (the middle group's is mostly noise),
    // whose span holds the direction the groups' means differ along, (1, 0, −0.5, 0, 0)/‖·‖.
    assert.equal(directions.length, 3);
    const shift = [1, 0, -0.5, 0, 0].map((v) => v / Math.sqrt(1.25));
    const inSpan = directions.reduce((acc, u) => acc + u.reduce((t, v, j) => t + v * shift[j], 0) ** 2, 0);
    assert.ok(inSpan > 0.98, `share of the shift in the span: ${inSpan}`);
    // Two levels: one fit, one direction (the other level's is its reverse).
    const binary = sensitiveSubspaceProjection(
      X,
      group.map((g) => (g === "b" ? "b" : "other")),
    );
    assert.equal(binary.directions.length, 1);
    assert.throws(() => project([[1, 2]]), /X has 2 columns but the sensitive subspace projection was fitted on 5/);
  });

  it("gives no direction for a single group: the projection is the identity", () => {
    const X = toMatrix([
      [1, 2],
      [3, 4],
    ]);
    const { project, directions } = sensitiveSubspaceProjection(X, ["a", "a"]);
    assert.deepEqual(directions, []);
    assert.deepEqual(project(X).data, X.data);
  });
});
