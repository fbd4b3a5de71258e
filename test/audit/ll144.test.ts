import assert from "node:assert/strict";
import { test } from "node:test";
import { fourFifthsRule } from "../../src/audit/four-fifths.js";
import { type LL144Table, ll144Tables } from "../../src/audit/ll144.js";
import {
  buildLL144Section,
  checkLL144Card,
  type LL144Card,
  prepareLL144Columns,
} from "../../src/audit/ll144-summary.js";

/**
 * A hand-computed fixture of 100 applicants (sex, race/ethnicity, assessed, selected):
 *   Male White 20/12, Male Black 15/6, Male Asian 10/5, Male Native American 1/1 (1%: under 2%),
 *   Female White 20/10, Female Black 15/3, Female Asian 10/6,
 *   Unknown-sex White 4/2, Female with race missing 5/1.
 */
function fixture() {
  const spec: [string, string | null, number, number][] = [
    ["Male", "White", 20, 12],
    ["Male", "Black", 15, 6],
    ["Male", "Asian", 10, 5],
    ["Male", "Native American", 1, 1],
    ["Female", "White", 20, 10],
    ["Female", "Black", 15, 3],
    ["Female", "Asian", 10, 6],
    ["Unknown", "White", 4, 2],
    ["Female", null, 5, 1],
  ];
  const sex: string[] = [];
  const race: (string | null)[] = [];
  const selected: number[] = [];
  for (const [s, r, n, k] of spec) {
    for (let i = 0; i < n; i++) {
      sex.push(s);
      race.push(r);
      selected.push(i < k ? 1 : 0);
    }
  }
  return { sex, race, selected };
}

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
const byCategory = (t: LL144Table) => Object.fromEntries(t.rows.map((r) => [r.category, r]));

test("LL144 sex table: rates, impact ratios and the unknown count by hand", () => {
  const { sex, race, selected } = fixture();
  const r = ll144Tables({ sex, raceEthnicity: race, selected });
  assert.equal(r.total, 100);
  assert.equal(r.rate_name, "selection_rate");
  const t = r.tables[0];
  assert.equal(t.dimension, "sex");
  assert.equal(t.unknown_count, 4);
  const rows = byCategory(t);
  assert.deepEqual(Object.keys(rows), ["Female", "Male"]);
  assert.equal(rows.Male.count, 46);
  assert.equal(rows.Male.positives, 24);
  close(rows.Male.rate, 24 / 46);
  assert.equal(rows.Female.count, 50);
  close(rows.Female.rate, 0.4);
  assert.equal(t.highest, "Male");
  close(rows.Female.impact_ratio, 0.4 / (24 / 46)); // 0.76667
  close(rows.Male.impact_ratio, 1);
});

test("LL144 race table without and with the 2% exclusion", () => {
  const { sex, race, selected } = fixture();
  const plain = ll144Tables({ sex, raceEthnicity: race, selected }).tables[1];
  assert.equal(plain.unknown_count, 5);
  const p = byCategory(plain);
  assert.equal(plain.highest, "Native American"); // 1 of 1 selected
  close(p.White.rate, 24 / 44);
  close(p.White.impact_ratio, 24 / 44);
  close(p.Black.impact_ratio, 0.3);
  close(p.Asian.impact_ratio, 0.55);

  const justification = "Native American applicants are 1% of the data; one person's outcome cannot support a ratio";
  const excluded = ll144Tables({ sex, raceEthnicity: race, selected, exclude: { justification } });
  assert.deepEqual(excluded.exclusion, { share: 0.02, justification });
  const t = excluded.tables[1];
  const e = byCategory(t);
  assert.equal(t.highest, "Asian");
  close(t.highest_rate, 0.55);
  assert.equal(e["Native American"].excluded, true);
  assert.equal(e["Native American"].count, 1);
  assert.equal(e["Native American"].rate, 1);
  assert.ok(Number.isNaN(e["Native American"].impact_ratio));
  close(e["Native American"].share, 0.01);
  close(e.White.impact_ratio, 24 / 44 / 0.55); // 0.99174
  close(e.Black.impact_ratio, 0.3 / 0.55); // 0.54545
  close(e.Asian.impact_ratio, 1);
  assert.equal(e.Black.excluded, false);
});

test("LL144 intersectional table: unknown in either column, exclusion, ties for highest", () => {
  const { sex, race, selected } = fixture();
  const t = ll144Tables({ sex, raceEthnicity: race, selected, exclude: { justification: "under 2%" } }).tables[2];
  assert.equal(t.dimension, "intersectional");
  assert.equal(t.unknown_count, 9);
  const rows = byCategory(t);
  assert.deepEqual(Object.keys(rows), [
    "Female, Asian",
    "Female, Black",
    "Female, White",
    "Male, Asian",
    "Male, Black",
    "Male, Native American",
    "Male, White",
  ]);
  assert.equal(t.highest, "Female, Asian"); // 0.6, tied with Male, White; the first in order is named
  const expected: Record<string, number> = {
    "Female, Asian": 1,
    "Female, Black": 0.2 / 0.6,
    "Female, White": 0.5 / 0.6,
    "Male, Asian": 0.5 / 0.6,
    "Male, Black": 0.4 / 0.6,
    "Male, White": 1,
  };
  for (const [k, v] of Object.entries(expected)) close(rows[k].impact_ratio, v);
  assert.equal(rows["Male, Native American"].excluded, true);
  assert.equal(rows["Male, Native American"].count, 1);
  const counts = t.rows.reduce((s, row) => s + row.count, 0);
  assert.equal(counts + t.unknown_count, 100);
});

test("LL144 scoring tool: scoring rate above the sample median", () => {
  // Scores 1..10, median 5.5. Female: 1,2,3,8,9 (2 above); Male: 4,5,6,7,10 (3 above).
  const scores = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const sex = ["F", "F", "F", "M", "M", "M", "M", "F", "F", "M"];
  const r = ll144Tables({ sex, raceEthnicity: Array(10).fill("X"), scores });
  assert.equal(r.kind, "scoring");
  assert.equal(r.rate_name, "scoring_rate");
  assert.equal(r.median, 5.5);
  const rows = byCategory(r.tables[0]);
  close(rows.F.rate, 0.4);
  close(rows.M.rate, 0.6);
  close(rows.F.impact_ratio, 0.4 / 0.6);
  // Odd count: the middle value is the median and does not count as above it.
  const odd = ll144Tables({ sex: ["a", "a", "b"], raceEthnicity: ["x", "x", "x"], scores: [1, 2, 3] });
  assert.equal(odd.median, 2);
  assert.deepEqual(
    odd.tables[0].rows.map((row) => row.positives),
    [0, 1],
  );
});

test("LL144 tables feed the four-fifths rule", () => {
  const { sex, race, selected } = fixture();
  const t = ll144Tables({ sex, raceEthnicity: race, selected }).tables[0];
  const ff = fourFifthsRule(t.rows.map((row) => ({ label: row.category, count: row.count, selected: row.positives })));
  const female = ff.rows.find((row) => row.label === "Female")!;
  close(female.impact_ratio, t.rows[0].impact_ratio);
  // scipy.stats.fisher_exact([[20, 30], [24, 22]]).pvalue
  assert.ok(Math.abs(female.fisher_p - 0.30561352125034214) < 1e-9);
  assert.equal(female.status, "below_threshold_not_significant");
});

test("LL144 argument checks", () => {
  assert.throws(() => ll144Tables({ sex: ["a"], raceEthnicity: ["b"] }), /either selected .* or scores/);
  assert.throws(
    () => ll144Tables({ sex: ["a"], raceEthnicity: ["b"], selected: [1], exclude: { justification: " " } }),
    /needs a justification/,
  );
  assert.throws(
    () =>
      ll144Tables({ sex: ["a"], raceEthnicity: ["b"], selected: [1], exclude: { share: 0.05, justification: "x" } }),
    /under 2% only/,
  );
  assert.throws(
    () => ll144Tables({ sex: ["a", "b"], raceEthnicity: ["b"], selected: [1, 0] }),
    /raceEthnicity has 1 rows but sex has 2/,
  );
});

test("the summary of results: EEO-1 mapping merges values into one category, unknowns counted by reason, facts marked", () => {
  const { sex, race, selected } = fixture();
  // "White" and "Asian" both map to one category here (a made-up merge, to test it): 20+10+20+10+4 rows.
  const card: LL144Card = {
    eeo1_mapping: {
      sex: { Male: "Male", Female: "Female" },
      race_ethnicity: {
        White: "White (Not Hispanic or Latino)",
        Asian: "White (Not Hispanic or Latino)",
        Black: "Black or African American (Not Hispanic or Latino)",
        "Native American": "unknown",
      },
    },
    data_kind: "test",
    auditor: { name: "A. Auditor", independent: false },
  };
  const ll = buildLL144Section({
    sensitiveFeatures: { sex, race },
    sensitive: ["sex", "race"],
    columns: { sex: "sex", raceEthnicity: "race" },
    selected,
    card,
    level: 0.95,
    positiveDecision: "favourable",
    generatedAt: "2026-01-01T00:00:00.000Z",
    files: [{ name: "fixture", sha256: null, rows: 100 }],
    rows: 100,
  });
  const raceTable = ll.selection!.tables[1];
  assert.deepEqual(raceTable.columns, ["race"]);
  const white = raceTable.rows.find((r) => r.category === "White (Not Hispanic or Latino)")!;
  assert.deepEqual([white.count, white.positives], [64, 35]);
  assert.deepEqual(white.values, { race: "White (Not Hispanic or Latino)" });
  // Unknown race: 5 missing + 1 Native American (mapped to unknown).
  assert.equal(raceTable.unknown_count, 6);
  const values = ll.summary.categories[1].values.map((v) => [v.value, v.rows, v.category, v.unknown]);
  assert.deepEqual(values, [
    ["Asian", 20, "White (Not Hispanic or Latino)", null],
    ["Black", 30, "Black or African American (Not Hispanic or Latino)", null],
    ["Native American", 1, null, "mapped_unknown"],
    ["White", 44, "White (Not Hispanic or Latino)", null],
    [null, 5, null, "missing"],
  ]);
  // "Unknown" sex is unknown by default (4 rows), and needs no mapping.
  assert.deepEqual(
    ll.summary.categories[0].values.find((v) => v.value === "Unknown"),
    {
      value: "Unknown",
      rows: 4,
      category: null,
      unknown: "unknown_value",
    },
  );
  assert.deepEqual(
    ll.summary.totals.map((t) => [t.dimension, t.in_categories, t.unknown]),
    [
      ["sex", 96, 4],
      ["race_ethnicity", 94, 6],
      ["intersectional", 90, 10],
    ],
  );
  assert.deepEqual(ll.summary.categories[1].empty_categories, [
    "Hispanic or Latino",
    "Native Hawaiian or Other Pacific Islander (Not Hispanic or Latino)",
    "Asian (Not Hispanic or Latino)",
    "American Indian or Alaska Native (Not Hispanic or Latino)",
    "Two or More Races (Not Hispanic or Latino)",
  ]);
  assert.deepEqual(
    ll.summary.missing.map((m) => m.field),
    [
      "model_details.name",
      "ll144.audit_date",
      "ll144.distribution_date",
      "ll144.data_source",
      "ll144.test_data_reason",
      "ll144.auditor.statement",
    ],
  );
  assert.match(ll.summary.warnings[0], /^the card file says the auditor is not independent/);
});

test("the summary's checks name the card file and field: unmapped values, unknown yet mapped, other dimension, dates", () => {
  const sex = ["F", "M", "F"];
  const race = ["a", "b", "Unknown"];
  const run = (card: LL144Card) =>
    prepareLL144Columns({
      sex: { name: "gender", column: sex },
      raceEthnicity: { name: "race", column: race },
      card,
      rows: 3,
      file: "card file c.yaml",
    });
  assert.throws(
    () => run({ eeo1_mapping: { sex: { F: "Female" } } }),
    /^FairkitError: card file c\.yaml: ll144\.eeo1_mapping\.sex: no EEO-1 category for "M" \(values of the column gender in the data\): map each to an EEO-1 category or to "unknown"$/,
  );
  assert.throws(
    () =>
      run({
        eeo1_mapping: {
          race_ethnicity: { a: "Hispanic or Latino", b: "Hispanic or Latino", Unknown: "Hispanic or Latino" },
        },
      }),
    /card file c\.yaml: ll144\.eeo1_mapping\.race_ethnicity\["Unknown"\] is "Hispanic or Latino", but ll144\.unknown_values makes "Unknown" unknown: drop one of the two/,
  );
  assert.throws(
    () => run({ eeo1_mapping: { sex: { F: "Hispanic or Latino", M: "Male" } } }),
    /ll144\.eeo1_mapping\.sex\["F"\]: "Hispanic or Latino" is not a sex category; known: "Male", "Female", "unknown"/,
  );
  const ok = run({ eeo1_mapping: { sex: { " F ": "Female", M: "Male" } } });
  assert.deepEqual(ok.sex, { codes: Int32Array.of(1, 0, 1), levels: ["Male", "Female"] });
  for (const bad of ["2026-2-01", "2026-02-30", "01/02/2026", "2026-13-01"])
    assert.throws(
      () => checkLL144Card({ audit_date: bad }, "card.yaml"),
      /card\.yaml: ll144\.audit_date: must be a calendar date/,
    );
  assert.doesNotThrow(() => checkLL144Card({ audit_date: "2024-02-29", distribution_date: "2026-12-31" }, "card.yaml"));
  assert.throws(() => checkLL144Card({ distribution_date: "2023-02-29" }, "card.yaml"), /ll144\.distribution_date/);
});
