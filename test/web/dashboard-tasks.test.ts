/**
 * End-to-end: the dashboard's regression and multiclass audits in real Chromium, on the
 * law-school data (a least-squares prediction of first-year grades, and its grade bands). The
 * page's JSON export must equal `fairkit audit --task … --format json` on the same file (an
 * independent reader: DuckDB there, the page's CSV worker here), and the page's tables must be
 * the core's tables of that document, cell for cell. A text outcome is refused in place, naming
 * the column and row.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { multiclassTables, regressionTables } from "../../src/internal.js";
import { lawRows, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";
import {
  type RecordedPage,
  type WebHarness,
  foreignRequests,
  openPage,
  skipWithoutChromium,
  startWeb,
} from "./browser.js";

const skip = skipWithoutChromium || skipWithoutData("law_data.csv");
const repoRoot = resolve(import.meta.dirname, "../..");

function cli(args: string[]): Record<string, unknown> {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/node/cli/main.ts", "audit", ...args, "--format", "json"],
    {
      cwd: repoRoot,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function withoutSource(doc: Record<string, unknown>): Record<string, unknown> {
  const { source: _s, format: _f, ...input } = doc.input as Record<string, unknown>;
  return { ...doc, input };
}

async function audit(p: RecordedPage, file: string, task: string, label: string, prediction: string): Promise<void> {
  await p.page.evaluate(() => {
    document.body.dataset.loaded = "false";
    document.body.dataset.audited = "false";
  });
  await p.page.setInputFiles("#file", file);
  await p.page.waitForSelector("body[data-loaded='true']", { timeout: 60_000 });
  await p.page.selectOption("#task", task);
  await p.page.selectOption("#label-col", label);
  await p.page.selectOption("#task-pred-col", prediction);
  for (const box of await p.page.locator("#sensitive input").all()) {
    if ((await box.getAttribute("value")) === "race") await box.check();
    else await box.uncheck();
  }
  await p.page.click("#run");
}

/** The page's task tables as text cells. */
async function shownTables(p: RecordedPage): Promise<string[][][]> {
  return p.page.evaluate(() =>
    [...document.querySelectorAll("#task-tables table")].map((t) =>
      [...t.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent ?? "")),
    ),
  );
}

let h: WebHarness;
let desk: RecordedPage;
const dir = mkdtempSync(join(tmpdir(), "fairkit-web-tasks-"));
const predictions = join(dir, "law_predictions.csv");
const bands = join(dir, "law_bands.csv");

describe("dashboard: regression and multiclass audits (Chromium)", { skip, timeout: 300_000 }, () => {
  before(async () => {
    const rows = lawRows();
    // ZFYA ≈ a + b·LSAT + c·UGPA, from the normal equations' closed form for two regressors.
    const y = rows.map((r) => Number(r.ZFYA));
    const x1 = rows.map((r) => Number(r.LSAT));
    const x2 = rows.map((r) => Number(r.UGPA));
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const [my, m1, m2] = [mean(y), mean(x1), mean(x2)];
    const cov = (a: number[], ma: number, b: number[], mb: number) =>
      a.reduce((s, v, i) => s + (v - ma) * (b[i] - mb), 0);
    const s11 = cov(x1, m1, x1, m1);
    const s22 = cov(x2, m2, x2, m2);
    const s12 = cov(x1, m1, x2, m2);
    const s1y = cov(x1, m1, y, my);
    const s2y = cov(x2, m2, y, my);
    const det = s11 * s22 - s12 * s12;
    const b1 = (s22 * s1y - s12 * s2y) / det;
    const b2 = (s11 * s2y - s12 * s1y) / det;
    const p = x1.map((v, i) => Number((my + b1 * (v - m1) + b2 * (x2[i] - m2)).toFixed(6)));
    writeFileSync(
      predictions,
      ["race,ZFYA,predicted", ...rows.map((r, i) => `${r.race},${r.ZFYA},${p[i]}`)].join("\n"),
    );
    const band = (v: number) => (v < -0.5 ? "low" : v < 0.5 ? "middle" : "high");
    writeFileSync(
      bands,
      ["race,band,predicted_band", ...rows.map((r, i) => `${r.race},${band(y[i])},${band(p[i])}`)].join("\n"),
    );
    h = await startWeb();
    desk = await openPage(h, "dashboard.html");
  });
  after(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("regression: the export equals the CLI's document; the tables are the core's", async () => {
    await audit(desk, predictions, "regression", "ZFYA", "predicted");
    await desk.page.waitForSelector("body[data-audited='true']", { timeout: 60_000 });
    assert.equal(await desk.page.isVisible("#results"), false);
    const page = assertValid(
      JSON.parse(await desk.page.evaluate(() => window.fairkitDashboard.taskJson())),
      "regression-audit",
    );
    const expected = cli([
      predictions,
      "--task",
      "regression",
      "--y-true",
      "ZFYA",
      "--y-pred",
      "predicted",
      "--sensitive",
      "race",
    ]);
    assert.deepEqual(withoutSource(page), withoutSource(expected));
    assert.deepEqual(
      await shownTables(desk),
      regressionTables(page).map((t) => t.rows),
    );
    // The finding, as the page shows it: Black students over-predicted, the residual gap set by White vs Black.
    const criteria = (await shownTables(desk))[2];
    const gap = criteria.find((r) => r[0] === "mean_residual_difference")!;
    assert.match(gap[1], /^0\.588 \(0\.53\d–0\.64\d\)$/);
    assert.equal(gap[2], "White vs Black");
    assert.deepEqual(foreignRequests(desk.requests, h.url), []);
    assert.deepEqual(desk.errors, []);
  });

  it("multiclass: the export equals the CLI's document, per class and worst class", async () => {
    await audit(desk, bands, "multiclass", "band", "predicted_band");
    await desk.page.waitForSelector("body[data-audited='true']", { timeout: 60_000 });
    const page = assertValid(
      JSON.parse(await desk.page.evaluate(() => window.fairkitDashboard.taskJson())),
      "multiclass-audit",
    );
    const expected = cli([
      bands,
      "--task",
      "multiclass",
      "--y-true",
      "band",
      "--y-pred",
      "predicted_band",
      "--sensitive",
      "race",
    ]);
    assert.deepEqual(withoutSource(page), withoutSource(expected));
    const tables = await shownTables(desk);
    assert.deepEqual(
      tables,
      multiclassTables(page).map((t) => t.rows),
    );
    assert.equal(tables.length, 2 + 3, "groups, one table per class, criteria");
  });

  it("a text outcome for a regression is refused in place, naming the column and row", async () => {
    await audit(desk, predictions, "regression", "race", "predicted");
    await desk.page.waitForFunction(() => document.querySelector("#run-status .error") !== null);
    const status = await desk.page.textContent("#run-status");
    assert.match(status ?? "", /column "race" \(the outcome\) must be numeric; found "White" at data row 1 \(line 2\)/);
  });
});
