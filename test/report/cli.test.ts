import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { canonicalJson } from "../../src/node/cli/report-inputs.js";
import { outputFormat } from "../../src/node/cli/options.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "fairkit-report-"));

function fairkit(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", join(root, "src/node/cli/main.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, SOURCE_DATE_EPOCH: "0", NO_COLOR: "1" },
  });
}

// 60 applicants: gender F/M, race X/Y/Unknown, hired 0/1, qualified 0/1.
const lines = ["gender,race,hired,qualified"];
for (let i = 0; i < 60; i++)
  lines.push(
    `${i % 2 ? "F" : "M"},${i % 10 === 0 ? "Unknown" : i % 3 ? "X" : "Y"},${i % 4 === 0 || (i % 2 === 0 && i % 3 === 0) ? 1 : 0},${i % 5 < 2 ? 1 : 0}`,
  );
const csv = join(dir, "hires.csv");
writeFileSync(csv, `${lines.join("\n")}\n`);
const base = ["--y-true", "qualified", "--y-pred", "hired", "--sensitive", "gender,race"];

test("report format comes from the extension or --format; canonical JSON sorts keys", () => {
  const formats = ["html", "markdown", "json"] as const;
  assert.equal(outputFormat(formats, undefined, "a.HTML", undefined), "html");
  assert.equal(outputFormat(formats, undefined, "a.md", undefined), "markdown");
  assert.equal(outputFormat(formats, undefined, "a.json", undefined), "json");
  assert.equal(outputFormat(formats, "json", "a.out", undefined), "json");
  assert.throws(
    () => outputFormat(formats, "json", "a.md", undefined),
    /--format json contradicts -o a\.md \(a \.md file holds markdown\)/,
  );
  assert.throws(
    () => outputFormat(formats, undefined, "a.csv", undefined),
    /-o a\.csv: this command writes html, markdown, json, not csv: name the file \.html, \.md, \.json, or give --format/,
  );
  assert.throws(
    () => outputFormat(formats, undefined, "a.out", undefined),
    /cannot tell the format from "a\.out": name the file \.html, \.md, \.json, or give --format html\|markdown\|json/,
  );
  assert.equal(canonicalJson({ b: 1, a: [2, { d: null, c: "x" }] }), '{"a":[2,{"c":"x","d":null}],"b":1}');
});

test("a small file: Markdown report with LL144 columns found by name and the unknown category counted", () => {
  const r = fairkit(["report", csv, ...base, "-o", join(dir, "r.md")]);
  assert.equal(r.status, 0, r.stderr);
  const md = readFileSync(join(dir, "r.md"), "utf8");
  assert.ok(md.includes("- generated: 1970-01-01T00:00:00.000Z"));
  assert.ok(md.includes("## NYC Local Law 144 bias audit"));
  // i % 10 === 0 → 6 rows with race "Unknown".
  assert.ok(
    md.includes(
      "Unknown category: 6 of 60 individuals (Unknown: 6, listed in ll144.unknown_values); 54 in a category.",
    ),
    md.slice(md.indexOf("## NYC"), md.indexOf("## NYC") + 800),
  );
  const json = fairkit(["report", csv, ...base, "--format", "json", "-o", join(dir, "r.out")]);
  assert.equal(json.status, 0, json.stderr);
  const data = JSON.parse(readFileSync(join(dir, "r.out"), "utf8"));
  assert.equal(data.ll144.sex, "gender");
  assert.equal(data.ll144.race_ethnicity, "race");
  assert.equal(data.audit.input.rows, 60);
});

test("usage and data errors exit 2 and write nothing", () => {
  const noFormat = fairkit(["report", csv, ...base]);
  assert.equal(noFormat.status, 2);
  assert.match(noFormat.stderr, /fairkit report: cannot tell the format from standard output/);
  writeFileSync(join(dir, "bad.yaml"), "model_detail:\n  name: x\n");
  const badCard = fairkit(["report", csv, ...base, "--card", join(dir, "bad.yaml"), "-o", join(dir, "bad.html")]);
  assert.equal(badCard.status, 2);
  assert.match(badCard.stderr, /unknown field "model_detail"/);
  const badLl144 = fairkit(["report", csv, ...base, "--ll144-sex", "hired", "-o", join(dir, "bad.html")]);
  assert.equal(badLl144.status, 2);
  assert.match(badLl144.stderr, /--ll144-sex hired must be one of the --sensitive columns/);
  const missingColumn = fairkit(["report", csv, ...base, "--attributes", "age", "-o", join(dir, "bad.html")]);
  assert.equal(missingColumn.status, 2);
  assert.match(missingColumn.stderr, /no column "age"/);
  assert.throws(() => readFileSync(join(dir, "bad.html")));
});

test("--ll144-summary writes the one-page summary beside the report, or alone; bad card facts name the file and field", () => {
  const card = join(dir, "ll144.yaml");
  writeFileSync(
    card,
    [
      "model_details: { name: Hiring screen, version: { name: '2.0' } }",
      "ll144:",
      "  audit_date: 2026-02-01",
      "  distribution_date: 2025-06-30",
      "  data_source: Applications to the 2025 graduate programme.",
      "  data_kind: test",
      "  auditor: { name: A. Auditor, independent: true, statement: No tie to the employer or the vendor. }",
      "  eeo1_mapping:",
      "    sex: { F: Female, M: Male }",
      "    race_ethnicity: { X: Hispanic or Latino, Y: Asian (Not Hispanic or Latino), Unknown: unknown }",
    ].join("\n"),
  );
  const both = fairkit([
    "report",
    csv,
    ...base,
    "--card",
    card,
    "-o",
    join(dir, "full.json"),
    "--ll144-summary",
    join(dir, "summary.md"),
  ]);
  assert.equal(both.status, 0, both.stderr);
  const report = JSON.parse(readFileSync(join(dir, "full.json"), "utf8"));
  assert.equal(report.schema_version, 3);
  assert.equal(report.ll144.summary.audit_date, "2026-02-01");
  // Test data without the reason the rules ask for: the one missing fact, marked.
  assert.deepEqual(
    report.ll144.summary.missing.map((m: { field: string }) => m.field),
    ["ll144.test_data_reason"],
  );
  const summary = readFileSync(join(dir, "summary.md"), "utf8");
  assert.match(summary, /\| date of the bias audit \| 2026-02-01 \|/);
  assert.match(summary, /\| distribution date of the tool \| 2025-06-30 \|/);
  assert.match(
    summary,
    /\| why test data \| \*\*not given — the rules require it \(6 RCNY §5-302\(b\); card file: ll144\.test_data_reason\)\*\* \|/,
  );
  assert.match(summary, /\| Hispanic or Latino \| 36 \|/);
  assert.match(summary, /\| race \| Unknown \| 6 \| unknown \(listed in ll144\.unknown_values\) \|/);
  // The summary alone: no -o, no --format.
  const alone = fairkit(["report", csv, ...base, "--ll144-summary", join(dir, "alone.html")]);
  assert.equal(alone.status, 0, alone.stderr);
  assert.equal(alone.stdout, "");
  assert.match(readFileSync(join(dir, "alone.html"), "utf8"), /^<!DOCTYPE html>/);
  // Usage errors, before anything is written.
  const badExtension = fairkit(["report", csv, ...base, "--ll144-summary", join(dir, "s.pdf")]);
  assert.equal(badExtension.status, 2);
  assert.match(badExtension.stderr, /--ll144-summary .*s\.pdf: name the file \.html or \.md/);
  const noColumns = fairkit([
    "report",
    csv,
    "--y-true",
    "qualified",
    "--y-pred",
    "hired",
    "--sensitive",
    "gender",
    "--ll144-summary",
    join(dir, "none.md"),
  ]);
  assert.equal(noColumns.status, 2);
  assert.match(noColumns.stderr, /--ll144-summary needs the LL144 tables/);
  assert.equal(fairkit(["report", "--demo", "--ll144-summary", join(dir, "d.md")]).status, 2);
  const badDate = join(dir, "bad-date.yaml");
  writeFileSync(badDate, "ll144:\n  audit_date: 2026-02-30\n");
  const r1 = fairkit(["report", csv, ...base, "--card", badDate, "-o", join(dir, "x.md")]);
  assert.equal(r1.status, 2);
  assert.match(
    r1.stderr,
    /bad-date\.yaml: ll144\.audit_date: must be a calendar date written YYYY-MM-DD \(e\.g\. 2026-03-31\); got "2026-02-30"/,
  );
  const unmapped = join(dir, "unmapped.yaml");
  writeFileSync(unmapped, "ll144:\n  eeo1_mapping:\n    race_ethnicity: { X: Hispanic or Latino }\n");
  const r2 = fairkit(["report", csv, ...base, "--card", unmapped, "-o", join(dir, "x.md")]);
  assert.equal(r2.status, 2);
  assert.match(
    r2.stderr,
    /card file unmapped\.yaml: ll144\.eeo1_mapping\.race_ethnicity: no EEO-1 category for "Y" \(values of the column race in the data\): map each to an EEO-1 category or to "unknown"/,
  );
  const notEeo1 = join(dir, "not-eeo1.yaml");
  writeFileSync(notEeo1, "ll144:\n  eeo1_mapping:\n    sex: { F: Woman }\n");
  const r3 = fairkit(["report", csv, ...base, "--card", notEeo1, "-o", join(dir, "x.md")]);
  assert.equal(r3.status, 2);
  assert.match(
    r3.stderr,
    /not-eeo1\.yaml: ll144\.eeo1_mapping\.sex\.F: must be one of "Male", "Female", "unknown"; got "Woman"/,
  );
  assert.throws(() => readFileSync(join(dir, "x.md")));
});
