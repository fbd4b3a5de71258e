/**
 * A corpus of bad (and awkward) files, each run through `fairkit audit` as a child process: every
 * bad one must exit 2 with a message naming the file, the column and, where it applies, the row;
 * the awkward-but-valid ones (quoted delimiters, a UTF-8 BOM) must read correctly.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { AuditResult } from "../../src/audit/audit-result.js";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-bad-files-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ROLES = ["--y-true", "y", "--y-pred", "p", "--sensitive", "g", "--format", "json"];
const SCORE_ROLES = ["--y-true", "y", "--score", "s", "--threshold", "0.5", "--sensitive", "g", "--format", "json"];

/** 40 good rows, then what the case adds. */
function rows(extra = "", count = 40): string {
  let text = "";
  for (let i = 0; i < count; i++) text += `${i % 2},${(i >> 1) % 2},${i % 3 === 0 ? "a" : "b"},${(i % 10) / 10}\n`;
  return text + extra;
}

interface BadCase {
  name: string;
  path: () => string;
  args: string[];
  message: RegExp;
}

const cases: BadCase[] = [
  {
    name: "empty file",
    path: () => file("empty.csv", ""),
    args: ROLES,
    message: /empty\.csv: the file is empty \(0 bytes\)/,
  },
  {
    name: "header only",
    path: () => file("header.csv", "y,p,g,s\n"),
    args: ROLES,
    message: /header\.csv: the file has column names but no data rows/,
  },
  {
    name: "ragged row (small file)",
    path: () => file("ragged.csv", "y,p,g,s\n1,0,a,0.1\n0,1,b\n1,1,a,0.3\n"),
    args: ROLES,
    message: /ragged\.csv: line 3 has 3 fields but the file has 4 columns/,
  },
  {
    name: "ragged row deep in a large file",
    path: () => file("ragged-deep.csv", `y,p,g,s\n${rows("", 30000)}1,0,a\n${rows("", 10)}`),
    args: ROLES,
    message: /ragged-deep\.csv: line 30002 has 3 fields but the file has 4 columns/,
  },
  {
    name: "label column with three values",
    path: () => file("three.csv", `y,p,g,s\n${rows("2,1,a,0.5\n")}`),
    args: ROLES,
    message:
      /three\.csv: column "y" \(--y-true\) must be binary .*found 3 distinct values \("0", "1", "2"\), the first that is not 0\/1 at data row 41 \(line 42\)/,
  },
  {
    name: "text label with three values and --pos-label",
    path: () => file("three-text.csv", "y,p,g\nyes,1,a\nno,0,b\nmaybe,1,a\n"),
    args: [...ROLES, "--pos-label", "yes"],
    message:
      /three-text\.csv: column "y" \(--y-true\) must be binary .*found 3 distinct values \("maybe", "no", "yes"\)/,
  },
  {
    name: "--pos-label that never occurs",
    path: () => file("poslabel.csv", "y,p,g\nhigh,1,a\nlow,0,b\n"),
    args: [...ROLES, "--pos-label", "High"],
    message: /poslabel\.csv: column "y" \(--y-true\) never holds --pos-label "High"; its values are "high", "low"/,
  },
  {
    name: "scores with text in them (within DuckDB's type sample)",
    path: () => file("score-text.csv", "y,p,g,s\n1,0,a,0.1\n0,1,b,high\n1,1,a,0.3\n"),
    args: SCORE_ROLES,
    message: /score-text\.csv: column "s" \(--score\) must be numeric; found "high" at data row 2 \(line 3\)/,
  },
  {
    name: "scores with text in them (after DuckDB's type sample)",
    path: () => file("score-text-deep.csv", `y,p,g,s\n${rows("", 30000)}1,0,a,oops\n`),
    args: SCORE_ROLES,
    message: /score-text-deep\.csv: column "s" \(--score\) holds "oops" at line 30002, which is not a number/,
  },
  {
    name: "a sensitive column that is all null",
    path: () => file("all-null.csv", "y,p,g\n1,0,\n0,1,\n1,1,\n"),
    args: ROLES,
    message: /all-null\.csv: column "g" \(--sensitive\) has no values: every row is missing/,
  },
  {
    name: "a missing column name",
    path: () => file("missing-col.csv", "y,p,group\n1,0,a\n"),
    args: ROLES,
    message: /missing-col\.csv: no column "g" \(given to --sensitive\); the columns are "y", "p", "group"/,
  },
  {
    name: "a nonexistent file",
    path: () => join(dir, "does-not-exist.csv"),
    args: ROLES,
    message: /does-not-exist\.csv: no such file/,
  },
  {
    name: "a missing label",
    path: () => file("null-label.csv", "y,p,g\n1,0,a\n,1,b\n1,1,a\n"),
    args: ROLES,
    message: /null-label\.csv: column "y" \(--y-true\) has 1 missing value, the first at data row 2 \(line 3\)/,
  },
  {
    name: "a negative weight",
    path: () => file("neg-weight.csv", "y,p,g,w\n1,0,a,1\n0,1,b,2\n1,1,a,-1\n"),
    args: [...ROLES, "--weight", "w"],
    message: /neg-weight\.csv: weight column "w" must be >= 0; found -1 at data row 3 \(line 4\)/,
  },
  {
    name: "a --where that matches nothing",
    path: () => file("where.csv", "y,p,g\n1,0,a\n0,1,b\n"),
    args: [...ROLES, "--where", "g = 'z'"],
    message: /where\.csv: no rows match --where "g = 'z'" \(the file has 2 rows\)/,
  },
  {
    name: "a --where that is not SQL",
    path: () => file("where-bad.csv", "y,p,g\n1,0,a\n0,1,b\n"),
    args: [...ROLES, "--where", "nope nope"],
    message: /--where "nope nope": syntax error at or near "nope" \(at character 6, near "nope"\)/,
  },
];

describe("bad files exit 2 with a message naming file, column and row", { concurrency: 4 }, () => {
  for (const c of cases) {
    test(c.name, async () => {
      const path = c.path();
      const run = await runCli(["audit", path, ...c.args]);
      assert.equal(run.code, 2, `exit code; stderr: ${run.stderr}`);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /^fairkit audit: /);
      assert.match(run.stderr, c.message);
    });
  }
});

describe("awkward but valid files read correctly", () => {
  test("quoted delimiters and quotes inside fields", async () => {
    const path = file(
      "quoted.csv",
      'y,p,g\n1,1,"Smith, J."\n0,1,"Smith, J."\n1,0,"O""Brien, K."\n0,0,"O""Brien, K."\n1,1,"O""Brien, K."\n',
    );
    const run = await runCli(["audit", path, ...ROLES]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    assert.deepEqual(
      result.groups.map((g) => [g.group[0], g.n, g.metrics.selection_rate]),
      [
        ['O"Brien, K.', 3, 1 / 3],
        ["Smith, J.", 2, 1],
      ],
    );
  });

  test("a UTF-8 byte order mark does not break the first column name", async () => {
    const path = file(
      "bom.csv",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("y,p,g\n1,1,a\n0,1,a\n1,0,b\n0,0,b\n")]),
    );
    const run = await runCli(["audit", path, ...ROLES]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    assert.equal(result.input.y_true, "y");
    assert.deepEqual(
      result.groups.map((g) => [g.label, g.metrics.true_positive_rate]),
      [
        ["a", 1],
        ["b", 0],
      ],
    );
  });

  test("missing sensitive values form the group (missing), with a warning and a null count", async () => {
    const path = file("some-null.csv", "y,p,g\n1,1,a\n0,1,\n1,0,b\n0,0,\n");
    const run = await runCli(["audit", path, ...ROLES]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    assert.deepEqual(
      result.groups.map((g) => [g.label, g.n]),
      [
        ["a", 1],
        ["b", 1],
        ["(missing)", 2],
      ],
    );
    assert.equal(result.groups[2].group[0], null);
    assert.equal(result.input.nulls.g, 2);
    assert.ok(
      result.warnings.some((w) => w.code === "MISSING_GROUP_VALUE" && /2 rows have no value for "g"/.test(w.message)),
    );
  });

  test("TSV, true/false labels and text groups with surrounding spaces", async () => {
    const path = file("tabs.tsv", "y\tp\tg\ntrue\tfalse\t a\nfalse\tfalse\ta \ntrue\ttrue\tb\n");
    const run = await runCli(["audit", path, ...ROLES]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as AuditResult;
    assert.deepEqual(
      result.groups.map((g) => [g.label, g.n, g.metrics.true_positive_rate]),
      [
        ["a", 2, 0],
        ["b", 1, 1],
      ],
    );
  });
});
