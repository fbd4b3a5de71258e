/**
 * `fairkit monitor` on data made from COMPAS (ProPublica's filter, 6,172 rows) with synthetic
 * timestamps by row order — 500 rows a day from Monday 2013-01-07, in a temporary file, never in
 * the repository — and planted changes: a shift of one group's scores from a given day on, a
 * group whose share collapses, labels missing in the last days. Each is found when the rules say
 * and not before.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { MonitorResult } from "../../src/monitor/monitor-result.js";
import { compasFiltered, type CompasRow, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";
import { runCli } from "./run-cli.js";

const skip = skipWithoutData("compas-scores-two-years.csv");
const dir = mkdtempSync(join(tmpdir(), "fairkit-monitor-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const PER_DAY = 500;
const T0 = Date.UTC(2013, 0, 7);

/** Writes the rows with a timestamp by their order (`PER_DAY` a day, a minute apart), after `change` (which may drop a row: null). */
function writeScenario(
  name: string,
  change: (row: CompasRow, day: number, i: number) => CompasRow | null = (r) => r,
): string {
  const lines = ["decided_at,race,sex,decile_score,two_year_recid"];
  compasFiltered().forEach((row, i) => {
    const day = Math.floor(i / PER_DAY);
    const r = change({ ...row }, day, i);
    if (r === null) return;
    const t = new Date(T0 + day * 86_400_000 + (i % PER_DAY) * 60_000).toISOString();
    lines.push([t, r.race, r.sex, r.decile_score, r.two_year_recid].join(","));
  });
  const path = join(dir, `${name}.csv`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

function writeRules(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ROLES = [
  "--time",
  "decided_at",
  "--y-true",
  "two_year_recid",
  "--score",
  "decile_score",
  "--threshold",
  "5",
  "--sensitive",
  "race",
];
/** The first three days as the reference. */
const REFERENCE = ["--reference", "2013-01-07..2013-01-10"];

async function monitor(file: string, args: string[]): Promise<MonitorResult> {
  const run = await runCli(["monitor", file, ...ROLES, ...REFERENCE, "--format", "json", ...args]);
  assert.equal(run.code, 0, run.stderr);
  return assertValid(JSON.parse(run.stdout) as MonitorResult, "monitor");
}

const dayOf = (iso: string) => Math.round((Date.parse(iso) - T0) / 86_400_000);

test("a shift in one group's scores from day 6 on is detected by PSI within the persistence rule (2 of 3: day 7), not before", {
  skip,
}, async () => {
  const file = writeScenario("shift", (r, day) => {
    if (day >= 6 && r.race === "Caucasian") r.decile_score = String(Math.min(10, Number(r.decile_score) + 3));
    return r;
  });
  const rules = writeRules(
    "psi.yaml",
    "rules:\n  - name: score-shift\n    measure: psi\n    tolerance: 0.25\n    min_count: 100\n    persistence: { k: 2, m: 3 }\n",
  );
  const result = await monitor(file, ["--rules", rules]);
  assert.equal(result.windows.length, 13);
  assert.equal(result.reference.windows, 3);
  // The reference's deciles of decile_score (1 to 10), repeats dropped.
  assert.deepEqual(result.settings.bins?.edges, [1, 2, 3, 4, 5, 6, 7, 9]);
  const caucasian = result.windows.map((w) => w.groups.find((g) => g.label === "Caucasian")!.drift!.psi!);
  // Before the shift the group's PSI is noise; from day 6 on it is large.
  for (let d = 0; d < 6; d++) assert.ok(caucasian[d] < 0.1, `day ${d}: ${caucasian[d]}`);
  for (let d = 6; d < 12; d++) assert.ok(caucasian[d] > 0.5, `day ${d}: ${caucasian[d]}`);
  const alerts = result.alerts.filter((a) => a.rule === "score-shift");
  assert.ok(alerts.length > 0);
  assert.ok(
    alerts.every((a) => a.label === "Caucasian"),
    JSON.stringify(alerts.map((a) => a.label)),
  );
  assert.equal(dayOf(alerts[0].window), 7);
  assert.equal(alerts[0].new, true);
  assert.ok(alerts.every((a) => dayOf(a.window) >= 7));
  // The text output draws it: the PSI sparkline of the group ends high.
  const text = await runCli(["monitor", file, ...ROLES, ...REFERENCE, "--rules", rules]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^Caucasian +\S+ +[\d.]+ +[\d.]+ +\S+ +[\d.]+ +▁+[▁▂]*█/m);
  assert.match(text.stdout, /Alerts \(\d+ from 1 rule\):/);
  // --fail-on-alert turns the alerts into exit code 1, the output still written.
  const gated = await runCli([
    "monitor",
    file,
    ...ROLES,
    ...REFERENCE,
    "--rules",
    rules,
    "--fail-on-alert",
    "--format",
    "json",
  ]);
  assert.equal(gated.code, 1);
  assert.match(gated.stderr, /--fail-on-alert: \d+ alerts from score-shift/);
  assert.equal(JSON.parse(gated.stdout).alerts.length, alerts.length);
});

test("a group whose share collapses from day 8 on is flagged (its share's interval clears the tolerance), not before", {
  skip,
}, async () => {
  const file = writeScenario("collapse", (r, day, i) =>
    day >= 8 && r.race === "Caucasian" && i % 10 !== 0 ? null : r,
  );
  const rules = writeRules(
    "share.json",
    JSON.stringify({ rules: [{ name: "mix", measure: "share", tolerance: 0.1 }] }),
  );
  const result = await monitor(file, ["--rules", rules]);
  const caucasian = result.alerts.filter((a) => a.label === "Caucasian");
  assert.ok(caucasian.length >= 4);
  assert.equal(dayOf(caucasian[0].window), 8);
  assert.ok(caucasian.every((a) => a.value! < -0.2 && a.interval![1]! < -0.1));
  assert.ok(
    result.alerts.every((a) => dayOf(a.window) >= 8),
    JSON.stringify(result.alerts.map((a) => a.window)),
  );
  const w8 = result.windows[8].groups.find((g) => g.label === "Caucasian")!;
  assert.ok(w8.share! < 0.1 && result.reference.groups.find((g) => g.label === "Caucasian")!.share! > 0.3);
});

test("rows whose labels have not arrived (the last 3 days) get label-free numbers only; each window says how many are labelled", {
  skip,
}, async () => {
  const file = writeScenario("delayed", (r, day) => {
    if (day >= 10) r.two_year_recid = "";
    return r;
  });
  const rules = writeRules(
    "both.yaml",
    "rules:\n  - { name: base, measure: base_rate, tolerance: 0.0 }\n  - { name: dp, measure: demographic_parity_ratio, tolerance: 0.99 }\n",
  );
  const result = await monitor(file, ["--rules", rules]);
  for (const w of result.windows) {
    const day = dayOf(w.start);
    if (day < 10) {
      assert.equal(w.labelled_rows, w.rows);
      assert.notEqual(w.criteria.equal_opportunity_difference.value, null);
      continue;
    }
    assert.equal(w.labelled_rows, 0, w.start);
    assert.ok(w.rows > 0);
    assert.equal(w.criteria.equal_opportunity_difference.value, null);
    assert.equal(w.criteria.predictive_parity_ratio.value, null);
    assert.notEqual(w.criteria.demographic_parity_ratio.value, null);
    for (const g of w.groups) {
      assert.equal(g.metrics.base_rate, null);
      assert.equal(g.metrics.true_positive_rate, null);
      assert.equal(g.labelled_n, 0);
      if (g.n > 0) assert.notEqual(g.metrics.selection_rate, null);
      if (g.n >= 30) assert.notEqual(g.drift, null);
    }
  }
  // A label-based rule cannot fire where there are no labels; a label-free one can.
  assert.ok(result.alerts.filter((a) => a.rule === "base").every((a) => dayOf(a.window) < 10));
  assert.ok(result.alerts.some((a) => a.rule === "dp" && dayOf(a.window) >= 10));
});

test("--where filters the rows as in the audit, and cannot reach beyond the file", { skip }, async () => {
  const file = writeScenario("where");
  const result = await monitor(file, ["--where", "race <> 'Other' AND sex = 'Male'"]);
  assert.equal(result.input.where, "race <> 'Other' AND sex = 'Male'");
  assert.ok(result.windows.every((w) => w.groups.every((g) => g.label !== "Other")));
  assert.ok(result.input.rows < 6172 * 0.85);
  // The default reference, the first window: its deciles bin the scores, and it is in_reference alone.
  const first = await runCli(["monitor", file, ...ROLES, "--window", "week", "--format", "json"]);
  assert.equal(first.code, 0, first.stderr);
  const weekly = assertValid(JSON.parse(first.stdout) as MonitorResult, "monitor");
  assert.deepEqual(weekly.settings.reference, { kind: "first" });
  assert.deepEqual(
    weekly.windows.map((w) => [w.start.slice(0, 10), w.in_reference]),
    [
      ["2013-01-07", true],
      ["2013-01-14", false],
    ],
  );
  assert.equal(weekly.reference.rows, 3500);
  assert.ok(weekly.settings.bins!.edges.length >= 5);
  const run = await runCli(["monitor", file, ...ROLES, "--where", "EXISTS (SELECT 1 FROM read_csv('/etc/passwd'))"]);
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stdout, "");
});

test("usage and data errors exit 2 and name the option, the file or the rule", { skip }, async () => {
  const file = writeScenario("plain");
  const cases: [string[], RegExp][] = [
    [
      ["monitor", file, "--y-true", "two_year_recid", "--y-pred", "sex", "--sensitive", "race"],
      /missing --time COLUMN/,
    ],
    [["monitor", file, ...ROLES, "--window", "fortnight"], /--window: window "fortnight": use hour, day, week or <N>d/],
    [
      ["monitor", file, ...ROLES, "--reference", "2020-01-01..2020-02-01"],
      /no window starts in the reference 2020-01-01T00:00:00.000Z/,
    ],
    [
      ["monitor", file, ...ROLES, "--time", "race"],
      /column "race" \(--time\) holds "Other" at data row 1 \(line 2\), which is not a date/,
    ],
    [["monitor", file, ...ROLES, "--time", "nope"], /no column "nope" \(given to --time\)/],
    [["monitor", file, ...ROLES, "--rules", join(dir, "none.yaml")], /none\.yaml: no such file/],
    [
      [
        "monitor",
        file,
        ...ROLES,
        "--rules",
        writeRules("bad.yaml", "rules:\n  - name: drift\n    measure: psi\n    tolerance: -1\n"),
      ],
      /bad\.yaml: rule "drift": tolerance must be a number >= 0; got -1/,
    ],
    [["monitor", file, ...ROLES, "--rules", writeRules("broken.yaml", "rules: [\n")], /broken\.yaml: not valid YAML/],
  ];
  const gaps = join(dir, "gaps.csv");
  writeFileSync(gaps, "decided_at,race,y,p\n2013-01-07T10:00:00Z,a,1,1\n,b,0,1\n2013-01-08T10:00:00Z,b,0,0\n,a,1,0\n");
  cases.push([
    ["monitor", gaps, "--time", "decided_at", "--y-true", "y", "--y-pred", "p", "--sensitive", "race"],
    /gaps\.csv: column "decided_at" \(--time\) has 2 missing values, the first at data row 2 \(line 3\): every row needs a time/,
  ]);
  for (const [args, pattern] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, pattern);
    assert.equal(run.stdout, "");
  }
});
