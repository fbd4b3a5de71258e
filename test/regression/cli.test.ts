/**
 * `fairkit audit --task regression|multiclass` on the law-school data (21,790 students): a
 * least-squares prediction of first-year grades (ZFYA) from LSAT and UGPA, fitted here by an
 * independent 3 × 3 solve, audited by race. Every number is checked against a straight
 * recomputation from the rows (scikit-learn's MAE, MSE, R²; scipy's KS statistic), and the
 * multiclass audit of grade bands against the binary audit of each band recoded 0/1.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../cli/run-cli.js";
import { lawRows, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

const skip = skipWithoutData("law_data.csv");

/** OLS of y on [1, x1, x2] by the normal equations (Gauss–Jordan on 3 × 3). */
function ols(x1: number[], x2: number[], y: number[]): number[] {
  const rows = x1.map((_, i) => [1, x1[i], x2[i]]);
  const m = [0, 1, 2].map((a) => [
    ...[0, 1, 2].map((b) => rows.reduce((s, r) => s + r[a] * r[b], 0)),
    rows.reduce((s, r, i) => s + r[a] * y[i], 0),
  ]);
  for (let i = 0; i < 3; i++) {
    const p = m[i][i];
    for (let j = 0; j < 4; j++) m[i][j] /= p;
    for (let k = 0; k < 3; k++) if (k !== i) for (let j = 3; j >= 0; j--) m[k][j] -= m[k][i] * m[i][j];
  }
  return m.map((r) => r[3]);
}

function ks(a: number[], b: number[]): number {
  const points = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let sup = 0;
  for (const x of points) {
    while (i < sa.length && sa[i] <= x) i++;
    while (j < sb.length && sb[j] <= x) j++;
    sup = Math.max(sup, Math.abs(i / sa.length - j / sb.length));
  }
  return sup;
}

describe("fairkit audit --task regression and multiclass on the law-school data", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "fairkit-regression-"));
  const predictions = join(dir, "law_predictions.csv");
  const bands = join(dir, "law_bands.csv");
  const recoded = join(dir, "law_low.csv");
  let race: string[] = [];
  let y: number[] = [];
  let p: number[] = [];
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(() => {
    const rows = lawRows();
    race = rows.map((r) => r.race);
    y = rows.map((r) => Number(r.ZFYA));
    const beta = ols(
      rows.map((r) => Number(r.LSAT)),
      rows.map((r) => Number(r.UGPA)),
      y,
    );
    p = rows.map((r) => Number((beta[0] + beta[1] * Number(r.LSAT) + beta[2] * Number(r.UGPA)).toFixed(6)));
    writeFileSync(
      predictions,
      ["race,ZFYA,predicted", ...rows.map((r, i) => `${r.race},${r.ZFYA},${p[i]}`)].join("\n"),
    );
    const cut = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return [s[Math.floor(s.length / 3)], s[Math.floor((2 * s.length) / 3)]];
    };
    const [y1, y2] = cut(y);
    const [p1, p2] = cut(p);
    const band = (v: number, a: number, b: number) => (v < a ? "low" : v < b ? "middle" : "high");
    const yb = y.map((v) => band(v, y1, y2));
    const pb = p.map((v) => band(v, p1, p2));
    writeFileSync(bands, ["race,band,predicted_band", ...race.map((r, i) => `${r},${yb[i]},${pb[i]}`)].join("\n"));
    writeFileSync(
      recoded,
      [
        "race,low,predicted_low",
        ...race.map((r, i) => `${r},${yb[i] === "low" ? 1 : 0},${pb[i] === "low" ? 1 : 0}`),
      ].join("\n"),
    );
  });

  test("every group's MAE, MSE, R², mean residual equal a straight recomputation; the KS statistic equals scipy's definition", async () => {
    const run = await runCli([
      "audit",
      predictions,
      "--task",
      "regression",
      "--y-true",
      "ZFYA",
      "--y-pred",
      "predicted",
      "--sensitive",
      "race",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const doc = assertValid(JSON.parse(run.stdout), "regression-audit");
    assert.equal(doc.input.rows, 21790);
    for (const g of doc.groups) {
      const idx = race.flatMap((r, i) => (r === g.label ? [i] : []));
      const e = idx.map((i) => y[i] - p[i]);
      const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
      const ybar = mean(idx.map((i) => y[i]));
      const sse = e.reduce((s, v) => s + v * v, 0);
      const sst = idx.reduce((s, i) => s + (y[i] - ybar) ** 2, 0);
      const near = (a: number, b: number, what: string) =>
        assert.ok(Math.abs(a - b) < 1e-10, `${g.label} ${what}: ${a} vs ${b}`);
      near(g.metrics.mean_absolute_error, mean(e.map(Math.abs)), "MAE");
      near(g.metrics.mean_squared_error, sse / idx.length, "MSE");
      near(g.metrics.r2, 1 - sse / sst, "R²");
      near(g.metrics.mean_residual, mean(e), "mean residual");
    }
    const of = (label: string) => race.flatMap((r, i) => (r === label ? [p[i]] : []));
    const c = doc.criteria;
    assert.deepEqual(c.prediction_ks.labels.sort(), ["Black", "White"]);
    assert.ok(Math.abs(c.prediction_ks.value - ks(of("Black"), of("White"))) < 1e-12);
    // What the audit shows: LSAT and UGPA over-predict Black students' first-year grades by half a
    // standard deviation (mean residual −0.513) and under-predict White students' (+0.075): the
    // residual gap is 0.588, its interval well clear of 0; Black students also carry the largest error.
    const black = doc.groups.find((g: { label: string }) => g.label === "Black");
    assert.equal(Number(black.metrics.mean_residual.toFixed(3)), -0.513);
    assert.equal(Number(c.mean_residual_difference.value.toFixed(3)), 0.588);
    assert.ok(c.mean_residual_difference.interval[0] > 0.5);
    assert.deepEqual(c.worst_group_mean_squared_error.labels, ["Black"]);
    assert.equal(Number(c.worst_group_mean_squared_error.value.toFixed(3)), 1.151);
    assert.equal(Number(c.prediction_ks.value.toFixed(3)), 0.605);
  });

  test("--fail-on gates a regression criterion (exit 1, output still written); text output names who sets each gap", async () => {
    const run = await runCli([
      "audit",
      predictions,
      "--task",
      "regression",
      "--y-true",
      "ZFYA",
      "--y-pred",
      "predicted",
      "--sensitive",
      "race",
      "--fail-on",
      "mean_residual_difference>0.3",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /mean_residual_difference/);
    assert.match(run.stdout, /mean_residual_difference\s+0\.588 \(0\.53\d–0\.64\d\)\s+White vs Black/);
  });

  test("bad input: a blank prediction names the column, option and line; options of binary audits are refused", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "race,ZFYA,predicted\nWhite,0.1,0.2\nBlack,0.3,\nWhite,0.2,0.1\n");
    const run = await runCli([
      "audit",
      bad,
      "--task",
      "regression",
      "--y-true",
      "ZFYA",
      "--y-pred",
      "predicted",
      "--sensitive",
      "race",
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /column "predicted" \(--y-pred\) has 1 missing value, the first at data row 2 \(line 3\)/);
    const text = join(dir, "text.csv");
    writeFileSync(text, "race,ZFYA,predicted\nWhite,0.1,0.2\nBlack,high,0.1\n");
    const notNumber = await runCli([
      "audit",
      text,
      "--task",
      "regression",
      "--y-true",
      "ZFYA",
      "--y-pred",
      "predicted",
      "--sensitive",
      "race",
    ]);
    assert.equal(notNumber.code, 2);
    assert.match(notNumber.stderr, /column "ZFYA" \(--y-true\) must be numeric; found "high" at data row 2 \(line 3\)/);
    const score = await runCli([
      "audit",
      predictions,
      "--task",
      "regression",
      "--y-true",
      "ZFYA",
      "--score",
      "predicted",
      "--threshold",
      "0",
      "--sensitive",
      "race",
    ]);
    assert.equal(score.code, 2);
    assert.match(
      score.stderr,
      /--score does not apply to --task regression \(give the prediction as --y-pred COLUMN\)/,
    );
    const ci = await runCli([
      "audit",
      predictions,
      "--task",
      "regression",
      "--y-true",
      "ZFYA",
      "--y-pred",
      "predicted",
      "--sensitive",
      "race",
      "--ci",
      "wilson",
    ]);
    assert.equal(ci.code, 2);
    assert.match(ci.stderr, /--ci wilson does not apply to --task regression; use normal, bootstrap, none/);
  });

  test("a binary audit of a three-valued label says which task fits", async () => {
    const run = await runCli(["audit", bands, "--y-true", "band", "--y-pred", "predicted_band", "--sensitive", "race"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /found 3 distinct values .*--task multiclass/);
  });

  test("multiclass: each band's part equals the binary audit of that band recoded 0/1", async () => {
    const multi = await runCli([
      "audit",
      bands,
      "--task",
      "multiclass",
      "--y-true",
      "band",
      "--y-pred",
      "predicted_band",
      "--sensitive",
      "race",
      "--format",
      "json",
    ]);
    assert.equal(multi.code, 0, multi.stderr);
    const doc = assertValid(JSON.parse(multi.stdout), "multiclass-audit");
    assert.deepEqual(doc.classes, ["high", "low", "middle"]);
    const binary = await runCli([
      "audit",
      recoded,
      "--y-true",
      "low",
      "--y-pred",
      "predicted_low",
      "--sensitive",
      "race",
      "--metrics",
      "base_rate,selection_rate,true_positive_rate,false_positive_rate,positive_predictive_value",
      "--format",
      "json",
    ]);
    assert.equal(binary.code, 0, binary.stderr);
    const b = JSON.parse(binary.stdout);
    const low = doc.per_class.find((part: { label: string }) => part.label === "low");
    assert.deepEqual(low.groups, b.groups);
    assert.deepEqual(low.criteria, b.criteria);
    assert.deepEqual(low.checks, b.checks);
    // The worst class of demographic parity, and the overall accuracy straight from the rows.
    const worst = doc.criteria.demographic_parity_difference;
    assert.equal(
      worst.value,
      Math.max(
        ...doc.per_class.map(
          (part: { criteria: Record<string, number> }) => part.criteria.demographic_parity_difference,
        ),
      ),
    );
    const text = await runCli([
      "audit",
      bands,
      "--task",
      "multiclass",
      "--y-true",
      "band",
      "--y-pred",
      "predicted_band",
      "--sensitive",
      "race",
    ]);
    assert.match(text.stdout, /class low \(one-vs-rest\)/);
    assert.match(text.stdout, /demographic_parity_difference\s+0\.\d{3}\s+low/);
  });
});
