/**
 * Structural causal models: the declaration (text and JSON, with every mistake named by line),
 * the fit (exact on a constructed table, EM recovering planted loadings), counterfactuals by hand,
 * path effects equal to the counterfactual change they decompose, and the predictors' counterfactual
 * gaps (0 for fair-add, the indirect effect for a direct-path removal).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom } from "../../src/core/random.js";
import { FairkitError } from "../../src/core/errors.js";
import { counterfactualTest } from "../../src/individual/counterfactual.js";
import { counterfactualStudy } from "../../src/individual/study.js";
import { directedPaths, parsePath, pathEffects } from "../../src/individual/paths.js";
import { fitPredictor, rmse } from "../../src/individual/predictors.js";
import { fitScm, parseScm, scmFromJSON, scmText } from "../../src/individual/scm.js";
import { LinearRegression } from "../../src/models/linear-regression.js";
import { toMatrix } from "../../src/models/matrix.js";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (± ${tol})`);

/**
 * X = 1 + 2·[A=b] + u_x and Y = 0.5 + 3·X − [A=b] + u_y, with u_x = (1, −1, 1, −1) and
 * u_y = (1, 1, −1, −1) in each group: zero mean per group and orthogonal to each other, so least
 * squares recovers the coefficients exactly and the residuals are u_x and u_y.
 */
function constructed() {
  const ux = [1, -1, 1, -1, 1, -1, 1, -1];
  const uy = [1, 1, -1, -1, 1, 1, -1, -1];
  const A = ["a", "a", "a", "a", "b", "b", "b", "b"];
  const X = A.map((a, i) => 1 + 2 * (a === "b" ? 1 : 0) + ux[i]);
  const Y = A.map((a, i) => 0.5 + 3 * X[i] - (a === "b" ? 1 : 0) + uy[i]);
  return { table: { A, X, Y, id: A.map((_, i) => `r${i}`) }, ux, uy };
}
const MODEL = "A: categorical\nX <- A\nY <- X + A\n";

describe("the declaration", () => {
  test("text: kinds, equations, comments, topological order, and back to text", () => {
    const d = parseScm("# law\nZ <- Y + A   # the outcome\nY <- A\nA: categorical\n");
    assert.deepEqual(
      d.nodes.map((n) => [n.name, n.kind, n.parents]),
      [
        ["A", "categorical", []],
        ["Y", "numeric", ["A"]],
        ["Z", "numeric", ["Y", "A"]],
      ],
    );
    assert.equal(scmText(d), "A: categorical\nY <- A\nZ <- Y + A\n");
    assert.deepEqual(parseScm(scmText(d)).nodes, parseScm("A: categorical\nY <- A\nZ <- Y + A").nodes);
  });

  test("JSON gives the same model", () => {
    const json = scmFromJSON({
      kind: "fairkit.scm",
      schema_version: 1,
      nodes: [
        { name: "A", kind: "categorical" },
        { name: "X", parents: ["A"] },
        { name: "Y", parents: ["X", "A"] },
      ],
    });
    assert.deepEqual(
      json.nodes.map((n) => [n.name, n.kind, n.parents]),
      parseScm(MODEL).nodes.map((n) => [n.name, n.kind, n.parents]),
    );
    assert.throws(() => scmFromJSON({ nodes: [] }), /not a model: expected \{ "kind": "fairkit.scm"/);
  });

  const mistakes: [string, RegExp][] = [
    ["A: categorical\nX <- A\nX <- A", /model, line 3: X already has an equation \(line 2\)/],
    ["X <- Y\nY <- X", /the arrows form a cycle \((X -> Y -> X|Y -> X -> Y)\)/],
    [
      "A: categorical\nA <- X",
      /line 2: A is categorical, and in a linear-Gaussian model categorical nodes are exogenous/,
    ],
    ["K: latent\nK <- X", /line 2: K is latent, and a latent node is a root/],
    ["A: nominal", /line 1: unknown node kind "nominal"; known kinds: numeric, categorical, latent/],
    ["X = A + B", /line 1: cannot read "X = A \+ B": write "NAME: numeric\|categorical\|latent"/],
    ["X <- ", /line 1: X <- needs at least one parent/],
    ["X <- A + A", /line 1: the equation of X names a parent twice/],
    ["X <- X", /line 1: X cannot be its own parent/],
    ["1X <- A", /line 1: "1X" is not a node name/],
    ["A: categorical", /the model has no equation/],
    ["A: categorical\nA: numeric\nX <- A", /line 2: the kind of A is already declared \(line 1\)/],
  ];
  for (const [text, message] of mistakes) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseScm(text),
        (e: unknown) => e instanceof FairkitError && e.code === "BAD_ARGUMENT" && message.test(e.message),
      );
    });
  }
});

describe("fit and counterfactuals on a constructed table", () => {
  const { table, ux, uy } = constructed();
  const scm = fitScm(MODEL, table);

  test("least squares recovers the planted equations exactly", () => {
    const x = scm.equations.get("X");
    const y = scm.equations.get("Y");
    assert.deepEqual(x?.terms, ["A=b"]);
    close(x?.intercept ?? Number.NaN, 1, 1e-12, "X intercept");
    close(x?.coef[0] ?? Number.NaN, 2, 1e-12, "X coef");
    assert.deepEqual(y?.terms, ["X", "A=b"]);
    close(y?.intercept ?? Number.NaN, 0.5, 1e-12, "Y intercept");
    close(y?.coef[0] ?? Number.NaN, 3, 1e-12, "Y on X");
    close(y?.coef[1] ?? Number.NaN, -1, 1e-12, "Y on A=b");
    // σ is the root mean squared residual: every |u| is 1.
    close(x?.sd ?? Number.NaN, 1, 1e-12, "σ_X");
    const r = scm.residuals(table);
    r.get("X")?.forEach((v, i) => {
      close(v, ux[i], 1e-12, `u_x[${i}]`);
    });
    r.get("Y")?.forEach((v, i) => {
      close(v, uy[i], 1e-12, `u_y[${i}]`);
    });
  });

  test("abduction, action, prediction by hand", () => {
    // Row 0: A = a, u_x = 1, u_y = 1: X = 2, Y = 0.5 + 6 + 1 = 7.5. Had A been b: X' = 1 + 2 + 1 = 4,
    // Y' = 0.5 + 12 − 1 + 1 = 12.5.
    const cf = scm.counterfactual(table, { A: "b" });
    close(Number(cf.X[0]), 4, 1e-12, "X'");
    close(Number(cf.Y[0]), 12.5, 1e-12, "Y'");
    // Rows already at b do not move; columns the model does not name are copied.
    close(Number(cf.Y[4]), table.Y[4], 1e-12, "Y of a b row");
    assert.deepEqual(cf.id, table.id);
    assert.deepEqual(Array.from(cf.A), new Array(8).fill("b"));
    // The input is untouched.
    assert.equal(table.A[0], "a");
    assert.throws(
      () => scm.counterfactual(table, { A: "c" }),
      /A has no level "c" in the data the model was fitted on; its levels: "a", "b"/,
    );
    assert.throws(() => scm.counterfactual(table, { Q: "b" }), /"Q" is not a node of the model; its nodes: A, X, Y/);
  });

  test("path effects: direct −1, through X 2·3 = 6, total 5 = Y' − Y", () => {
    assert.deepEqual(directedPaths(scm, "A", "Y"), [
      ["A", "X", "Y"],
      ["A", "Y"],
    ]);
    const fx = pathEffects(scm, { from: "A", to: "Y", level: "b", reference: "a" });
    close(fx.paths[0].effect, 6, 1e-12, "A→X→Y");
    close(fx.paths[1].effect, -1, 1e-12, "A→Y");
    close(fx.total, 5, 1e-12, "total");
    assert.deepEqual(parsePath(" A -> X->Y "), ["A", "X", "Y"]);
  });

  test("predictors: fair-add by hand, and the gaps of full, fair-add and paths", async () => {
    // Fair Add regresses Y on u_x: Y = 3.5 + 5·[A=b] + 3·u_x + u_y, and u_x is uncorrelated with A and u_y,
    // so the slope is 3 and the intercept mean(Y) = 6; row 0 (u_x = 1) predicts 9.
    const fair = fitPredictor(scm, table, { kind: "fair-add", target: "Y", sensitive: ["A"] });
    assert.deepEqual(fair.terms, ["resid(X)"]);
    close(fair.coef[0], 3, 1e-12, "fair-add slope");
    close(fair.intercept, 6, 1e-12, "fair-add intercept");
    close(fair.predict(table)[0], 9, 1e-12, "fair-add row 0");
    const gap = async (predict: (t: typeof table) => Float64Array) =>
      (await counterfactualTest({ scm, table, attribute: "A", to: ["b"], predict: (t) => predict(t as typeof table) }))
        .pairs[0];
    // Fair Add: exactly no change for any row.
    const f = await gap((t) => fair.predict(t));
    assert.equal(f.from, "a");
    assert.ok(Math.abs(f.quantiles.min) < 1e-12 && Math.abs(f.quantiles.max) < 1e-12);
    // Full: the total effect, 5, for every row.
    const full = fitPredictor(scm, table, { kind: "full", target: "Y", sensitive: ["A"] });
    close((await gap((t) => full.predict(t))).meanChange, 5, 1e-12, "full gap");
    // Unaware reads X only (slope 3 + … fitted): its gap is its X slope times X's change of 2.
    const unaware = fitPredictor(scm, table, { kind: "unaware", target: "Y", sensitive: ["A"] });
    assert.deepEqual(unaware.terms, ["X"]);
    close((await gap((t) => unaware.predict(t))).meanChange, 2 * unaware.coef[0], 1e-12, "unaware gap");
    // Removing only the direct path keeps the indirect effect, 6; removing both leaves 0.
    const direct = fitPredictor(scm, table, {
      kind: "paths",
      target: "Y",
      sensitive: ["A"],
      unfairPaths: [["A", "Y"]],
      reference: { A: "a" },
    });
    close(direct.predict(table)[0], 6.5, 1e-12, "paths row 0: 0.5 + 3·2");
    close((await gap((t) => direct.predict(t))).meanChange, 6, 1e-12, "direct removed");
    const both = fitPredictor(scm, table, {
      kind: "paths",
      target: "Y",
      sensitive: ["A"],
      unfairPaths: [
        ["A", "Y"],
        ["A", "X", "Y"],
      ],
    });
    assert.ok(Math.abs((await gap((t) => both.predict(t))).meanChange) < 1e-12);
  });

  test("predictor mistakes are named", () => {
    assert.throws(
      () => fitPredictor(scm, table, { kind: "unaware", target: "Y", sensitive: ["A"], features: ["A"] }),
      /A is protected: the unaware predictor does not read protected attributes/,
    );
    assert.throws(
      () => fitPredictor(scm, table, { kind: "full", target: "Y", sensitive: ["A"], features: ["Y"] }),
      /Y is the target: it cannot be a feature/,
    );
    assert.throws(
      () => fitPredictor(scm, table, { kind: "paths", target: "Y", sensitive: ["A"], unfairPaths: [["X", "Y"]] }),
      /the path X->Y must start at a protected attribute \(A\) and end at the target Y/,
    );
    assert.throws(
      () => fitPredictor(scm, table, { kind: "paths", target: "Y", sensitive: ["A"], unfairPaths: [["A", "Q", "Y"]] }),
      /"Q" is not a node of the model/,
    );
    assert.throws(
      () => fitPredictor(scm, table, { kind: "latent", target: "Y", sensitive: ["A"] }),
      /the model has no latent node/,
    );
    assert.throws(
      () => fitPredictor(scm, table, { kind: "full", target: "A", sensitive: ["A"] }),
      /the target A must be a numeric node/,
    );
  });

  test("fit mistakes name the column and the row", () => {
    assert.throws(() => fitScm(MODEL, { A: table.A, X: table.X }), /the table has no column "Y"/);
    const bad = { ...table, X: [...table.X.slice(0, 3), "n/a", ...table.X.slice(4)] };
    assert.throws(() => fitScm(MODEL, bad), /column "X" is numeric but has "n\/a" at index 3/);
    const missing = { ...table, A: [...table.A.slice(0, 5), null, ...table.A.slice(6)] };
    assert.throws(() => fitScm(MODEL, missing), /categorical node A has a missing value at index 5/);
    assert.throws(() => fitScm(MODEL, { ...table, A: new Array(8).fill("a") }), /A has a single level \("a"\)/);
  });

  test("weights: a row of weight 2 counts as two rows", () => {
    const w = [2, 1, 1, 1, 1, 1, 1, 1];
    const doubled = Object.fromEntries(Object.entries(table).map(([k, v]) => [k, [v[0], ...v]]));
    const a = fitScm(MODEL, table, { sampleWeight: w }).equations.get("Y");
    const b = fitScm(MODEL, doubled).equations.get("Y");
    a?.coef.forEach((c, k) => {
      close(c, b?.coef[k] ?? Number.NaN, 1e-10, `coef ${k}`);
    });
    close(a?.sd ?? 0, b?.sd ?? 1, 1e-12, "σ");
  });
});

describe("latent roots: EM recovers planted loadings", () => {
  // K ~ N(0, 1); X1 = 1 + 0.8K + 0.5[A=b] + e(0.6); X2 = −2 + 1.5K + e(1.0); X3 = 0.5K − 0.3[A=b] + e(0.5).
  const rng = createRandom(3);
  const n = 20000;
  const A: string[] = [];
  const K: number[] = [];
  const X1: number[] = [];
  const X2: number[] = [];
  const X3: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = rng.next() < 0.4 ? 1 : 0;
    const k = rng.normal();
    A.push(b ? "b" : "a");
    K.push(k);
    X1.push(1 + 0.8 * k + 0.5 * b + 0.6 * rng.normal());
    X2.push(-2 + 1.5 * k + 1.0 * rng.normal());
    X3.push(0.5 * k - 0.3 * b + 0.5 * rng.normal());
  }
  const table = { A, X1, X2, X3 };
  const scm = fitScm("A: categorical\nK: latent\nX1 <- K + A\nX2 <- K\nX3 <- K + A\n", table);

  test("loadings, noise SDs and covariate effects within sampling error", () => {
    const eq = (name: string) => scm.equations.get(name);
    close(eq("X1")?.loadings.K ?? 0, 0.8, 0.04, "λ1");
    close(eq("X2")?.loadings.K ?? 0, 1.5, 0.06, "λ2");
    close(eq("X3")?.loadings.K ?? 0, 0.5, 0.03, "λ3");
    close(eq("X1")?.sd ?? 0, 0.6, 0.04, "σ1");
    close(eq("X2")?.sd ?? 0, 1.0, 0.05, "σ2");
    close(eq("X3")?.sd ?? 0, 0.5, 0.03, "σ3");
    close(eq("X1")?.coef[0] ?? 0, 0.5, 0.05, "X1 on A=b");
    close(eq("X3")?.coef[0] ?? 0, -0.3, 0.03, "X3 on A=b");
    assert.ok(scm.iterations > 1 && scm.iterations < 500, `iterations ${scm.iterations}`);
  });

  test("the posterior mean tracks K (correlation > 0.85) and does not move under a counterfactual of A", () => {
    const post = scm.latentPosterior(table).get("K") as Float64Array;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxy += post[i] * K[i];
      sxx += post[i] * post[i];
      syy += K[i] * K[i];
    }
    assert.ok(sxy / Math.sqrt(sxx * syy) > 0.85, `correlation ${sxy / Math.sqrt(sxx * syy)}`);
    const cf = scm.latentPosterior(scm.counterfactual(table, { A: "b" })).get("K") as Float64Array;
    for (let i = 0; i < n; i += 97) close(cf[i], post[i], 1e-9, `E[K] row ${i}`);
  });
});

describe("linear regression", () => {
  test("exact on a line, and the width check", () => {
    const lm = new LinearRegression().fit(toMatrix([[0], [1], [2]]), [1, 3, 5]);
    close(lm.coef[0], 2, 1e-12, "slope");
    close(lm.intercept, 1, 1e-12, "intercept");
    close(lm.residualSd, 0, 1e-12, "σ");
    close(lm.rSquared, 1, 1e-12, "R²");
    assert.throws(() => lm.predict(toMatrix([[1, 2]])), /X has 2 columns but the linear regression was fitted on 1/);
    assert.throws(
      () => new LinearRegression().fit(toMatrix([[0], [1]]), [1, Number.NaN]),
      /y must be a finite number; found NaN at index 1/,
    );
  });

  test("rmse", () => {
    close(rmse([1, 2, 3], [1, 2, 5]), Math.sqrt(4 / 3), 1e-15, "rmse");
  });
});

describe("the study and the predictors on awkward inputs", () => {
  const rng = createRandom(21);
  const n = 200;
  const A = Array.from({ length: n }, () => (rng.next() < 0.5 ? "a" : "b"));
  const X: (number | string)[] = A.map((a) => (a === "b" ? 1 : 0) + rng.normal());
  const Y = A.map((a, i) => 2 * Number(X[i]) - (a === "b" ? 0.5 : 0) + rng.normal());

  test("an error about a row names the row of the table, not of the training or test part", async () => {
    for (const row of [7, 150]) {
      const bad = [...X];
      bad[row] = "abc";
      await assert.rejects(
        counterfactualStudy({ model: MODEL, table: { A, X: bad, Y }, target: "Y", sensitive: ["A"] }),
        (e: unknown) => e instanceof FairkitError && e.message.includes(`at index ${row}`) && e.location.row === row,
      );
    }
  });

  test("a user model's RMSE is reported only when it predicts the target; fitted predictors score rows without the target", async () => {
    const table = { A, X, Y };
    const models = { model: (t: Record<string, ArrayLike<unknown>>) => Array.from(t.X, Number) };
    const without = await counterfactualStudy({ model: MODEL, table, target: "Y", sensitive: ["A"], models });
    assert.ok(Number.isNaN(without.predictors.at(-1)?.rmse ?? 0));
    const withRmse = await counterfactualStudy({
      model: MODEL,
      table,
      target: "Y",
      sensitive: ["A"],
      models,
      modelsPredictTarget: true,
    });
    assert.ok(Number.isFinite(withRmse.predictors.at(-1)?.rmse ?? Number.NaN));
    const scm = fitScm(MODEL, table);
    for (const kind of ["full", "unaware", "fair-add"] as const) {
      const p = fitPredictor(scm, table, { kind, target: "Y", sensitive: ["A"] });
      const onNew = p.predict({ A: A.slice(0, 5), X: X.slice(0, 5) });
      const onOld = p.predict({ A: A.slice(0, 5), X: X.slice(0, 5), Y: Y.slice(0, 5) });
      assert.deepEqual(Array.from(onNew), Array.from(onOld), kind);
    }
    const paths = fitPredictor(scm, table, { kind: "paths", target: "Y", sensitive: ["A"], unfairPaths: [["A", "Y"]] });
    assert.equal(paths.predict({ A: ["a"], X: [1] }).length, 1);
    // A counterfactual of rows without the target leaves it out; one without a parent it needs is an error.
    assert.equal(scm.counterfactual({ A: ["a"], X: [1] }, { A: "b" }).Y, undefined);
    assert.throws(() => scm.counterfactual({ A: ["a"], Y: [1] }, { A: "b" }), /the table has no column "X"/);
  });

  test("a path given twice is refused, not removed twice; a coded level is written back as the number", () => {
    const scm = fitScm(MODEL, { A, X, Y });
    assert.throws(
      () =>
        fitPredictor(
          scm,
          { A, X, Y },
          {
            kind: "paths",
            target: "Y",
            sensitive: ["A"],
            unfairPaths: [
              ["A", "Y"],
              ["A", "Y"],
            ],
          },
        ),
      /the path A->Y is given twice/,
    );
    const coded = fitScm("S: categorical\nX <- S\n", { S: [1, 2, 1, 2], X: [0, 1, 0.2, 1.1] });
    assert.deepEqual(coded.counterfactual({ S: [1], X: [0] }, { S: 2 }).S, [2]);
  });
});
