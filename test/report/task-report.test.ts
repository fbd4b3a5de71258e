/**
 * `fairkit report --task regression|multiclass` on the law-school data: the report's audit is
 * exactly `fairkit audit --task`'s document, the JSON validates against its schema, the model
 * card's metrics are the audit's, LL144's scoring-rate tables come from the predictions (checked
 * against a straight recount of who scores above the median), the HTML is self-contained and
 * shows the audit's tables, and the binary report's options are refused by name.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { regressionTables } from "../../src/internal.js";
import { runCli } from "../cli/run-cli.js";
import { lawRows, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

const skip = skipWithoutData("law_data.csv");

describe("fairkit report --task on the law-school data", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "fairkit-task-report-"));
  const predictions = join(dir, "law_predictions.csv");
  const bands = join(dir, "law_bands.csv");
  let sex: string[] = [];
  let p: number[] = [];
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(() => {
    const rows = lawRows();
    // A fixed linear prediction (the least-squares coefficients, rounded): the report reads it as a model's output.
    p = rows.map((r) => Number((-2.398 + 0.0435 * Number(r.LSAT) + 0.2774 * Number(r.UGPA)).toFixed(4)));
    sex = rows.map((r) => (r.sex === "1" ? "Female" : "Male"));
    writeFileSync(
      predictions,
      ["race,sex,ZFYA,predicted", ...rows.map((r, i) => `${r.race},${sex[i]},${r.ZFYA},${p[i]}`)].join("\n"),
    );
    const band = (v: number) => (v < -0.5 ? "low" : v < 0.5 ? "middle" : "high");
    writeFileSync(
      bands,
      [
        "race,sex,band,predicted_band",
        ...rows.map((r, i) => `${r.race},${sex[i]},${band(Number(r.ZFYA))},${band(p[i])}`),
      ].join("\n"),
    );
  });

  const roles = ["--y-true", "ZFYA", "--y-pred", "predicted", "--sensitive", "race,sex"];

  test("regression: the report's audit is fairkit audit's; schema, model card, LL144 scoring rates", async () => {
    const out = join(dir, "r.json");
    const run = await runCli(["report", predictions, "--task", "regression", ...roles, "-o", out], {
      env: { SOURCE_DATE_EPOCH: "1700000000" },
    });
    assert.equal(run.code, 0, run.stderr);
    const report = assertValid(JSON.parse(readFileSync(out, "utf8")), "task-report");
    assert.equal(report.kind, "fairkit.task_report");
    assert.equal(report.generated_at, "2023-11-14T22:13:20.000Z");
    const audit = await runCli(["audit", predictions, "--task", "regression", ...roles, "--format", "json"]);
    assert.deepEqual(report.audit, JSON.parse(audit.stdout));
    // The model card's metrics are the audit's, slice by slice.
    const perf = report.model_card.model_card.quantitative_analysis.performance_metrics as {
      type: string;
      slice: string;
      value?: string;
    }[];
    const black = report.audit.groups.find((g: { label: string }) => g.label === "Black, Male");
    const entry = perf.find((m) => m.type === "mean_residual" && m.slice === "race = Black, sex = Male");
    assert.equal(Number(entry?.value), black.metrics.mean_residual);
    // LL144 scoring rate: the share of each sex scoring above the sample median, recounted here.
    const sorted = [...p].sort((a, b) => a - b);
    const median = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
    const sexTable = report.ll144.scoring.tables.find((t: { dimension: string }) => t.dimension === "sex");
    for (const row of sexTable.rows as { category: string; rate: number; count: number }[]) {
      const idx = sex.flatMap((s, i) => (s === row.category ? [i] : []));
      const above = idx.filter((i) => p[i] > median).length;
      assert.equal(row.count, idx.length);
      assert.ok(
        Math.abs(row.rate - above / idx.length) < 1e-12,
        `${row.category}: ${row.rate} vs ${above / idx.length}`,
      );
    }
    assert.match(
      report.findings[0],
      /^residual parity: White, Male's mean residual \(y − ŷ\) is 0\.6\d\d above Black, Male's/,
    );
    assert.ok(report.eu_ai_act.tests.some((t: { name: string }) => /LL144/.test(t.name)));
    // Every count LL144 states adds up (issue 20): each table's categories and unknowns are everyone
    // assessed, as the summary of results says, and the values table sums to the same.
    const rows = report.audit.input.rows;
    type Table = { dimension: string; columns: string[]; rows: { count: number }[]; unknown_count: number };
    (report.ll144.scoring.tables as Table[]).forEach((t, k) => {
      const known = t.rows.reduce((sum, r) => sum + r.count, 0);
      assert.equal(known + t.unknown_count, rows, t.dimension);
      assert.deepEqual(report.ll144.summary.totals[k], {
        dimension: t.dimension,
        columns: t.columns,
        assessed: rows,
        in_categories: known,
        unknown: t.unknown_count,
      });
    });
    assert.deepEqual(report.ll144.scoring.tables[2].columns, ["race", "sex"]);
    for (const col of report.ll144.summary.categories as { values: { rows: number }[] }[])
      assert.equal(
        col.values.reduce((sum, v) => sum + v.rows, 0),
        rows,
      );
  });

  test("regression: the HTML is self-contained and shows the audit's tables; the Markdown too", async () => {
    const html = join(dir, "r.html");
    const md = join(dir, "r.md");
    for (const out of [html, md]) {
      const run = await runCli(["report", predictions, "--task", "regression", ...roles, "-o", out]);
      assert.equal(run.code, 0, run.stderr);
    }
    const page = readFileSync(html, "utf8");
    assert.doesNotMatch(page, /<script|(src|href)="https?:/);
    assert.match(page, /Content-Security-Policy/);
    const audit = JSON.parse(
      (await runCli(["audit", predictions, "--task", "regression", ...roles, "--format", "json"])).stdout,
    );
    const escapeHtml = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    // Every cell of the audit's tables is on the page (a value and its interval, on two lines).
    for (const table of regressionTables(audit))
      for (const row of table.rows)
        for (const cell of row)
          for (const part of cell.split(/ (?=\()/)) assert.ok(page.includes(escapeHtml(part)), part);
    for (const id of ["summary", "model-card", "datasheet", "ll144", "eu-ai-act"])
      assert.match(page, new RegExp(`<section id="${id}">`));
    const text = readFileSync(md, "utf8");
    assert.match(
      text,
      /\| mean_residual_difference \| 0\.\d{3} \(0\.\d{3}–0\.\d{3}\) \| White, Male vs Black, Male \|/,
    );
    assert.match(text, /## NYC Local Law 144 bias audit/);
    assert.match(text, /Unknown category: 0 of 21,790 individuals; 21,790 in a category\./);
    // The one-page summary of a regression: the scoring rates.
    const summary = join(dir, "r-ll144.md");
    const run = await runCli(["report", predictions, "--task", "regression", ...roles, "--ll144-summary", summary]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      readFileSync(summary, "utf8"),
      /\| category \| applicants \| scoring above the median \| scoring rate \| impact ratio \|/,
    );
  });

  test("multiclass: the report's audit is fairkit audit's, no LL144 section; --fail-on gates it", async () => {
    const out = join(dir, "m.json");
    const args = ["--task", "multiclass", "--y-true", "band", "--y-pred", "predicted_band", "--sensitive", "race"];
    const run = await runCli(["report", bands, ...args, "-o", out, "--fail-on", "demographic_parity_difference>0.1"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /demographic_parity_difference/);
    const report = assertValid(JSON.parse(readFileSync(out, "utf8")), "task-report");
    const audit = await runCli(["audit", bands, ...args, "--format", "json"]);
    assert.deepEqual(report.audit, JSON.parse(audit.stdout));
    assert.equal(report.ll144, null);
    assert.match(
      report.findings[0],
      /^multiclass demographic parity: the largest gap in any class's selection rate is 0\.\d{3}, in class \w+/,
    );
  });

  test("the binary report's options are refused by name", async () => {
    const withScore = await runCli([
      "report",
      predictions,
      "--task",
      "regression",
      ...roles,
      "--score",
      "predicted",
      "--threshold",
      "0",
      "-o",
      join(dir, "x.html"),
    ]);
    assert.equal(withScore.code, 2);
    assert.match(withScore.stderr, /--score does not apply to --task regression/);
    const attrs = await runCli([
      "report",
      bands,
      "--task",
      "multiclass",
      "--y-true",
      "band",
      "--y-pred",
      "predicted_band",
      "--sensitive",
      "race",
      "--attributes",
      "sex",
      "-o",
      join(dir, "y.html"),
    ]);
    assert.equal(attrs.code, 2);
    assert.match(attrs.stderr, /--attributes does not apply to --task multiclass/);
  });
});
