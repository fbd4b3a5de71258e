/**
 * `fairkit audit` run as a child process on the real data, with the JSON checked against numbers
 * computed here independently (csv-parse rows, plain loops), and on the built-in demo.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { AuditResult } from "../../src/audit/audit-result.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { demoData } from "../../src/datasets/demo.js";
import { VERSION } from "../../src/version.js";
import { ADULT_COLUMNS, adultRows, compasFiltered, dataPath, skipWithoutData } from "../helpers/data.js";
import { repoRoot, runCli } from "./run-cli.js";

const COMPAS_WHERE =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";
const dir = mkdtempSync(join(tmpdir(), "fairkit-audit-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Independent per-group confusion counts from plain rows. */
function confusion<T>(rows: T[], group: (r: T) => string, y: (r: T) => number, p: (r: T) => number) {
  const out = new Map<string, { tp: number; fp: number; tn: number; fn: number }>();
  for (const r of rows) {
    const g = group(r);
    const c = out.get(g) ?? { tp: 0, fp: 0, tn: 0, fn: 0 };
    const yy = y(r);
    const pp = p(r);
    if (yy && pp) c.tp++;
    else if (!yy && pp) c.fp++;
    else if (!yy && !pp) c.tn++;
    else c.fn++;
    out.set(g, c);
  }
  return out;
}

function close(actual: number | null, expected: number, what: string) {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);
}

describe("fairkit audit on COMPAS (the usual filter through --where)", {
  skip: skipWithoutData("compas-scores-two-years.csv"),
}, () => {
  test("JSON matches counts computed independently from csv-parse rows", async () => {
    const run = await runCli([
      "audit",
      dataPath("compas-scores-two-years.csv")!,
      "--y-true",
      "two_year_recid",
      "--score",
      "decile_score",
      "--threshold",
      "5",
      "--sensitive",
      "race",
      "--where",
      COMPAS_WHERE,
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    const rows = compasFiltered();
    assert.equal(rows.length, 6172);
    assert.equal(result.input.rows, 6172);
    assert.equal(result.tool.version, VERSION);
    assert.equal(result.schema_version, 2);
    const counts = confusion(
      rows,
      (r) => r.race,
      (r) => Number(r.two_year_recid),
      (r) => (Number(r.decile_score) >= 5 ? 1 : 0),
    );
    assert.deepEqual(
      result.groups.map((g) => g.label),
      [...counts.keys()].sort(),
    );
    const sr: number[] = [];
    const tpr: number[] = [];
    const fpr: number[] = [];
    for (const g of result.groups) {
      const c = counts.get(g.group[0] as string)!;
      const n = c.tp + c.fp + c.tn + c.fn;
      assert.equal(g.n, n);
      close(g.metrics.selection_rate, (c.tp + c.fp) / n, `${g.label} selection_rate`);
      close(g.metrics.base_rate, (c.tp + c.fn) / n, `${g.label} base_rate`);
      close(g.metrics.true_positive_rate, c.tp / (c.tp + c.fn), `${g.label} TPR`);
      close(g.metrics.false_positive_rate, c.fp / (c.fp + c.tn), `${g.label} FPR`);
      close(g.metrics.false_negative_rate, c.fn / (c.tp + c.fn), `${g.label} FNR`);
      close(g.metrics.positive_predictive_value, c.tp / (c.tp + c.fp), `${g.label} PPV`);
      close(g.metrics.accuracy, (c.tp + c.tn) / n, `${g.label} accuracy`);
      assert.equal(g.small, n < 30);
      const [lo, hi] = g.intervals.selection_rate;
      assert.ok(lo !== null && hi !== null && lo <= g.metrics.selection_rate! && g.metrics.selection_rate! <= hi);
      // The criteria compare the groups with at least 30 rows (Native American, 11 rows, is left out).
      if (n < 30) continue;
      sr.push((c.tp + c.fp) / n);
      tpr.push(c.tp / (c.tp + c.fn));
      fpr.push(c.fp / (c.fp + c.tn));
    }
    assert.deepEqual(result.criteria_excluded, [["Native American"]]);
    // The well-known figures: African-American FPR 0.423 vs Caucasian 0.220.
    assert.equal(
      result.groups.find((g) => g.label === "African-American")!.metrics.false_positive_rate!.toFixed(3),
      "0.423",
    );
    assert.equal(result.groups.find((g) => g.label === "Caucasian")!.metrics.false_positive_rate!.toFixed(3), "0.220");
    close(result.criteria.demographic_parity_difference, Math.max(...sr) - Math.min(...sr), "DP difference");
    close(result.criteria.demographic_parity_ratio, Math.min(...sr) / Math.max(...sr), "DP ratio");
    close(
      result.criteria.equalized_odds_difference,
      Math.max(Math.max(...tpr) - Math.min(...tpr), Math.max(...fpr) - Math.min(...fpr)),
      "EO difference",
    );
    assert.equal(result.checks.demographic_parity_ratio.pass, false);
    assert.equal(result.overall.n, 6172);
    assert.deepEqual(result.overall.group, []);
  });

  test("two sensitive columns give their intersections; --fail-on exits 1 and names the gate; -o still written", async () => {
    const out = join(dir, "compas.json");
    const run = await runCli([
      "audit",
      dataPath("compas-scores-two-years.csv")!,
      "--y-true",
      "two_year_recid",
      "--score",
      "decile_score",
      "--threshold",
      "5",
      "--sensitive",
      "race,sex",
      "--where",
      COMPAS_WHERE,
      "--format",
      "json",
      "-o",
      out,
      "--fail-on",
      "demographic_parity_ratio<0.8",
      "--fail-on",
      "overall.accuracy<0.5",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /demographic_parity_ratio = 0\.\d+ < 0\.8/);
    assert.doesNotMatch(run.stderr, /overall\.accuracy/);
    const result = JSON.parse(readFileSync(out, "utf8")) as AuditResult;
    const counts = confusion(
      compasFiltered(),
      (r) => `${r.race}, ${r.sex}`,
      (r) => Number(r.two_year_recid),
      (r) => (Number(r.decile_score) >= 5 ? 1 : 0),
    );
    assert.equal(result.groups.length, counts.size);
    for (const g of result.groups) {
      const c = counts.get(g.label)!;
      assert.equal(g.n, c.tp + c.fp + c.tn + c.fn, g.label);
      assert.equal(g.group.length, 2);
      assert.equal(g.label, `${g.group[0]}, ${g.group[1]}`);
    }
    assert.deepEqual(
      result.groups.filter((g) => g.small).map((g) => g.label),
      ["Asian, Female", "Asian, Male", "Native American, Female", "Native American, Male"],
    );
  });

  test("--ci bootstrap gives the same point estimates as Wilson (rows path vs counts path)", async () => {
    const common = [
      "audit",
      dataPath("compas-scores-two-years.csv")!,
      "--y-true",
      "two_year_recid",
      "--y-pred",
      "is_violent_recid",
      "--sensitive",
      "race",
      "--where",
      COMPAS_WHERE,
      "--format",
      "json",
    ];
    const [wilson, boot] = await Promise.all([
      runCli(common),
      runCli([...common, "--ci", "bootstrap", "--bootstrap-n", "50", "--seed", "3"]),
    ]);
    assert.equal(wilson.code, 0, wilson.stderr);
    assert.equal(boot.code, 0, boot.stderr);
    const a = JSON.parse(wilson.stdout) as AuditResult;
    const b = JSON.parse(boot.stdout) as AuditResult;
    assert.equal(b.settings.intervals, "bootstrap");
    assert.deepEqual(
      b.groups.map((g) => [g.label, g.n, g.metrics]),
      a.groups.map((g) => [g.label, g.n, g.metrics]),
    );
    assert.deepEqual(b.criteria, a.criteria);
  });
});

describe("fairkit audit on Adult (no header, rule-based decision)", { skip: skipWithoutData("adult.data") }, () => {
  test("--columns names the columns; decision education-num >= 13; JSON matches an independent count", async () => {
    const run = await runCli([
      "audit",
      dataPath("adult.data")!,
      "--no-header",
      "--columns",
      ADULT_COLUMNS.join(","),
      "--y-true",
      "income",
      "--pos-label",
      ">50K",
      "--score",
      "education-num",
      "--threshold",
      "13",
      "--sensitive",
      "sex,race",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    const rows = adultRows();
    assert.equal(result.input.rows, rows.length);
    assert.equal(result.input.rows, 32561);
    const counts = confusion(
      rows,
      (r) => `${r.sex}, ${r.race}`,
      (r) => (r.income === ">50K" ? 1 : 0),
      (r) => (Number(r["education-num"]) >= 13 ? 1 : 0),
    );
    assert.equal(result.groups.length, counts.size);
    for (const g of result.groups) {
      const c = counts.get(g.label)!;
      const n = c.tp + c.fp + c.tn + c.fn;
      assert.equal(g.n, n, g.label);
      close(g.metrics.true_positive_rate, c.tp / (c.tp + c.fn), `${g.label} TPR`);
      close(g.metrics.selection_rate, (c.tp + c.fp) / n, `${g.label} selection`);
    }
  });

  test("--no-header alone names the columns column00, column01, …", async () => {
    const run = await runCli([
      "audit",
      dataPath("adult.data")!,
      "--no-header",
      "--y-true",
      "column14",
      "--pos-label",
      ">50K",
      "--score",
      "column04",
      "--threshold",
      "13",
      "--sensitive",
      "column09",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    assert.deepEqual(
      result.groups.map((g) => [g.label, g.n]),
      [
        ["Female", 10771],
        ["Male", 21790],
      ],
    );
  });
});

describe("fairkit audit --demo", () => {
  test("the JSON equals the engine's own numbers on demoData()", async () => {
    const run = await runCli(["audit", "--demo", "--format", "json"]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    const demo = demoData();
    const yPred = demo.score.map((s) => (s >= 0.5 ? 1 : 0));
    const mf = new MetricFrame({
      yTrue: demo.yTrue,
      yPred: Uint8Array.from(yPred),
      sensitiveFeatures: { group: demo.group },
      metrics: ["selection_rate", "true_positive_rate"],
    });
    assert.deepEqual(
      result.groups.map((g) => g.label),
      ["A", "B"],
    );
    assert.equal(result.input.rows, 4000);
    result.groups.forEach((g, i) => {
      close(g.metrics.selection_rate, mf.byGroup[i].metrics.selection_rate, `${g.label} selection`);
      close(g.metrics.true_positive_rate, mf.byGroup[i].metrics.true_positive_rate, `${g.label} TPR`);
    });
    close(result.criteria.demographic_parity_difference, mf.difference().selection_rate, "DP difference");
  });

  test("table, markdown and csv formats print the groups and the criteria", async () => {
    const [table, markdown, csv] = await Promise.all([
      runCli(["audit", "--demo"]),
      runCli(["audit", "--demo", "--format", "markdown"]),
      runCli(["audit", "--demo", "--format", "csv"]),
    ]);
    for (const r of [table, markdown, csv]) assert.equal(r.code, 0, r.stderr);
    assert.match(table.stdout, /^overall\s+4,000\s/m);
    // Each criterion with the groups that set it and its interval (Newcombe / MOVER from the counts).
    assert.match(table.stdout, /^demographic_parity_ratio\s+0\.\d{3}\s+>= 0\.8\s+FAIL\s+A vs B\s+0\.\d{3}–0\.\d{3}$/m);
    assert.match(
      table.stdout,
      /^criteria intervals: Newcombe \(differences\) and MOVER \(ratios\) for the two groups named/m,
    );
    assert.match(markdown.stdout, /^\| A \| 2,000 \|/m);
    assert.match(
      markdown.stdout,
      /^\| equalized_odds_difference \| 0\.\d{3} \| <= 0\.1 \| (FAIL|pass) \| B vs A \(FPR\) \| 0\.\d{3}–0\.\d{3} \|$/m,
    );
    const lines = csv.stdout.trim().split("\n");
    assert.equal(lines.length, 4);
    assert.ok(lines[0].startsWith("label,group,n,weight,small,base_rate,base_rate_low,base_rate_high,selection_rate"));
    assert.ok(lines[2].startsWith("A,A,2000,2000,false,"));
  });

  test("npm run demo's command prints the demo audit", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      scripts: Record<string, string>;
    };
    assert.equal(pkg.scripts.demo, "node bin/fairkit.js audit --demo");
    // The repository's own bin, from another folder: it runs the source through tsx, nothing built.
    const run = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(
        process.execPath,
        [join(repoRoot, "bin/fairkit.js"), "audit", "--demo"],
        { cwd: tmpdir() },
        (error, stdout) => done({ code: error ? 1 : 0, stdout }),
      ),
    );
    assert.equal(run.code, 0);
    assert.match(run.stdout, /audit of demo: 4,000 rows/);
  });
});

describe("-o and failures", () => {
  test("a failed run writes nothing to -o and leaves an existing file alone", async () => {
    const out = join(dir, "kept.json");
    writeFileSync(out, "previous");
    const run = await runCli([
      "audit",
      join(dir, "nope.csv"),
      "--y-true",
      "y",
      "--y-pred",
      "p",
      "--sensitive",
      "g",
      "-o",
      out,
    ]);
    assert.equal(run.code, 2);
    assert.equal(readFileSync(out, "utf8"), "previous");
    const fresh = join(dir, "fresh.json");
    const run2 = await runCli([
      "audit",
      join(dir, "nope.csv"),
      "--y-true",
      "y",
      "--y-pred",
      "p",
      "--sensitive",
      "g",
      "-o",
      fresh,
    ]);
    assert.equal(run2.code, 2);
    assert.equal(existsSync(fresh), false);
  });

  test("usage errors exit 2 with a message naming the option", async () => {
    const cases: [string[], RegExp][] = [
      [["audit", "--demo", "--format", "xml"], /--format must be one of table, json, markdown, csv/],
      [["audit", "--demo", "--threshold", "abc"], /--threshold must be a number/],
      [["audit", "--demo", "--fail-on", "demographic_parity_ratio~0.8"], /not of the form NAME<OP>NUMBER/],
      [["audit", "--demo", "--fail-on", "no_such_thing<1"], /unknown name "no_such_thing"/],
      [["audit", "--demo", "--bogus"], /unknown option '--bogus'/],
      [
        ["audit", "x.csv", "--y-true", "y", "--sensitive", "g"],
        /give --y-pred COLUMN, or --score COLUMN with --threshold T/,
      ],
      [["audit", "x.csv", "--y-true", "y", "--score", "s", "--sensitive", "g"], /--score needs --threshold/],
      [["audit", "--demo", "--reference", "Z"], /unknown reference group "Z"; the groups are "A", "B"/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    runs.forEach((run, i) => {
      assert.equal(run.code, 2, `${cases[i][0].join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, cases[i][1]);
      assert.equal(run.stdout, "");
    });
  });

  test("a gate on an undefined value fails; --progress writes progress to stderr only", async () => {
    const path = join(dir, "undefined.csv");
    writeFileSync(path, "y,p,g\n1,1,a\n0,0,a\n0,1,b\n0,0,b\n");
    const run = await runCli([
      "audit",
      path,
      "--y-true",
      "y",
      "--y-pred",
      "p",
      "--sensitive",
      "g",
      "--fail-on",
      "equal_opportunity_difference>0.5",
      "--progress",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /--fail-on: equal_opportunity_difference is undefined \(gate equal_opportunity_difference>0\.5\)/,
    );
    assert.match(run.stderr, /^reading 100%$/m);
    const result = JSON.parse(run.stdout) as AuditResult;
    assert.equal(result.criteria.equal_opportunity_difference, null);
    const quiet = await runCli(["audit", path, "--y-true", "y", "--y-pred", "p", "--sensitive", "g"]);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, "");
  });

  test("--reference compares each group to the reference", async () => {
    const run = await runCli(["audit", "--demo", "--reference", "A", "--format", "json"]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    assert.deepEqual(result.settings.disparity, { method: "to_reference", reference: ["A"] });
    const [a, b] = result.groups.map((g) => g.metrics.selection_rate!);
    close(result.criteria.demographic_parity_difference, Math.abs(b - a), "difference to A");
    close(result.criteria.demographic_parity_ratio, Math.min(a / b, b / a), "ratio to A");
  });
});
