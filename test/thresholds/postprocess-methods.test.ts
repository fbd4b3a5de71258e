/**
 * `fairkit postprocess --method reject-option|calibrated-eo` and `fairkit apply` as a user runs
 * them (child processes): the saved policies are valid, applying them gives the library's
 * decisions row by row, version-2 policies still apply, bad options are usage errors naming the
 * option, and the comparison runner's post-processing methods on Adult.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parse } from "csv-parse/sync";
import { createRandom } from "../../src/core/random.js";
import { compareMitigations, methodDocument } from "../../src/mitigation/compare.js";
import { SavedMitigationModel } from "../../src/mitigation/saved-model.js";
import { COMPAS_FILTER } from "../../src/node/io/datasets.js";
import { CalibratedEqualizedOdds } from "../../src/thresholds/calibrated-equalized-odds.js";
import { RejectOptionClassification } from "../../src/thresholds/reject-option.js";
import { runCli } from "../cli/run-cli.js";
import { ADULT_COLUMNS, adultRows, compasFiltered, dataPath, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-postprocess-methods-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const skipCompas = skipWithoutData("compas-scores-two-years.csv");
const skipAdult = skipWithoutData("adult.data");

/** A small file of calibrated probabilities (y drawn with probability p) with three groups and weights. */
function writeScores(): { path: string; rows: { p: number; y: number; g: string; w: number }[] } {
  const rng = createRandom(5);
  const rows = Array.from({ length: 240 }, (_, i) => {
    const g = ["a", "b", "c"][i % 3];
    const u = rng.next();
    const p = Math.round((g === "a" ? u * u : g === "b" ? u : Math.sqrt(u)) * 100) / 100;
    const y = rng.next() < p ? 1 : 0;
    return { p, y, g, w: 1 + (i % 4) / 2 };
  });
  const path = join(dir, "scores.csv");
  writeFileSync(path, `p,y,g,w\n${rows.map((r) => `${r.p},${r.y},${r.g},${r.w}`).join("\n")}\n`);
  return { path, rows };
}

test("reject-option on COMPAS through the CLI: the library's policy, applied row by row", {
  skip: skipCompas,
}, async () => {
  const file = dataPath("compas-scores-two-years.csv")!;
  const policyPath = join(dir, "roc.json");
  const where = `race IN ('African-American','Caucasian') AND ${COMPAS_FILTER}`;
  const fit = await runCli([
    "postprocess",
    file,
    "--score",
    "decile_score",
    "--y-true",
    "two_year_recid",
    "--sensitive",
    "race",
    "--where",
    where,
    "--method",
    "reject-option",
    "--favorable",
    "negative",
    "-o",
    policyPath,
  ]);
  assert.equal(fit.code, 0, fit.stderr);
  assert.match(fit.stderr, /reject-option classification, statistical_parity_difference in \[-0\.05, 0\.05\]/);
  assert.match(fit.stderr, /privileged "Caucasian", on 5278 rows/);
  assert.match(fit.stderr, /critical region: threshold 5\.0000, margin 1\.0000/);
  assert.match(
    fit.stderr,
    /expected balanced accuracy 0\.6490, accuracy 0\.6506, statistical_parity_difference -0\.0278/,
  );
  const policy = assertValid(JSON.parse(readFileSync(policyPath, "utf8")), "threshold-policy");
  assert.equal(policy.method, "reject_option_classification");
  assert.equal(policy.schema_version, 3);
  assert.deepEqual(policy.settings.privileged, [["Caucasian"]]);
  // The library on csv-parse rows gives the same document (but for the input block).
  const rows = compasFiltered().filter((r) => r.race === "African-American" || r.race === "Caucasian");
  const roc = new RejectOptionClassification({ favorableDecision: 0 }).fit(
    rows.map((r) => Number(r.decile_score)),
    rows.map((r) => Number(r.two_year_recid)),
    { race: rows.map((r) => r.race) },
  );
  const { input: _input, ...saved } = policy;
  assert.deepEqual(saved, JSON.parse(JSON.stringify(roc.toJSON())));
  // Applying it decides each row by its group's cut: Caucasian from 4, African-American from 6.
  const out = join(dir, "roc-decisions.csv");
  const apply = await runCli(["apply", policyPath, file, "--where", where, "--keep", "id", "-o", out]);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stderr, /fairkit apply: 5278 rows, .*; reject-option classification policy/);
  const decided: Record<string, string>[] = parse(readFileSync(out), { columns: true });
  assert.equal(decided.length, 5278);
  for (const d of decided) {
    const cut = d.group === "Caucasian" ? 4 : 6;
    assert.equal(Number(d.decision), Number(d.decile_score) >= cut ? 1 : 0, d.id);
    assert.equal(d.probability, d.decision);
  }
});

test("calibrated-eo through the CLI: three groups, weights; apply gives the library's probabilities and seeded draws", async () => {
  const { path, rows } = writeScores();
  const policyPath = join(dir, "ceo.json");
  const fit = await runCli([
    "postprocess",
    path,
    "--score",
    "p",
    "--y-true",
    "y",
    "--sensitive",
    "g",
    "--weight",
    "w",
    "--method",
    "calibrated-eo",
    "-o",
    policyPath,
  ]);
  assert.equal(fit.code, 0, fit.stderr);
  assert.match(fit.stderr, /calibrated equalized odds, cost weighted, threshold 0\.5, on 240 rows/);
  const policy = assertValid(JSON.parse(readFileSync(policyPath, "utf8")), "threshold-policy");
  const ceo = new CalibratedEqualizedOdds().fit(
    rows.map((r) => r.p),
    rows.map((r) => r.y),
    { g: rows.map((r) => r.g) },
    { sampleWeight: rows.map((r) => r.w) },
  );
  const { input: _input, ...saved } = policy;
  assert.deepEqual(saved, JSON.parse(JSON.stringify(ceo.toJSON())));
  // Every group's cost after mixing is the worst one's.
  const after = policy.settings.groups.map((g: { cost_after: number }) => g.cost_after);
  assert.ok(Math.max(...after) - Math.min(...after) < 1e-12);
  const out = join(dir, "ceo-decisions.csv");
  const apply = await runCli(["apply", policyPath, path, "--seed", "7", "-o", out]);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stderr, /fairkit apply: 240 rows, .*; calibrated equalized odds policy/);
  const decided: Record<string, string>[] = parse(readFileSync(out), { columns: true });
  const proba = ceo.predictProba(
    rows.map((r) => r.p),
    { g: rows.map((r) => r.g) },
  );
  const draws = ceo.predict(
    rows.map((r) => r.p),
    { g: rows.map((r) => r.g) },
    { seed: 7 },
  );
  decided.forEach((d, i) => {
    assert.equal(Number(d.probability), proba[i], `row ${i}`);
    assert.equal(Number(d.decision), draws[i], `row ${i}`);
  });
});

test("a version-2 policy (no method) is still applied, as the ThresholdOptimizer's", async () => {
  const { path } = writeScores();
  const policyPath = join(dir, "to.json");
  const fit = await runCli([
    "postprocess",
    path,
    "--score",
    "p",
    "--y-true",
    "y",
    "--sensitive",
    "g",
    "-o",
    policyPath,
  ]);
  assert.equal(fit.code, 0, fit.stderr);
  assert.match(fit.stderr, /ThresholdOptimizer, demographic_parity \(accuracy\) on 240 rows/);
  const doc = assertValid(JSON.parse(readFileSync(policyPath, "utf8")), "threshold-policy");
  assert.equal(doc.method, "threshold_optimizer");
  const { method: _method, ...v2 } = doc;
  const v2Path = join(dir, "v2.json");
  writeFileSync(v2Path, JSON.stringify({ ...v2, schema_version: 2 }));
  const a = await runCli(["apply", policyPath, path, "--seed", "3"]);
  const b = await runCli(["apply", v2Path, path, "--seed", "3"]);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout, a.stdout);
  assert.match(b.stderr, /fairkit apply: 240 rows, .*; ThresholdOptimizer policy/);
});

test("bad option values and options of another method are usage errors naming the option (exit 2)", async () => {
  const { path } = writeScores();
  const base = ["postprocess", path, "--score", "p", "--y-true", "y", "--sensitive", "g"];
  const cases: [string[], RegExp][] = [
    [["--method", "lasso"], /--method must be one of threshold, reject-option, calibrated-eo; got "lasso"/],
    [
      ["--method", "reject-option", "--metric", "accuracy"],
      /--metric: metric must be one of statistical_parity_difference/,
    ],
    [
      ["--method", "reject-option", "--lower-bound", "0.1", "--upper-bound", "-0.1"],
      /--lower-bound \/ --upper-bound: lowerBound \(0\.1\) must be a finite number <= upperBound \(-0\.1\)/,
    ],
    [["--method", "reject-option", "--privileged", "z"], /--privileged: privileged names the group "z"/],
    [
      ["--method", "reject-option", "--search", "grid", "--grid-low", "2"],
      /--grid-low: grid\.low must be in \[0, 1\]; got 2/,
    ],
    [["--method", "reject-option", "--favorable", "yes"], /--favorable must be one of positive, negative; got "yes"/],
    [
      ["--method", "reject-option", "--cost-constraint", "fpr"],
      /--cost-constraint applies to --method calibrated-eo only/,
    ],
    [
      ["--method", "calibrated-eo", "--constraint", "equalized_odds"],
      /--constraint applies to --method threshold only/,
    ],
    [["--privileged", "a"], /--privileged applies to --method reject-option only/],
    [["--method", "calibrated-eo", "--cost-constraint", "tpr"], /--cost-constraint must be one of fpr, fnr, weighted/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli([...base, ...args]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message, args.join(" "));
  }
  // Not a usage error but a data error, still exit 2 and naming what to do: infeasible bounds.
  const infeasible = await runCli([
    ...base,
    "--method",
    "reject-option",
    "--lower-bound",
    "-1",
    "--upper-bound",
    "-0.9",
  ]);
  assert.equal(infeasible.code, 2);
  assert.match(infeasible.stderr, /no classification threshold and margin \(exact search\) keeps/);
});

test("postprocess --help describes the three methods and their options", async () => {
  const run = await runCli(["postprocess", "--help"]);
  assert.equal(run.code, 0);
  for (const text of [
    "--method reject-option",
    "--method calibrated-eo",
    "--metric <name>",
    "--privileged <group>",
    "--favorable <decision>",
    "--search <how>",
    "--cost-constraint <cost>",
  ])
    assert.ok(run.stdout.includes(text), text);
});

test("the comparison runner's post-processors on Adult by sex (first 70% train, last 30% test)", {
  skip: skipAdult,
}, () => {
  const rows = adultRows();
  const table: Record<string, (string | number)[]> = {};
  for (const c of ADULT_COLUMNS) table[c] = rows.map((r) => r[c]);
  for (const c of ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"])
    table[c] = table[c].map(Number);
  const result = compareMitigations({
    table,
    yTrue: "income",
    posLabel: ">50K",
    sensitive: ["sex"],
    features: [
      "age",
      "education-num",
      "capital-gain",
      "capital-loss",
      "hours-per-week",
      "workclass",
      "education",
      "marital-status",
      "occupation",
      "relationship",
      "race",
    ],
    methods: ["threshold-dp", "threshold-eo", "reject-option", "calibrated-eo"],
    shuffle: false,
    bootstrap: 0,
  });
  const by = Object.fromEntries(result.results.map((r) => [r.method, r]));
  for (const m of ["threshold-dp", "threshold-eo", "reject-option", "calibrated-eo"])
    assert.equal(by[m].stage, "decisions");
  const acc = (m: string) => by[m].accuracy.value;
  const dp = (m: string) => by[m].criteria.demographic_parity_difference.value;
  const eo = (m: string) => by[m].criteria.equalized_odds_difference.value;
  // Measured: the baseline (logistic regression, decisions at 0.5) has accuracy 0.8527, DP
  // difference 0.181 and EO difference 0.088 on the test rows.
  assert.ok(Math.abs(acc("baseline") - 0.8527) < 5e-4, String(acc("baseline")));
  // ThresholdOptimizer fitted on the training scores: DP 0.181 → 0.017 at accuracy 0.835; EO
  // difference 0.088 → 0.030 at 0.836 (the test rows are not the training rows, so not exactly 0).
  assert.ok(dp("threshold-dp") < 0.03 && Math.abs(acc("threshold-dp") - 0.8349) < 5e-4);
  assert.ok(eo("threshold-eo") < 0.04 && Math.abs(acc("threshold-eo") - 0.8363) < 5e-4);
  // Reject option (SPD within ±0.05 on the training rows; privileged: Male, the group with the most
  // positive labels): DP 0.061 on the test rows, at accuracy 0.789 (its objective is balanced accuracy).
  assert.equal(by["reject-option"].notes.privileged, "Male");
  assert.ok(dp("reject-option") < 0.07 && Math.abs(acc("reject-option") - 0.7892) < 5e-4);
  // Calibrated EO (weighted cost): women's base-rate score (0.11) costs less than men's scores do,
  // so no mix equalizes; like AIF360 the runner mixes them fully (cost_spread > 0 says by how
  // much), which at threshold 0.5 decides every woman negative: EO difference 0.62.
  assert.ok((by["calibrated-eo"].notes.cost_spread as number) > 0.02);
  assert.match(String(by["calibrated-eo"].notes.mix_rates), /Female: 1\.0000; Male: 0\.0000/);
  assert.ok(Math.abs(eo("calibrated-eo") - 0.62) < 0.01);
  // Each saved artefact is a valid policy, beside the baseline's model.
  for (const m of ["threshold-dp", "threshold-eo", "reject-option", "calibrated-eo"]) {
    assertValid(JSON.parse(JSON.stringify(by[m].artefacts.policy)), "threshold-policy");
    assert.deepEqual(by[m].artefacts.model, by.baseline.artefacts.model);
  }
  // Saved (as `fairkit mitigate --save` writes it) and read back, each post-processor decides the
  // test rows exactly as the comparison counted them: its policy applied to the baseline's scores.
  const testStart = rows.length - result.testRows;
  const testTable = Object.fromEntries(Object.entries(table).map(([c, v]) => [c, v.slice(testStart)]));
  const labels = rows.slice(testStart).map((r) => (r.income === ">50K" ? 1 : 0));
  for (const m of ["threshold-dp", "reject-option", "calibrated-eo"]) {
    const doc = JSON.parse(
      JSON.stringify(methodDocument(result, by[m], { source: "adult", yTrue: "income", sensitive: ["sex"] }, "0.0.0")),
    );
    assertValid(doc, "mitigation-model");
    const p = SavedMitigationModel.fromJSON(doc).decisions(testTable);
    const accuracy = labels.reduce((s: number, y, i) => s + (y === 1 ? p[i] : 1 - p[i]), 0) / labels.length;
    assert.ok(Math.abs(accuracy - acc(m)) < 1e-12, `${m}: ${accuracy} vs ${acc(m)}`);
  }
});
