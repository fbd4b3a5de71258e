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
    md.includes("Unknown category: 6 individuals."),
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
