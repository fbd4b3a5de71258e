/**
 * Reports for the real data sets, generated through the CLI exactly as a user would, then checked:
 * the report's audit equals `fairkit audit --format json` on the same file and columns, the
 * regulatory tables agree with the audit's numbers by an independent path, and each HTML report
 * opens in real Chromium with no console error and no request leaving the page. Screenshots go
 * to test-output/ (gitignored).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import type { AuditResult } from "../../src/audit/audit-result.js";
import type { ReportData } from "../../src/audit/report-data.js";
import { subgroupCounts } from "../../src/report/format.js";
import { rocCurve } from "../../src/thresholds/curves.js";
import { scoreTable } from "../../src/thresholds/score-table.js";
import { compasFiltered, dataPath, skipWithoutData } from "../helpers/data.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, "test-output", "reports");
const CHROMIUM = "/usr/bin/chromium";
const EPOCH = "1767225600"; // 2026-01-01T00:00:00Z: a fixed date makes the reports reproducible

function fairkit(args: string[]): void {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/node/cli/main.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, NO_COLOR: "1" },
  });
  assert.equal(r.status, 0, `fairkit ${args.join(" ")} failed:\n${r.stderr}`);
}

const COMPAS_WHERE =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";
const ADULT_COLUMNS =
  "age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income";

interface Case {
  name: string;
  file: "compas-scores-two-years.csv" | "adult.data";
  sha256: string;
  rows: number;
  /** Columns and reading options shared by `audit` and `report`. */
  common: string[];
  /** Report-only options. */
  report: string[];
}

const cases: Case[] = [
  {
    name: "compas",
    file: "compas-scores-two-years.csv",
    sha256: "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d",
    rows: 6172,
    common: [
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
    ],
    report: ["--card", join(root, "examples/compas-card.yaml"), "--attributes", "age_cat", "--max-depth", "3"],
  },
  {
    // A rule-based prediction: ">50K" when education-num >= 13 (a bachelor's degree or more).
    name: "adult",
    file: "adult.data",
    sha256: "a0351ccac2e50adb68d08c54a6ce37daae7714fac1423a7c09577ae0f55934ba",
    rows: 32561,
    common: [
      "--no-header",
      "--columns",
      ADULT_COLUMNS,
      "--delimiter",
      ",",
      "--na",
      " MissingValue",
      "--na",
      " ?",
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
    ],
    report: ["--title", "Adult income: rule education-num >= 13", "--attributes", "relationship"],
  },
];

const generated = new Map<string, { report: ReportData; audit: AuditResult; html: string; markdown: string }>();

function generate(c: Case) {
  const hit = generated.get(c.name);
  if (hit) return hit;
  mkdirSync(out, { recursive: true });
  const path = dataPath(c.file)!;
  const base = join(out, c.name);
  fairkit(["audit", path, ...c.common, "--format", "json", "-o", `${base}-audit.json`]);
  fairkit(["report", path, ...c.common, ...c.report, "-o", `${base}.json`]);
  fairkit(["report", path, ...c.common, ...c.report, "-o", `${base}.html`]);
  fairkit(["report", path, ...c.common, ...c.report, "-o", `${base}.md`]);
  const result = {
    report: JSON.parse(readFileSync(`${base}.json`, "utf8")) as ReportData,
    audit: JSON.parse(readFileSync(`${base}-audit.json`, "utf8")) as AuditResult,
    html: readFileSync(`${base}.html`, "utf8"),
    markdown: readFileSync(`${base}.md`, "utf8"),
  };
  generated.set(c.name, result);
  return result;
}

const key = (values: Record<string, unknown>, columns: string[]) => columns.map((c) => String(values[c])).join("|");

for (const c of cases) {
  describe(`${c.name} report`, { skip: skipWithoutData(c.file) }, () => {
    test("the report's audit is `fairkit audit --format json` on the same file and columns", () => {
      const { report, audit } = generate(c);
      assert.deepEqual(report.audit, audit);
      assert.equal(audit.input.rows, c.rows);
    });

    test("dated, versioned, hashed", () => {
      const { report, html, markdown } = generate(c);
      assert.equal(report.generated_at, "2026-01-01T00:00:00.000Z");
      assert.equal(report.tool.version, JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
      assert.equal(report.provenance.data[0].sha256, c.sha256);
      assert.match(report.provenance.config_sha256 ?? "", /^[0-9a-f]{64}$/);
      for (const text of [html, markdown]) {
        assert.ok(text.includes(c.sha256), "data hash shown");
        assert.ok(text.includes(report.provenance.config_sha256!), "config hash shown");
        assert.ok(text.includes(`fairkit ${report.tool.version}`));
      }
      assert.ok(html.includes('<time datetime="2026-01-01T00:00:00.000Z">'));
    });

    test("LL144 and four-fifths selection rates equal the audit's, by an independent path", () => {
      const { report, audit } = generate(c);
      const sensitive = audit.input.sensitive;
      const auditRate = new Map(
        audit.groups.map((g) => [key(Object.fromEntries(sensitive.map((c, i) => [c, g.group[i]])), sensitive), g]),
      );
      // LL144's intersectional table counts rows itself; the audit comes from DuckDB's GROUP BY.
      const inter = report.ll144!.selection.tables[2];
      assert.equal(inter.rows.length, audit.groups.length);
      for (const row of inter.rows) {
        const values = {
          [report.ll144!.sex]: row.values.sex,
          [report.ll144!.race_ethnicity]: row.values.race_ethnicity,
        };
        const g = auditRate.get(key(values, sensitive))!;
        assert.ok(g, `no audit group for ${row.category}`);
        assert.equal(row.count, g.n);
        assert.ok(
          Math.abs(row.rate - g.metrics.selection_rate!) < 1e-12,
          `${row.category}: ${row.rate} vs ${g.metrics.selection_rate}`,
        );
      }
      const ffInter = report.four_fifths.find((f) => f.columns.length === 2)!;
      for (const row of ffInter.rows) {
        const g = audit.groups.find((x) => x.label === row.label)!;
        assert.equal(row.count, g.n);
        assert.ok(Math.abs(row.rate - g.metrics.selection_rate!) < 1e-12);
      }
      // Unitary sex table: LL144's sex rates equal the unitary audit of sex.
      const sexUnitary = report.unitary.find((u) => u.column === report.ll144!.sex)!;
      for (const row of report.ll144!.selection.tables[0].rows) {
        const g = sexUnitary.groups.find((x) => x.label === row.category)!;
        assert.ok(Math.abs(row.rate - g.metrics.selection_rate!) < 1e-12);
      }
    });

    test("the HTML escapes every text: no '<' that does not open a tag (Biome found '< 1e-12' p-values written raw)", () => {
      const { html } = generate(c);
      const stray = [...html.matchAll(/<(?![a-zA-Z/!])/g)].map((m) =>
        html.slice(Math.max(0, m.index - 40), m.index + 20),
      );
      assert.deepEqual(stray, []);
    });

    test("every count the Markdown states for a group is the same wherever it states it, and the JSON's (issue 20)", () => {
      const { report, audit, markdown } = generate(c);
      // Every table whose first column names groups and that has a count column: label → counts seen.
      const seen = new Map<string, Set<number>>();
      const lines = markdown.split("\n");
      for (let i = 0; i + 1 < lines.length; i++) {
        if (!lines[i].startsWith("| ") || !lines[i + 1].startsWith("| ---")) continue;
        const header = lines[i]
          .split("|")
          .slice(1, -1)
          .map((h) => h.trim());
        const at = header.findIndex((h) => ["n", "rows", "applicants"].includes(h));
        if (at < 0 || !["group", "category"].includes(header[0])) continue;
        for (let j = i + 2; j < lines.length && lines[j].startsWith("| "); j++) {
          const cells = lines[j]
            .split("|")
            .slice(1, -1)
            .map((x) => x.trim());
          const label = cells[0].replace(/ \(small\)$/, "");
          const n = Number(cells[at].replace(/,/g, ""));
          if (!seen.has(label)) seen.set(label, new Set());
          seen.get(label)!.add(n);
        }
      }
      const inconsistent = [...seen]
        .filter(([, counts]) => counts.size > 1)
        .map(([l, counts]) => `${l}: ${[...counts].join(" vs ")}`);
      assert.deepEqual(inconsistent, []);
      for (const g of [audit.overall, ...audit.groups])
        assert.deepEqual([...(seen.get(g.label) ?? [])], [g.n], g.label);
      // The sentences agree with the JSON and with each other.
      assert.ok(markdown.includes(`${report.datasheet.rows.toLocaleString("en-US")} rows.`));
      const sg = report.subgroups;
      const eu = report.eu_ai_act.tests.find((t) => t.name.startsWith("subgroup search"))!;
      assert.ok(eu.result.startsWith(`${sg.significant_count} significant of ${sg.tested} tested`), eu.result);
      if (sg.top.length > 0) {
        const finding = report.findings.find((f) => f.startsWith("subgroup search:"))!;
        assert.ok(
          finding.startsWith(`subgroup search: ${sg.significant_count - sg.explained_count} subgroup(s)`),
          finding,
        );
      }
    });

    test("the HTML and Markdown reports equal their reviewed snapshots (FAIRKIT_UPDATE_SNAPSHOTS=1 writes them)", () => {
      const { html, markdown } = generate(c);
      for (const [ext, text] of [
        ["html", html],
        ["md", markdown],
      ] as const) {
        const file = join(root, "test", "report", "snapshots", `${c.name}.${ext}`);
        if (process.env.FAIRKIT_UPDATE_SNAPSHOTS === "1") {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
          continue;
        }
        assert.ok(
          existsSync(file),
          `no snapshot ${file}: run FAIRKIT_UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs test/report/real-data`,
        );
        const expected = readFileSync(file, "utf8");
        if (text !== expected) {
          const a = text.split("\n");
          const b = expected.split("\n");
          const line = a.findIndex((l, i) => l !== b[i]);
          // Long HTML lines: show the text around the first character that differs.
          const [x, y] = [a[line] ?? "", b[line] ?? ""];
          let col = 0;
          while (col < x.length && x[col] === y[col]) col++;
          const around = (t: string) => t.slice(Math.max(0, col - 60), col + 100);
          assert.fail(
            `${c.name}.${ext} differs from its snapshot at line ${line + 1}, column ${col + 1}:\n  now:      …${around(x)}\n  snapshot: …${around(y)}\nReview the change; if it is intended, FAIRKIT_UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs test/report/real-data rewrites the snapshots (commit them with it).`,
          );
        }
      }
    });

    test("the EU test log counts only rated groups as below 0.8 (issue 20: '6 of 12' counted 4 unrated groups)", () => {
      const { report } = generate(c);
      for (const ff of report.four_fifths) {
        const line = report.eu_ai_act.tests.find((t) => t.name === `EEOC four-fifths rule, ${ff.columns.join(" × ")}`)!;
        const rated = ff.rows.filter((r) => r.status !== "too_small" && r.status !== "undefined");
        const below = rated.filter((r) => r.impact_ratio < ff.threshold);
        assert.ok(
          line.result.startsWith(`${below.length} of ${rated.length} rated groups below ${ff.threshold}`),
          line.result,
        );
        assert.equal(ff.flagged.length, below.length);
        const unrated = ff.rows.length - rated.length;
        if (unrated > 0) assert.match(line.result, new RegExp(`; ${unrated} not rated`));
      }
    });

    test("the subgroup counts read the same in HTML and Markdown, and match the rows listed (issue 20)", () => {
      const { report, html, markdown } = generate(c);
      const sentence = subgroupCounts(report.subgroups);
      assert.ok(markdown.includes(sentence), sentence);
      assert.ok(html.includes(sentence.replace(/&/g, "&amp;")), sentence);
      const section = markdown.slice(markdown.indexOf("## Subgroup discovery"), markdown.indexOf("### Largest gaps"));
      const rows = section
        .split("\n")
        .filter((l) => l.startsWith("| ") && !l.startsWith("| subgroup") && !l.startsWith("| ---"));
      assert.equal(rows.length, report.subgroups.top.length);
      const reported = report.subgroups.significant_count - report.subgroups.explained_count;
      assert.ok(rows.length === reported || sentence.includes(`the ${rows.length} with the largest gaps`));
    });

    test("LL144's intersections read as every other section's (issue 20: 'Female, African-American' vs 'African-American, Female')", () => {
      const { report, audit, markdown } = generate(c);
      const labels = audit.groups.map((g) => g.label);
      const inter = report.ll144!.selection.tables.find((t) => t.dimension === "intersectional")!;
      assert.deepEqual(
        inter.rows.map((r) => r.category),
        labels.filter((l) => inter.rows.some((r) => r.category === l)),
      );
      for (const row of inter.rows) assert.ok(labels.includes(row.category), row.category);
      // Headings name the column, as the HTML's do.
      assert.match(markdown, new RegExp(`### Race/ethnicity \\(${report.ll144!.race_ethnicity}\\) — selection rate`));
      assert.doesNotMatch(markdown, /### race_ethnicity —/);
    });

    test("model card in Model Card Toolkit v0.0.2 form", () => {
      const { report, audit } = generate(c);
      const mc = report.model_card.model_card as unknown as Record<string, unknown>;
      assert.equal(mc.schema_version, "0.0.2");
      // The schema allows no other top-level property.
      assert.deepEqual(Object.keys(mc).sort(), [
        "considerations",
        "model_details",
        "model_parameters",
        "quantitative_analysis",
        "schema_version",
      ]);
      const pm = report.model_card.model_card.quantitative_analysis.performance_metrics;
      const overall = pm.filter((m) => m.slice === "overall");
      assert.deepEqual(
        overall.map((m) => m.type),
        audit.settings.metrics,
      );
      // Values are decimal text (the toolkit's proto holds strings) that read back as the same double.
      for (const m of overall) assert.equal(Number(m.value), audit.overall.metrics[m.type]);
      for (const m of pm) {
        if (m.value !== undefined) assert.equal(typeof m.value, "string");
        if (m.confidence_interval)
          assert.ok(Number(m.confidence_interval.lower_bound) <= Number(m.confidence_interval.upper_bound));
      }
      for (const m of pm)
        assert.deepEqual(
          Object.keys(m).filter((k) => !["type", "value", "slice", "confidence_interval"].includes(k)),
          [],
        );
    });
  });
}

describe("COMPAS specifics", { skip: skipWithoutData("compas-scores-two-years.csv") }, () => {
  test("card file text, the justified 2% exclusion, and reference shares reach the report", () => {
    const { report, html } = generate(cases[0]);
    assert.equal(
      report.model_card.model_card.model_details.name,
      "COMPAS recidivism risk score (decile >= 5 = medium/high risk)",
    );
    assert.deepEqual(report.model_card.sections.out_of_scope_uses, ["Sentencing"]);
    const race = report.ll144!.selection.tables[1];
    const excluded = race.rows.filter((r) => r.excluded).map((r) => [r.category, r.count]);
    assert.deepEqual(excluded, [
      ["Asian", 31],
      ["Native American", 11],
    ]);
    assert.equal(race.highest, "African-American");
    const cauc = race.rows.find((r) => r.category === "Caucasian")!;
    assert.ok(Math.abs(cauc.impact_ratio - 696 / 2103 / (1829 / 3175)) < 1e-12);
    assert.ok(
      html.includes("Categories under 2% of the data (Asian, Native American) are too small for a stable ratio."),
    );
    const sexRep = report.datasheet.representation.find((r) => r.columns.join() === "sex")!;
    const female = sexRep.groups.find((g) => g.label === "Female")!;
    assert.ok(Math.abs(female.gap! - (1175 / 6172 - 0.51)) < 1e-12);
    assert.ok(report.subgroups.tested > 20);
    assert.ok(report.curves.length === report.audit.groups.length);
  });

  test("scores and extra attributes line up with the rows: AUCs and a subgroup equal an independent count", () => {
    const { report } = generate(cases[0]);
    const rows = compasFiltered();
    const table = scoreTable({
      scores: rows.map((r) => Number(r.decile_score)),
      yTrue: rows.map((r) => Number(r.two_year_recid)),
      sensitiveFeatures: { race: rows.map((r) => r.race), sex: rows.map((r) => r.sex) },
    });
    const expected = new Map(table.groups.map((g, k) => [g.key, rocCurve(table.perGroup[k]).auc]));
    for (const g of report.bias_sources.aggregation.groups) {
      const want = expected.get(g.label)!;
      // One class only (2 Native American women, both reoffended): AUC undefined, null in JSON.
      if (Number.isNaN(want)) assert.equal(g.auc, null, g.label);
      else assert.ok(Math.abs(g.auc - want) < 1e-12, g.label);
    }
    const young = [...report.subgroups.top, ...report.subgroups.largest_gaps].find(
      (s) => s.description === "age_cat = Less than 25",
    )!;
    const negatives = rows.filter((r) => r.age_cat === "Less than 25" && r.two_year_recid === "0");
    assert.equal(young.support, negatives.length);
    assert.equal(young.value, negatives.filter((r) => Number(r.decile_score) >= 5).length / negatives.length);
  });
});

describe("HTML reports in Chromium", {
  skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} not found (apt-get install -y chromium)`,
}, () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
  });
  after(async () => {
    await browser?.close();
  });

  for (const c of cases) {
    test(`${c.name}: renders, no console error, no request leaves, numbers equal the audit JSON`, {
      skip: skipWithoutData(c.file),
    }, async () => {
      const { audit } = generate(c);
      const file = join(out, `${c.name}.html`);
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(m.text());
      });
      page.on("pageerror", (err) => errors.push(String(err)));
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      // Renders: every section is there, charts drew, the title is the report's.
      const sections = await page.$$eval("main section h2", (hs) => hs.map((h) => h.textContent));
      assert.deepEqual(sections, [
        "Summary",
        "Model card",
        "Datasheet for the evaluation data",
        "NYC Local Law 144 bias audit",
        "EEOC four-fifths rule",
        "EU AI Act test log",
        "Sources of bias",
        "Subgroup discovery",
      ]);
      const charts = await page.$$eval("svg.chart", (svgs) => svgs.map((s) => s.getBoundingClientRect().height));
      assert.ok(charts.length >= 8 && charts.every((h) => h > 40), `charts: ${charts.length}`);
      // Numbers: every per-group metric cell equals the audit JSON at full precision.
      const cells = await page.$$eval('td[data-section="groups"]', (tds) =>
        tds.map((td) => ({
          group: td.getAttribute("data-group")!,
          metric: td.getAttribute("data-metric")!,
          value: td.getAttribute("data-value")!,
        })),
      );
      const expected = [audit.overall, ...audit.groups].flatMap((g) => [
        { group: g.label, metric: "n", value: String(g.n) },
        ...audit.settings.metrics.map((m) => ({
          group: g.label,
          metric: m,
          value: g.metrics[m] === null ? "" : String(g.metrics[m]),
        })),
      ]);
      assert.deepEqual(cells, expected);
      const criteria = await page.$$eval('td[data-section="criteria"]', (tds) =>
        tds.map((td) => [td.getAttribute("data-metric"), td.getAttribute("data-value")]),
      );
      assert.deepEqual(
        criteria,
        Object.entries(audit.criteria).map(([k, v]) => [k, v === null ? "" : String(v)]),
      );
      // Printed on A4 (182 mm between the margins: 688 px), no table or chart runs past the page
      // edge (issue 20: the race × sex tables measured 1,018–1,041 px and printed "0.64" for 0.648).
      await page.setViewportSize({ width: 688, height: 1000 });
      await page.emulateMedia({ media: "print" });
      const overflowing = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll("table, svg.chart")]
          .map((el) => ({
            section: el.closest("section")?.id ?? "",
            tag: el.tagName,
            right: el.getBoundingClientRect().right,
          }))
          .filter((x) => x.right > width + 0.5)
          .map((x) => `${x.section} ${x.tag} ${Math.round(x.right)} px`);
      });
      assert.deepEqual(overflowing, [], `wider than the printed page: ${overflowing.join("; ")}`);
      await page.emulateMedia({ media: "screen" });
      await page.setViewportSize({ width: 1100, height: 1400 });
      // Print to PDF works (the layout has print CSS); screenshot for a human.
      const pdf = await page.pdf({ format: "A4" });
      assert.ok(pdf.length > 50_000);
      await page.screenshot({ path: join(out, `${c.name}.png`) });
      await page.screenshot({ path: join(out, `${c.name}-full.png`), fullPage: true });
      await page.close();
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [pathToFileURL(file).href], "the report loads nothing but itself");
    });
  }
});
