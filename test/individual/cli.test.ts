/**
 * `fairkit flip` and `fairkit counterfactual` as child processes: saved models and external
 * commands as the model, JSON valid by its schema, numbers equal to an independent recomputation,
 * gates (exit 1), and mistakes named with exit code 2.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createRandom } from "../../src/core/random.js";
import { LogisticRegression } from "../../src/models/logistic-regression.js";
import { TabularTransform } from "../../src/models/tabular.js";
import { repoRoot, runCli } from "../cli/run-cli.js";
import { dataPath, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-individual-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const csv = join(dir, "people.csv");
const rows: { age: number; job: string; sex: string; race: string }[] = [];

before(() => {
  const rng = createRandom(4);
  const lines = ["age,job,sex,race,hired"];
  for (let i = 0; i < 400; i++) {
    const sex = rng.next() < 0.5 ? "F" : "M";
    const race = rng.next() < 0.3 ? "b" : "a";
    const age = Math.round(35 + 10 * rng.normal());
    const job = ["x", "y"][rng.int(2)];
    const z = (age - 35) / 10 + (sex === "M" ? 1 : -1) + (job === "x" ? 0.3 : 0);
    lines.push(`${age},${job},${sex},${race},${rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0}`);
    rows.push({ age, job, sex, race });
  }
  writeFileSync(csv, `${lines.join("\n")}\n`);
});

describe("fairkit flip", () => {
  test("a saved baseline that reads sex: the JSON equals flipping and predicting with the saved transform and model", async () => {
    const models = join(dir, "models");
    const fit = await runCli([
      "mitigate",
      csv,
      "--y-true",
      "hired",
      "--sensitive",
      "race",
      "--methods",
      "reweighing",
      "--bootstrap",
      "0",
      "--save",
      models,
    ]);
    assert.equal(fit.code, 0, fit.stderr);
    const run = await runCli([
      "flip",
      csv,
      "--sensitive",
      "sex",
      "--model",
      join(models, "baseline.json"),
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const doc = assertValid(JSON.parse(run.stdout), "counterfactual");
    assert.equal(doc.kind, "fairkit.counterfactual");
    assert.equal(doc.result.test, "flip");
    // Independently: the saved transform and logistic regression, applied to the F rows with sex set to M.
    const saved = JSON.parse(readFileSync(join(models, "baseline.json"), "utf8"));
    const prep = TabularTransform.fromJSON(saved.transform);
    const model = LogisticRegression.fromJSON(saved.model);
    const female = rows.filter((r) => r.sex === "F");
    const table = (sex: string) => ({
      age: female.map((r) => r.age),
      job: female.map((r) => r.job),
      sex: female.map(() => sex),
      race: female.map((r) => r.race),
    });
    const before = model.predict(prep.transform(table("F")));
    const afterFlip = model.predict(prep.transform(table("M")));
    let changed = 0;
    for (let i = 0; i < female.length; i++) if (before[i] !== afterFlip[i]) changed++;
    const pair = doc.result.pairs.find((p: { from: string }) => p.from === "F");
    assert.equal(pair.rows, female.length);
    assert.ok(Math.abs(pair.changed_decisions - changed / female.length) < 1e-12);
    assert.ok(changed > 0, "the planted model reads sex");
    // The text table says the same; a gate on it exits 1 after printing.
    const gated = await runCli([
      "flip",
      csv,
      "--sensitive",
      "sex",
      "--model",
      join(models, "baseline.json"),
      "--fail-on",
      "max_changed_decisions>0.01",
    ]);
    assert.equal(gated.code, 1);
    assert.match(gated.stdout, /from\s+to\s+rows\s+changed_decisions/);
    assert.match(gated.stderr, /fairkit flip: max_changed_decisions = 0\.\d+ > 0\.01/);
  });

  test("an external command as the model; its failures are named", async () => {
    const script = join(dir, "model.mjs");
    writeFileSync(
      script,
      `let t = ""; process.stdin.on("data", (d) => (t += d)); process.stdin.on("end", () => {
  const [head, ...lines] = t.trim().split("\\n"); const s = head.split(",").indexOf("sex");
  process.stdout.write(lines.map((l) => (l.split(",")[s] === "M" ? "0.7" : "0.3")).join("\\n") + "\\n"); });`,
    );
    const ok = await runCli([
      "flip",
      csv,
      "--sensitive",
      "sex",
      "--model-command",
      `node ${script}`,
      "--format",
      "json",
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const doc = assertValid(JSON.parse(ok.stdout), "counterfactual");
    for (const p of doc.result.pairs) assert.equal(p.changed_decisions, 1);
    assert.equal(doc.model, `node ${script}`);
    const failing = await runCli(["flip", csv, "--sensitive", "sex", "--model-command", "echo broken >&2; exit 3"]);
    assert.equal(failing.code, 2);
    assert.match(failing.stderr, /--model-command "echo broken >&2; exit 3" exited with status 3: broken/);
    const short = await runCli(["flip", csv, "--sensitive", "sex", "--model-command", "echo 0.5"]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /wrote 1 lines for \d+ rows: it must write one number per input row/);
    const text = await runCli([
      "flip",
      csv,
      "--sensitive",
      "sex",
      "--model-command",
      `node -e "process.stdin.resume(); process.stdin.on('end', () => console.log(Array(${rows.filter((r) => r.sex === "F").length}).fill('x').join('\\n')))"`,
    ]);
    assert.equal(text.code, 2);
    // The first F row is the one the bad line scores; the message names its data row.
    const firstF = rows.findIndex((r) => r.sex === "F") + 1;
    assert.match(
      text.stderr,
      new RegExp(`output line 1 is "x", not a number: the score of its input line 2, the row at data row ${firstF}\\n`),
    );
    // Trailing empty lines are not scores.
    const blank = join(dir, "blank.mjs");
    writeFileSync(
      blank,
      `let t = ""; process.stdin.on("data", (d) => (t += d)); process.stdin.on("end", () => {
  const n = t.trim().split("\\n").length - 1; process.stdout.write(Array(n).fill("0.5").join("\\n") + "\\n\\n\\n"); });`,
    );
    const trailing = await runCli(["flip", csv, "--sensitive", "sex", "--model-command", `node ${blank}`]);
    assert.equal(trailing.code, 0, trailing.stderr);
  });

  test("usage mistakes exit 2 and say what to do", async () => {
    const cases: [string[], RegExp][] = [
      [["flip", csv, "--sensitive", "sex"], /name the model to test: --model FILE .* or --model-command CMD/],
      [["flip", csv, "--sensitive", "sex,race", "--model-command", "x"], /--sensitive names the one column to flip/],
      [
        ["flip", csv, "--sensitive", "sex", "--model-command", "x", "--swap", "job"],
        /--swap "job" is not COLUMN=VALUE:VALUE/,
      ],
      [
        ["flip", csv, "--sensitive", "sex", "--model-command", "x", "--model", "m.json"],
        /--model and --model-command both name a model/,
      ],
      [["flip", csv, "--sensitive", "sex", "--model", join(dir, "none.json")], /--model .*none\.json: no such file/],
      [["flip", csv, "--sensitive", "gender", "--model-command", "x"], /gender/],
      [
        ["flip", csv, "--sensitive", "sex", "--model-command", "x", "--where", "1=0"],
        /no rows match --where "1=0" \(the file has 400 rows\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    writeFileSync(join(dir, "policy.json"), JSON.stringify({ kind: "fairkit.threshold_policy" }));
    const wrong = await runCli(["flip", csv, "--sensitive", "sex", "--model", join(dir, "policy.json")]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /a model saved by `fairkit mitigate --save DIR` is expected/);
  });
});

describe("fairkit counterfactual on the law-school data", { skip: skipWithoutData("law_data.csv") }, () => {
  const law = dataPath("law_data.csv") as string;
  const base = [
    "counterfactual",
    law,
    "--where",
    "region_first != 'PO'",
    "--scm",
    join(repoRoot, "examples", "law.scm"),
    "--target",
    "ZFYA",
    "--sensitive",
    "race,sex",
  ];

  test("JSON by its schema: fair-add exactly fair, the full model about 1 SD; gates", async () => {
    const run = await runCli([...base, "--unfair-path", "race->ZFYA", "--format", "json"]);
    assert.equal(run.code, 0, run.stderr);
    const doc = assertValid(JSON.parse(run.stdout), "counterfactual-study");
    assert.deepEqual(doc.split, { train_rows: 17432, test_rows: 4358, test_fraction: 0.2, seed: 0 });
    const by = Object.fromEntries(doc.predictors.map((p: { name: string }) => [p.name, p]));
    assert.deepEqual(Object.keys(by), ["full", "unaware", "fair-add", "paths"]);
    assert.ok(by["fair-add"].max_abs_mean_change < 1e-9);
    assert.ok(by.full.max_abs_mean_change / doc.target_sd > 0.9);
    assert.ok(by.full.rmse < by.unaware.rmse && by.unaware.rmse < by["fair-add"].rmse);
    assert.deepEqual(by.paths.removed_paths, [{ path: ["race", "ZFYA"], reference: "White" }]);
    const gate = await runCli([
      ...base,
      "--fail-on",
      "max_abs_mean_change.full>0.5",
      "--fail-on",
      "max_abs_mean_change.fair_add>1e-9",
    ]);
    assert.equal(gate.code, 1);
    assert.match(gate.stderr, /max_abs_mean_change\.full = 1\.0\d+ > 0\.5/);
    assert.doesNotMatch(gate.stderr, /fair_add/);
    assert.match(gate.stdout, /fair-add\s+0\.9\d+\s+0 \(every row, every pair\)/);
  });

  test("mistakes in the model file and the options are named", async () => {
    const bad = join(dir, "bad.scm");
    writeFileSync(bad, "race: categorical\nLSAT <- race\nLSAT <- race\n");
    const a = await runCli([...base.slice(0, 4), "--scm", bad, "--target", "ZFYA", "--sensitive", "race"]);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--scm .*bad\.scm, line 3: LSAT already has an equation \(line 2\)/);
    const unknownColumn = join(dir, "gpa.scm");
    writeFileSync(unknownColumn, "race: categorical\nGPA <- race\n");
    const b = await runCli([...base.slice(0, 4), "--scm", unknownColumn, "--target", "GPA", "--sensitive", "race"]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /GPA/);
    const c = await runCli([...base, "--predictors", "magic"]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /--predictors: unknown predictor "magic"; known: full, unaware, fair-add, latent, paths/);
    const d = await runCli([...base, "--predictors", "paths"]);
    assert.match(d.stderr, /--predictors paths needs --unfair-path/);
    const typo = await runCli([...base, "--reference", "rase=White"]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /--reference rase: not one of the --sensitive attributes \(race, sex\)/);
    const noPaths = await runCli([...base, "--predictors", "full", "--unfair-path", "race->ZFYA"]);
    assert.match(noPaths.stderr, /--unfair-path is for the paths predictor/);
    const e = await runCli([...base, "--unfair-path", "sex->LSAT"]);
    assert.equal(e.code, 2);
    assert.match(
      e.stderr,
      /the path sex->LSAT must start at a protected attribute \(race, sex\) and end at the target ZFYA/,
    );
  });
});

describe("fairkit individual", () => {
  test("a hand-computed file: consistency 0.875, Lipschitz constant s/2, 2 of 5 pairs above L = 1", async () => {
    // x = 0, 1, 3, 10 (standardised: divided by its population SD s = √15.25 = 3.9051), decisions 0, 0, 1, 1.
    // k = 2, the row its own first neighbour: {0,1} {1,0} {2,1} {3,2}; neighbour means 0, 0, 0.5, 1 → 1 − 0.5/4.
    // Pairs (self excluded): {0,1} {0,2} {1,2} {2,3} {1,3} at x-distances 1, 3, 2, 7, 9 with |Δ| 0, 1, 1, 0, 1:
    // ratios 0, s/3, s/2, 0, s/9; above L = 1: {0,2} and {1,2}. (No distance ties: standardising can split
    // a tie that is exact in raw units by one rounding, and the tie-break then follows the rounding.)
    const tiny = join(dir, "tiny.csv");
    writeFileSync(tiny, "x,d\n0,0\n1,0\n3,1\n10,1\n");
    const run = await runCli([
      "individual",
      tiny,
      "--prediction",
      "d",
      "--k",
      "2",
      "--lipschitz",
      "1",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const doc = assertValid(JSON.parse(run.stdout), "individual");
    const s = Math.sqrt(15.25);
    assert.equal(doc.consistency.value, 0.875);
    assert.equal(doc.lipschitz.pairs, 5);
    assert.ok(Math.abs(doc.lipschitz.lipschitz_constant - s / 2) < 1e-12);
    assert.deepEqual([doc.lipschitz.violations.violations, doc.lipschitz.violations.rate], [2, 0.4]);
    assert.deepEqual([doc.lipschitz.worst[0].a, doc.lipschitz.worst[0].b], [1, 2]);
    assert.deepEqual(doc.lipschitz.worst[0].values, { x: [1, 3] });
    const gate = await runCli(["individual", tiny, "--prediction", "d", "--k", "2", "--fail-on", "consistency<0.9"]);
    assert.equal(gate.code, 1);
    assert.match(gate.stderr, /consistency = 0\.875\d* < 0\.9/);
    const self = await runCli([
      "individual",
      tiny,
      "--prediction",
      "d",
      "--k",
      "2",
      "--exclude-self",
      "--format",
      "json",
    ]);
    // Without itself: {1,2} {0,2} {1,0} {2,1} → |0 − 0.5|, |0 − 0.5|, |1 − 0|, |1 − 0.5| → 1 − 2.5/4.
    assert.equal(JSON.parse(self.stdout).consistency.value, 0.375);
  });

  test("COMPAS: the document's numbers are the library's on the same encoded features; identical records with different labels are found", async () => {
    const compas = dataPath("compas-scores-two-years.csv");
    if (!compas) return;
    const file = join(dir, "compas.csv");
    const { compasFiltered } = await import("../helpers/data.js");
    const rows2 = compasFiltered();
    writeFileSync(
      file,
      `${["age,priors_count,c_charge_degree,sex,race,high_risk", ...rows2.map((r) => `${r.age},${r.priors_count},${r.c_charge_degree},${r.sex},${r.race},${Number(r.decile_score) >= 5 ? 1 : 0}`)].join("\n")}\n`,
    );
    const run = await runCli([
      "individual",
      file,
      "--prediction",
      "high_risk",
      "--sensitive",
      "race",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const doc = assertValid(JSON.parse(run.stdout), "individual");
    assert.equal(doc.rows, 6172);
    assert.deepEqual(doc.features, ["age", "priors_count", "c_charge_degree", "sex"]);
    const { consistency } = await import("../../src/individual/consistency.js");
    const { fitTabular } = await import("../../src/models/tabular.js");
    const table = {
      age: rows2.map((r) => Number(r.age)),
      priors_count: rows2.map((r) => Number(r.priors_count)),
      c_charge_degree: rows2.map((r) => r.c_charge_degree),
      sex: rows2.map((r) => r.sex),
    };
    const X = fitTabular(table).transform(table);
    const yPred = rows2.map((r) => (Number(r.decile_score) >= 5 ? 1 : 0));
    const lib = consistency({ X, yPred, sensitiveFeatures: { race: rows2.map((r) => r.race) } });
    assert.ok(Math.abs(doc.consistency.value - lib.value) < 1e-12, `${doc.consistency.value} vs ${lib.value}`);
    assert.equal(doc.consistency.groups.length, 6);
    assert.ok(doc.lipschitz.identical_treated_differently > 0);
    assert.deepEqual(doc.lipschitz.warnings, []);
    // The fair metric with race's six levels: five or six directions in a feature space of five
    // (age, priors, charge degree, sex; one-hot pairs are dependent) leave nothing: said, not hidden.
    const fair = await runCli([
      "individual",
      file,
      "--prediction",
      "high_risk",
      "--sensitive",
      "race",
      "--metric",
      "fair",
      "--format",
      "json",
    ]);
    assert.equal(fair.code, 0, fair.stderr);
    const fairDoc = assertValid(JSON.parse(fair.stdout), "individual");
    assert.ok(fairDoc.lipschitz.distinct_rows.after < fairDoc.lipschitz.distinct_rows.before / 2);
    assert.match(fair.stderr, /warning: the fair metric merges \d+ distinct rows into \d+/);
    assert.equal(fairDoc.lipschitz.warnings.length, 1);
  });

  test("usage mistakes exit 2", async () => {
    const tiny = join(dir, "tiny.csv");
    const cases: [string[], RegExp][] = [
      [["individual", tiny], /name the decisions: --prediction COL \(0\/1\), or --score COL with --threshold T/],
      [
        ["individual", tiny, "--prediction", "d", "--score", "x", "--threshold", "1"],
        /--threshold makes decisions from --score/,
      ],
      [["individual", tiny, "--prediction", "d", "--metric", "fair"], /--metric fair needs --sensitive/],
      [
        ["individual", tiny, "--prediction", "d", "--feature-weight", "y=2"],
        /--feature-weight y: not one of the features \(x\)/,
      ],
      [
        ["individual", tiny, "--prediction", "d", "--feature-weight", "x=-1"],
        /--feature-weight "x=-1" is not COLUMN=WEIGHT/,
      ],
      [["individual", tiny, "--prediction", "d", "--k", "9"], /k/],
      [["individual", tiny, "--prediction", "nope"], /no column "nope" \(given to --prediction\)/],
      [["individual", tiny, "--prediction", "d", "--metric", "l3"], /--metric/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});

describe("fairkit report --individual-features", { skip: skipWithoutData("compas-scores-two-years.csv") }, () => {
  test("the section's numbers are fairkit individual's on the same rows, in JSON, Markdown and HTML", async () => {
    const compas = dataPath("compas-scores-two-years.csv") as string;
    const where =
      "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";
    const features = "age,priors_count,juv_fel_count,c_charge_degree";
    const common = ["--score", "decile_score", "--threshold", "5", "--where", where];
    const report = (format: string, more: string[] = []) =>
      runCli([
        "report",
        compas,
        ...common,
        "--y-true",
        "two_year_recid",
        "--sensitive",
        "race",
        "--format",
        format,
        ...more,
      ]);
    const json = await report("json", ["--individual-features", features, "--lipschitz", "1"]);
    assert.equal(json.code, 0, json.stderr);
    const doc = assertValid(JSON.parse(json.stdout), "report");
    const alone = await runCli([
      "individual",
      compas,
      ...common,
      "--features",
      features,
      "--sensitive",
      "race",
      "--lipschitz",
      "1",
      "--format",
      "json",
    ]);
    assert.equal(alone.code, 0, alone.stderr);
    const ind = JSON.parse(alone.stdout);
    assert.equal(doc.individual.consistency.value, ind.consistency.value);
    assert.deepEqual(doc.individual.consistency.groups, ind.consistency.groups);
    assert.equal(doc.individual.lipschitz.identical_treated_differently, ind.lipschitz.identical_treated_differently);
    assert.deepEqual(doc.individual.lipschitz.violations, ind.lipschitz.violations);
    assert.ok(
      doc.findings.some((f: string) =>
        f.startsWith(`individual fairness: consistency ${ind.consistency.value.toFixed(3)}`),
      ),
    );
    const md = await report("markdown", ["--individual-features", features]);
    assert.match(
      md.stdout,
      new RegExp(`## Individual fairness[\\s\\S]*\\| consistency \\| ${ind.consistency.value.toFixed(3)} \\|`),
    );
    const html = await report("html", ["--individual-features", features]);
    assert.match(html.stdout, /<section id="individual"><h2>Individual fairness<\/h2>/);
    const demo = await runCli(["report", "--demo", "--individual-features", "age", "--format", "json"]);
    assert.equal(demo.code, 2);
    assert.match(demo.stderr, /--individual-features/);
    const sensitiveToo = await report("json", ["--individual-features", "age,race"]);
    assert.equal(sensitiveToo.code, 2);
    assert.match(sensitiveToo.stderr, /--individual-features race is also --sensitive/);
  });
});
