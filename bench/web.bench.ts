/**
 * The web app in Chromium at a million rows: a slider move (recompute every live number from the
 * score tables + move every mark + style/layout) against the naive baseline of re-thresholding
 * every row in the same page; and a 1e6-row CSV read in the dashboard's worker against csv-parse
 * reading the same file in Node, in the same run.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { createRandom } from "../src/internal.js";
import { foreignRequests, openPage, outputDir, startWeb } from "../test/web/browser.js";
import { medianMs, rate } from "./timing.js";

function quantiles(times: number[]): { median: number; p95: number; max: number } {
  const s = [...times].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], max: s[s.length - 1] };
}

function writeCsv(path: string, rows: number): void {
  const rng = createRandom(1);
  const parts: string[] = ["score,y_true,group,sex\n"];
  for (let i = 0; i < rows; i++) {
    const g = rng.next() < 0.4 ? "B" : "A";
    const y = rng.next() < (g === "A" ? 0.3 : 0.5) ? 1 : 0;
    const score = Math.min(1, Math.max(0, 0.5 + (y ? 0.2 : -0.2) + rng.normal() * 0.2));
    parts.push(`${score.toFixed(6)},${y},${g},${rng.next() < 0.5 ? "F" : "M"}\n`);
  }
  writeFileSync(path, parts.join(""));
}

export default async function bench(): Promise<void> {
  const h = await startWeb();
  try {
    // --- Explorer with 1e6 rows: slider moves.
    const p = await openPage(h, "index.html");
    const t0 = performance.now();
    await p.page.fill("#sizeA", "500000");
    await p.page.fill("#sizeB", "500000");
    await p.page.dispatchEvent("#sizeB", "input");
    await p.page.waitForFunction(() => window.fairkitExplorer.state.engine?.n === 1_000_000, undefined, {
      timeout: 120_000,
    });
    console.log(
      `explorer: 1e6 demo rows generated, score tables built and charts drawn in ${((performance.now() - t0) / 1000).toFixed(2)} s (incl. 120 ms debounce)`,
    );
    // tsx keeps function names with a `__name` helper that does not exist inside the page.
    await p.page.evaluate("window.__name = (f) => f");
    const result = await p.page.evaluate(async () => {
      const slider = document.getElementById("tau") as HTMLInputElement;
      const move = (k: number) => {
        slider.value = String((k % 101) / 100);
        slider.dispatchEvent(new Event("input"));
        document.body.getBoundingClientRect();
      };
      for (let k = 0; k < 20; k++) move(k);
      const fast: number[] = [];
      for (let k = 0; k < 300; k++) {
        const t = performance.now();
        move(k * 7);
        fast.push(performance.now() - t);
      }
      // Frame to frame with painting: one move per animation frame.
      const frames: number[] = [];
      await new Promise<void>((done) => {
        let k = 0;
        let last = 0;
        const step = (ts: number) => {
          if (last) frames.push(ts - last);
          last = ts;
          move(k * 13);
          if (++k < 90) requestAnimationFrame(step);
          else done();
        };
        requestAnimationFrame(step);
      });
      // Baseline: the same recomputation by re-thresholding every row (O(n)).
      const engine = (
        window.fairkitExplorer.state as unknown as {
          engine: { tableByRows(t: number[]): unknown; table(rules: unknown[]): unknown };
        }
      ).engine;
      const naive: number[] = [];
      for (let k = 0; k < 15; k++) {
        const t = performance.now();
        engine.tableByRows([k / 15, k / 15]);
        naive.push(performance.now() - t);
      }
      // The same recomputation from the score tables, without any drawing.
      const tables: number[] = [];
      for (let k = 0; k < 15; k++) {
        const rule = { cuts: [k / 15], probabilities: [0, 1] };
        const t = performance.now();
        for (let r = 0; r < 100; r++) engine.table([rule, rule]);
        tables.push((performance.now() - t) / 100);
      }
      return { fast, frames, naive, tables };
    });
    const fast = quantiles(result.fast);
    const frames = quantiles(result.frames);
    const naive = quantiles(result.naive);
    console.log(
      `slider move, 1e6 rows (recompute + redraw + layout): median ${fast.median.toFixed(2)} ms, p95 ${fast.p95.toFixed(2)} ms, max ${fast.max.toFixed(2)} ms (budget 16 ms)`,
    );
    console.log(
      `frame interval with one move per frame (incl. paint): median ${frames.median.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms`,
    );
    const tables = quantiles(result.tables);
    console.log(
      `recompute only: score tables ${(tables.median * 1000).toFixed(1)} µs vs baseline re-threshold of all rows ${naive.median.toFixed(1)} ms → ${(naive.median / tables.median).toFixed(0)}×; the baseline alone is ${(naive.median / fast.median).toFixed(1)}× a whole move with drawing`,
    );
    if (p.errors.length) console.log(`console errors: ${p.errors.join(" | ")}`);
    if (foreignRequests(p.requests, h.url).length) console.log("WARNING: requests left the origin");
    await p.context.close();

    // --- Dashboard: a 1e6-row CSV through the worker.
    mkdirSync(outputDir, { recursive: true });
    const csv = join(outputDir, "bench-1e6.csv");
    writeCsv(csv, 1_000_000);
    const d = await openPage(h, "dashboard.html");
    // Long tasks on the page's main thread while the worker reads: the page must not freeze.
    await d.page.evaluate("window.__name = (f) => f");
    await d.page.evaluate(() => {
      const w = window as unknown as { longest: number };
      w.longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration);
      }).observe({ type: "longtask" });
    });
    const w0 = performance.now();
    await d.page.setInputFiles("#file", csv);
    await d.page.waitForSelector("body[data-loaded='true']", { timeout: 120_000 });
    const wall = performance.now() - w0;
    const workerMs = Number(await d.page.getAttribute("body", "data-load-ms"));
    const longest = Number(await d.page.evaluate("window.longest"));
    const a0 = performance.now();
    await d.page.click("#run");
    await d.page.waitForSelector("body[data-audited='true']", { timeout: 120_000 });
    const auditMs = performance.now() - a0;
    const nodeMs = medianMs(() => parse(readFileSync(csv), { columns: true }), 1);
    console.log(
      `dashboard CSV load, 1e6 rows (${(readFileSync(csv).length / 1e6).toFixed(0)} MB): worker ${(workerMs / 1000).toFixed(2)} s, wall incl. transfer ${(wall / 1000).toFixed(2)} s (${rate(1e6, wall)}); audit + charts ${(auditMs / 1000).toFixed(2)} s; main thread while reading: ${longest > 0 ? `longest task ${longest.toFixed(0)} ms` : "no task over 50 ms (Long Tasks API)"}`,
    );
    console.log(
      `baseline, csv-parse in Node on the same file: ${(nodeMs / 1000).toFixed(2)} s → page/baseline ${(wall / nodeMs).toFixed(2)}`,
    );
    // Dashboard slider at 1e6 rows: audit table (MetricFrame + audit JSON), criteria, ROC points.
    const dash = await d.page.evaluate(() => {
      const slider = document.getElementById("slider-0") as HTMLInputElement;
      const times: number[] = [];
      for (let k = 0; k < 120; k++) {
        slider.value = String((k % 100) / 100);
        const t = performance.now();
        slider.dispatchEvent(new Event("input"));
        document.body.getBoundingClientRect();
        times.push(performance.now() - t);
      }
      return times;
    });
    const dq = quantiles(dash.slice(20));
    console.log(
      `dashboard slider move, 1e6 rows (audit table + criteria + ROC points + layout): median ${dq.median.toFixed(2)} ms, p95 ${dq.p95.toFixed(2)} ms`,
    );
    if (d.errors.length) console.log(`console errors: ${d.errors.join(" | ")}`);
    await d.context.close();
    rmSync(csv, { force: true });
  } finally {
    await h.close();
  }
}
