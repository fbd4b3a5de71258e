/**
 * End-to-end: the audit dashboard in real Chromium. COMPAS goes in through the file input; the
 * table must equal the engine in Node (rows parsed by csv-parse, decisions row by row) and the
 * CLI's `fairkit audit --format json` on the same file and columns.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { DEFAULT_AUDIT_METRICS, MetricFrame, impossibilityAnalysis, messages } from "../../src/internal.js";
import { dataPath, skipWithoutData } from "../helpers/data.js";
import {
  type RecordedPage,
  type WebHarness,
  foreignRequests,
  openPage,
  outputDir,
  screenshot,
  skipWithoutChromium,
  startWeb,
} from "./browser.js";

const skip = skipWithoutChromium || skipWithoutData("compas-scores-two-years.csv");
const repoRoot = resolve(import.meta.dirname, "../..");

interface JsonGroup {
  key: string;
  n: number;
  small: boolean;
  metrics: Record<string, number | null>;
  intervals: Record<string, [number | null, number | null]>;
}
interface AuditJson {
  input: Record<string, unknown>;
  settings: unknown;
  overall: JsonGroup;
  groups: JsonGroup[];
  criteria: Record<string, number | null>;
  checks: unknown;
  passed: boolean | null;
}

function cliAudit(sensitive: string, extra: string[] = []): AuditJson {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/node/cli/main.ts",
      "audit",
      dataPath("compas-scores-two-years.csv")!,
      "--y-true",
      "two_year_recid",
      "--score",
      "decile_score",
      "--threshold",
      "5",
      "--sensitive",
      sensitive,
      ...extra,
      "--format",
      "json",
    ],
    { cwd: repoRoot, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** COMPAS read independently: every row, the first decile_score column. */
function compasRaw(): { yTrue: number[]; decile: number[]; race: string[]; sex: string[] } {
  const rows: string[][] = parse(readFileSync(dataPath("compas-scores-two-years.csv")!), { skip_empty_lines: true });
  const header = rows[0];
  const col = (name: string) => header.indexOf(name);
  const body = rows.slice(1);
  return {
    yTrue: body.map((r) => Number(r[col("two_year_recid")])),
    decile: body.map((r) => Number(r[col("decile_score")])),
    race: body.map((r) => r[col("race")]),
    sex: body.map((r) => r[col("sex")]),
  };
}

/** The page's table: group → metric → value, plus intervals and flags. */
async function pageTable(
  p: RecordedPage,
): Promise<
  Record<string, { n: number; metrics: Record<string, number>; intervals: Record<string, string>; small: boolean }>
> {
  return p.page.evaluate(() => {
    const out: Record<
      string,
      { n: number; metrics: Record<string, number>; intervals: Record<string, string>; small: boolean }
    > = {};
    for (const tr of document.querySelectorAll<HTMLTableRowElement>("#frame tr[data-row]")) {
      const key = tr.dataset.row!;
      const entry = {
        n: Number.NaN,
        metrics: {} as Record<string, number>,
        intervals: {} as Record<string, string>,
        small: false,
      };
      for (const el of tr.querySelectorAll<HTMLElement>("[data-metric]")) {
        const v = Number(el.dataset.value === "NaN" ? Number.NaN : el.dataset.value);
        if (el.dataset.metric === "n") entry.n = v;
        else entry.metrics[el.dataset.metric!] = v;
      }
      for (const el of tr.querySelectorAll<HTMLElement>("[data-interval]"))
        entry.intervals[el.dataset.interval!.split(":").pop()!] = el.textContent ?? "";
      entry.small = tr.querySelector(".flag") !== null;
      out[key] = entry;
    }
    return out;
  });
}

async function loadAndAudit(p: RecordedPage, file: string, sensitive: string[]): Promise<void> {
  await p.page.evaluate(() => {
    document.body.dataset.loaded = "false";
    document.body.dataset.audited = "false";
  });
  await p.page.setInputFiles("#file", file);
  await p.page.waitForSelector("body[data-loaded='true']", { timeout: 60_000 });
  await p.page.selectOption("#label-col", "two_year_recid");
  await p.page.check("input[name='mode'][value='score']");
  await p.page.selectOption("#score-col", "decile_score");
  await p.page.fill("#threshold", "5");
  for (const box of await p.page.locator("#sensitive input").all()) {
    const name = await box.getAttribute("value");
    if (sensitive.includes(name!)) await box.check();
    else await box.uncheck();
  }
  await p.page.click("#run");
  await p.page.waitForSelector("body[data-audited='true']", { timeout: 60_000 });
  await p.page.waitForSelector('#impossibility-table tr[data-enforced="equalized_odds"]', { timeout: 60_000 });
}

function withoutSource(json: AuditJson): AuditJson {
  const { source: _s, format: _f, ...input } = json.input;
  return { ...json, input };
}

let h: WebHarness;
let desk: RecordedPage;

describe("audit dashboard (Chromium)", { skip, timeout: 300_000 }, () => {
  before(async () => {
    h = await startWeb();
    desk = await openPage(h, "dashboard.html");
  });
  after(async () => {
    await h?.close();
  });

  it("loads COMPAS through the file input; its table equals the engine in Node", async () => {
    await loadAndAudit(desk, dataPath("compas-scores-two-years.csv")!, ["race"]);
    const shown = await pageTable(desk);
    const raw = compasRaw();
    assert.equal(raw.yTrue.length, 7214);
    const mf = new MetricFrame({
      metrics: [...DEFAULT_AUDIT_METRICS],
      yTrue: raw.yTrue,
      yPred: raw.decile.map((d) => (d >= 5 ? 1 : 0)),
      sensitiveFeatures: { race: raw.race },
    });
    assert.deepEqual(Object.keys(shown).sort(), [...mf.byGroup.map((g) => g.key), "overall"].sort());
    for (const g of [...mf.byGroup, mf.overall]) {
      assert.equal(shown[g.key].n, g.n, `n of ${g.key}`);
      for (const m of DEFAULT_AUDIT_METRICS)
        assert.ok(
          Math.abs(shown[g.key].metrics[m] - g.metrics[m]) < 1e-12,
          `${m} of ${g.key}: page ${shown[g.key].metrics[m]}, engine ${g.metrics[m]}`,
        );
      const [lo, hi] = g.intervals.selection_rate;
      assert.equal(shown[g.key].intervals.selection_rate, `[${lo.toFixed(3)}, ${hi.toFixed(3)}]`);
    }
    // ProPublica's headline numbers at "medium or high risk": FPR 0.448 (African-American) vs 0.235 (Caucasian).
    assert.equal(shown["African-American"].metrics.false_positive_rate.toFixed(3), "0.448");
    assert.equal(shown.Caucasian.metrics.false_positive_rate.toFixed(3), "0.235");
    assert.equal(shown["Native American"].small, true);
    assert.equal(shown["African-American"].small, false);
  });

  it("shows the engine's impossibility analysis for the same thresholds", async () => {
    await desk.page.waitForSelector('#impossibility-table tr[data-enforced="equalized_odds"]');
    const raw = compasRaw();
    const report = impossibilityAnalysis({
      scores: raw.decile,
      yTrue: raw.yTrue,
      sensitiveFeatures: { race: raw.race },
      thresholds: 5,
      tolerance: 0.1,
    });
    for (const g of report.groups) {
      const shownFpr = Number(await desk.page.getAttribute(`[data-imp="${g.key}:falsePositiveRate"]`, "data-value"));
      assert.equal(shownFpr, g.falsePositiveRate, `FPR of ${g.key}`);
    }
    const eoRow = await desk.page
      .locator('#impossibility-table tr[data-enforced="equalized_odds"] td')
      .allTextContents();
    assert.match(eoRow[2 + 2], /✓/, "enforcing equalized odds makes its gap hold");
    const paragraphs = await desk.page.locator("#impossibility p").allTextContents();
    assert.deepEqual(paragraphs, report.explanation.split("\n\n"));
    assert.match(paragraphs.join(" "), /Chouldechova 2017/);
  });

  it("its audit JSON equals the CLI's JSON on the same file and columns, and downloads as such", async () => {
    const cli = cliAudit("race");
    const page = JSON.parse(await desk.page.evaluate(() => window.fairkitDashboard.auditJson())) as AuditJson;
    assert.deepEqual(withoutSource(page), withoutSource(cli));
    assert.equal(page.input.source, "compas-scores-two-years.csv");
    const [download] = await Promise.all([desk.page.waitForEvent("download"), desk.page.click("#export-json")]);
    mkdirSync(outputDir, { recursive: true });
    const saved = join(outputDir, "compas-audit.json");
    await download.saveAs(saved);
    assert.deepEqual(JSON.parse(readFileSync(saved, "utf8")), page);
  });

  it("names the two groups that set each gap, with the CLI's interval", async () => {
    const cli = cliAudit("race") as unknown as {
      gaps: Record<string, { groups: unknown[][]; interval: [number, number] }>;
    };
    const shown = await desk.page.evaluate(() => ({
      groups: document.querySelector('[data-gap-groups="demographic_parity_difference"]')?.textContent ?? "",
      interval: document.querySelector('[data-gap-interval="demographic_parity_difference"]')?.textContent ?? "",
      note: document.getElementById("criteria-gap-note")?.textContent ?? "",
    }));
    const gap = cli.gaps.demographic_parity_difference;
    assert.equal(shown.groups, `${gap.groups[0][0]} vs ${gap.groups[1][0]}`);
    assert.equal(shown.interval, ` (${gap.interval[0].toFixed(3)}–${gap.interval[1].toFixed(3)})`);
    assert.match(shown.note, /Newcombe's for a difference, MOVER's for a ratio/);
  });

  it("exports a standalone HTML snapshot with the table and the JSON, and no script to run", async () => {
    const [download] = await Promise.all([desk.page.waitForEvent("download"), desk.page.click("#export-html")]);
    const saved = join(outputDir, "compas-audit.html");
    await download.saveAs(saved);
    const html = readFileSync(saved, "utf8");
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /African-American/);
    assert.match(html, /<svg/);
    assert.doesNotMatch(html, /<script(?![^>]*application\/json)/);
    assert.doesNotMatch(html, /<link |src="http/);
    const json = JSON.parse(html.match(/<script type="application\/json" id="audit-json">([\s\S]*?)<\/script>/)![1]);
    assert.equal(json.groups.length, 6);
    // The snapshot opens on its own, offline, and shows the table.
    const ctx = await h.browser.newContext({ offline: true });
    const page = await ctx.newPage();
    await page.goto(`file://${saved}`);
    assert.equal(await page.locator("#frame tr[data-row]").count(), 7);
    await ctx.close();
  });

  it("per-group sliders and presets recompute the table through the engine", async () => {
    await desk.page.uncheck("#linked");
    const slider = desk.page.locator("#slider-0");
    await slider.focus();
    await desk.page.keyboard.press("ArrowRight");
    await desk.page.keyboard.press("ArrowRight");
    assert.equal(await slider.inputValue(), "7");
    const shown = await pageTable(desk);
    const raw = compasRaw();
    const t = (race: string) => (race === "African-American" ? 7 : 5);
    const mf = new MetricFrame({
      metrics: [...DEFAULT_AUDIT_METRICS],
      yTrue: raw.yTrue,
      yPred: raw.decile.map((d, i) => (d >= t(raw.race[i]) ? 1 : 0)),
      sensitiveFeatures: { race: raw.race },
    });
    for (const g of [...mf.byGroup, mf.overall]) {
      for (const m of DEFAULT_AUDIT_METRICS)
        assert.ok(Math.abs(shown[g.key].metrics[m] - g.metrics[m]) < 1e-12, `slider: ${m} of ${g.key}`);
    }
    await desk.page.click('[data-preset="demographic_parity"]');
    const dp = await pageTable(desk);
    const rates = Object.entries(dp)
      .filter(([k]) => k !== "overall")
      .map(([, v]) => v.metrics.selection_rate);
    assert.ok(
      Math.max(...rates) - Math.min(...rates) < 1e-9,
      `selection rates after the demographic parity preset: ${rates}`,
    );
    await desk.page.click('[data-preset="equalized_odds"]');
    const eo = await pageTable(desk);
    for (const m of ["true_positive_rate", "false_positive_rate"]) {
      const v = Object.entries(eo)
        .filter(([k]) => k !== "overall")
        .map(([, x]) => x.metrics[m]);
      assert.ok(Math.max(...v) - Math.min(...v) < 1e-9, `${m} after the equalized odds preset: ${v}`);
    }
    assert.match((await desk.page.textContent("#preset-status"))!, /randomised/);
  });

  it("audits intersections (race × sex) exactly as the CLI does", async () => {
    await loadAndAudit(desk, dataPath("compas-scores-two-years.csv")!, ["race", "sex"]);
    const cli = cliAudit("race,sex");
    const page = JSON.parse(await desk.page.evaluate(() => window.fairkitDashboard.auditJson())) as AuditJson;
    assert.equal(page.groups.length, 12);
    assert.deepEqual(withoutSource(page), withoutSource(cli));
  });

  it("reads the same data from Parquet and gives the same table", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    mkdirSync(outputDir, { recursive: true });
    const file = join(outputDir, "compas.parquet");
    const csv = dataPath("compas-scores-two-years.csv")!.replaceAll("'", "''");
    await con.run(
      `COPY (SELECT two_year_recid, decile_score, race, sex FROM read_csv('${csv}', header = true)) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
    );
    con.closeSync();
    await loadAndAudit(desk, file, ["race"]);
    const page = JSON.parse(await desk.page.evaluate(() => window.fairkitDashboard.auditJson())) as AuditJson;
    assert.equal(page.input.format, "parquet");
    assert.deepEqual(withoutSource(page), withoutSource(cliAudit("race")));
  });

  it("audits with a sample weight exactly as the CLI does", async () => {
    await loadAndAudit(desk, dataPath("compas-scores-two-years.csv")!, ["race"]);
    await desk.page.selectOption("#weight-col", "priors_count");
    await desk.page.evaluate(() => {
      document.body.dataset.audited = "false";
    });
    await desk.page.click("#run");
    await desk.page.waitForSelector("body[data-audited='true']");
    const page = JSON.parse(await desk.page.evaluate(() => window.fairkitDashboard.auditJson())) as AuditJson;
    assert.equal(page.input.weight, "priors_count");
    assert.deepEqual(withoutSource(page), withoutSource(cliAudit("race", ["--weight", "priors_count"])));
    await desk.page.selectOption("#weight-col", "");
  });

  it("audits a decision column with a chosen positive value, dropped on the page", async () => {
    const raw = compasRaw();
    const rows: string[][] = parse(readFileSync(dataPath("compas-scores-two-years.csv")!), { skip_empty_lines: true });
    const scoreText = rows.slice(1).map((r) => r[rows[0].indexOf("score_text")]);
    // ProPublica's cut as a two-valued decision column: "High" = medium or high risk.
    const risk = scoreText.map((t) => (t === "Low" ? "Low" : "High"));
    const csv = [
      "two_year_recid,score_text,risk,race",
      ...raw.yTrue.map((y, i) => `${y},${scoreText[i]},${risk[i]},${raw.race[i]}`),
    ].join("\n");
    await desk.page.evaluate(() => {
      document.body.dataset.loaded = "false";
      document.body.dataset.audited = "false";
    });
    // A real drop: a DataTransfer holding a File, dispatched on the drop zone.
    const transfer = await desk.page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "decisions.csv", { type: "text/csv" }));
      return dt;
    }, csv);
    await desk.page.dispatchEvent("#drop", "drop", { dataTransfer: transfer });
    await desk.page.waitForSelector("body[data-loaded='true']");
    await desk.page.check("input[name='mode'][value='decision']");
    await desk.page.selectOption("#label-col", "two_year_recid");
    // Three values (Low, Medium, High) are refused, as on the command line, whatever is chosen.
    await desk.page.selectOption("#decision-col", "score_text");
    assert.equal(await desk.page.inputValue("#decision-pos"), "", "no positive value is guessed");
    await desk.page.click("#run");
    assert.match(
      (await desk.page.textContent("#run-status")) ?? "",
      /choose which value of "score_text" means positive/,
    );
    await desk.page.selectOption("#decision-pos", "High");
    await desk.page.click("#run");
    assert.match(
      (await desk.page.textContent("#run-status")) ?? "",
      /"score_text" \(the decision\) must be binary: it has 3 distinct values \("High", "Low", "Medium"\)/,
    );
    await desk.page.selectOption("#decision-col", "risk");
    await desk.page.selectOption("#decision-pos", "High");
    await desk.page.click("#run");
    await desk.page.waitForSelector("body[data-audited='true']");
    const shown = await pageTable(desk);
    const mf = new MetricFrame({
      metrics: [...DEFAULT_AUDIT_METRICS],
      yTrue: raw.yTrue,
      yPred: risk.map((t) => (t === "High" ? 1 : 0)),
      sensitiveFeatures: { race: raw.race },
    });
    for (const g of [...mf.byGroup, mf.overall]) {
      for (const m of DEFAULT_AUDIT_METRICS)
        assert.ok(Math.abs(shown[g.key].metrics[m] - g.metrics[m]) < 1e-12, `decision: ${m} of ${g.key}`);
    }
    assert.equal(await desk.page.isVisible("#threshold-card"), false, "no threshold sliders for a decision column");
  });

  it("audits the demo exactly as `fairkit audit --demo` does", async () => {
    await desk.page.evaluate(() => {
      document.body.dataset.audited = "false";
    });
    await desk.page.click("#demo");
    await desk.page.waitForSelector("body[data-audited='true']");
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/node/cli/main.ts", "audit", "--demo", "--format", "json"],
      { cwd: repoRoot, encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    const page = JSON.parse(await desk.page.evaluate(() => window.fairkitDashboard.auditJson()));
    assert.deepEqual(page, JSON.parse(r.stdout));
  });

  it("names the column and row of bad input, and the line of a ragged CSV", async () => {
    mkdirSync(outputDir, { recursive: true });
    const missing = join(outputDir, "missing-label.csv");
    writeFileSync(missing, "y,score,g\n1,0.9,a\n0,0.2,b\n,0.4,a\n1,0.7,b\n");
    await desk.page.setInputFiles("#file", missing);
    await desk.page.waitForFunction(() =>
      document.getElementById("load-status")?.textContent?.startsWith("missing-label.csv:"),
    );
    await desk.page.selectOption("#label-col", "y");
    await desk.page.check("input[name='mode'][value='score']");
    await desk.page.selectOption("#score-col", "score");
    await desk.page.check("#sensitive input[value='g']");
    await desk.page.click("#run");
    // The core validator's own message (rows counted from 0, as everywhere in the library).
    assert.equal(await desk.page.textContent("#run-status"), messages.missingLabel("y", 2, null));
    const ragged = join(outputDir, "ragged.csv");
    writeFileSync(ragged, "y,score,g\n1,0.9,a\n0,0.2\n");
    await desk.page.setInputFiles("#file", ragged);
    await desk.page.waitForSelector("#load-status .error");
    assert.equal(
      await desk.page.textContent("#load-status .error"),
      "ragged.csv: data row 2 has 2 fields, the header has 3",
    );
  });

  it("saves screenshots at 1280×800 and at phone width", async () => {
    await loadAndAudit(desk, dataPath("compas-scores-two-years.csv")!, ["race"]);
    await desk.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(desk.page, "dashboard-1280x800");
    const phone = await openPage(h, "dashboard.html", { width: 390, height: 844 });
    await loadAndAudit(phone, dataPath("compas-scores-two-years.csv")!, ["race"]);
    await phone.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(phone.page, "dashboard-390x844");
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the phone layout scrolls sideways by ${overflow}px`);
    assert.deepEqual(phone.errors, []);
    assert.deepEqual(foreignRequests(phone.requests, h.url), []);
    await phone.context.close();
  });

  it("logged no console errors and sent no request off the origin", () => {
    assert.deepEqual(desk.errors, []);
    assert.deepEqual(foreignRequests(desk.requests, h.url), []);
  });
});
